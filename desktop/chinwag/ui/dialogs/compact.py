"""Compact…: choose a mode, preview what leaves the context and its summary, then apply.

The plan is read from the store on the UI thread (no model call); the summary calls a
model, so it runs in a worker thread and arrives by a signal. Nothing changes until Apply.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chinwag.app import Services
from chinwag.core.conversations.compaction import CompactionResult, CompactionSettings
from chinwag.core.conversations.compactor import CompactionPlan
from chinwag.core.conversations.service import Conversations

PREVIEW_LINES = 5
SETTLE_MS = 300


class SummaryWorker(QObject):
    done = Signal(int, str)  # generation, summary
    failed = Signal(int, str)  # generation, error

    def __init__(self, conversations: Conversations, plan: CompactionPlan, generation: int) -> None:
        super().__init__()
        self.conversations = conversations
        self.plan = plan
        self.generation = generation

    @Slot()
    def run(self) -> None:
        try:
            self.done.emit(self.generation, self.conversations.summarize(self.plan))
        except Exception as error:  # shown in the dialog
            self.failed.emit(self.generation, str(error))


class CompactDialog(QDialog):
    def __init__(
        self, services: Services, conversation_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compact conversation"))
        self.services = services
        self.conversation_id = conversation_id
        self.plan: CompactionPlan | None = None
        self.outcome: CompactionResult | None = None
        self.generation = 0
        self.threads: list[QThread] = []
        self.workers: list[SummaryWorker] = []  # held: an unowned QObject would be freed

        self.mode = QComboBox()
        self.mode.setAccessibleName(self.tr("Mode"))
        for mode in services.conversations.compaction_modes():  # the built-in modes and plugins'
            self.mode.addItem(mode.replace("_", " "), mode)
        self.mode.setCurrentIndex(max(0, self.mode.findData("sliding_window")))
        self.percentage = QSpinBox()
        self.percentage.setAccessibleName(self.tr("Sliding window percentage"))
        self.percentage.setRange(5, 95)
        self.percentage.setSuffix(" %")
        self.percentage.setValue(30)
        self.percentage.setToolTip(self.tr("Share of the context window the summary frees"))
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName(self.tr("What leaves the context"))
        self.summary = QPlainTextEdit()
        self.summary.setAccessibleName(self.tr("Summary"))
        self.status = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Mode"), self.mode)
        form.addRow(self.tr("Sliding window"), self.percentage)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(QLabel(self.tr("Summary")))
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        # the summary starts once the choice settles: quick changes start no model call each
        self.summary_timer = QTimer(self)
        self.summary_timer.setSingleShot(True)
        self.summary_timer.setInterval(SETTLE_MS)
        self.summary_timer.timeout.connect(self._summarize)
        self.mode.currentIndexChanged.connect(self.replan)
        self.percentage.valueChanged.connect(self.replan)
        self.resize(560, 480)
        self.replan()

    def settings(self) -> CompactionSettings:
        return CompactionSettings(
            mode=self.mode.currentData(),
            sliding_window_percentage=self.percentage.value() / 100,
        )

    def replan(self) -> None:
        """A new preview: what leaves the context now, and a fresh summary of it."""
        self.percentage.setEnabled("sliding_window" in self.mode.currentData())
        self.generation += 1
        self.summary.clear()
        self.apply_button.setEnabled(False)
        self.summary_timer.stop()
        try:
            self.plan = self.services.conversations.plan_compaction(
                self.conversation_id, self.settings()
            )
        except Exception as error:  # e.g. no summarizer: say so, apply nothing
            self.plan = None
            self.preview.setText(str(error))
            self.status.setText("")
            return
        evicted = self.plan.evicted
        lines = [
            self.tr("{n} message(s) leave the context, {k} stay ({mode}).").format(
                n=len(evicted), k=len(self.plan.kept), mode=self.plan.mode.replace("_", " ")
            )
        ]
        for message in evicted[:PREVIEW_LINES]:
            first = (message.text.strip().splitlines() or [""])[0][:80]
            lines.append(f"• {message.role.value}: {first}")
        if len(evicted) > PREVIEW_LINES:
            lines.append("…")
        self.preview.setText("\n".join(lines))
        if not evicted:
            self.status.setText(self.tr("Nothing to compact."))
            return
        self.status.setText(self.tr("Summarizing…"))
        self.summary_timer.start()

    def _summarize(self) -> None:
        if self.plan is None or not self.plan.evicted:
            return
        worker = SummaryWorker(self.services.conversations, self.plan, self.generation)
        thread = QThread()
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.done.connect(self._on_summary)
        worker.failed.connect(self._on_failed)
        worker.done.connect(thread.quit)
        worker.failed.connect(thread.quit)
        self.threads.append(thread)
        self.workers.append(worker)
        thread.start()

    def _on_summary(self, generation: int, summary: str) -> None:
        if generation != self.generation:
            return
        self.summary.setPlainText(summary)
        self.status.setText(self.tr("Review the summary, then apply."))
        self.apply_button.setEnabled(True)

    def _on_failed(self, generation: int, error: str) -> None:
        if generation == self.generation:
            self.status.setText(self.tr("The summary failed: {error}").format(error=error))

    def apply(self) -> None:
        if self.plan is None or not self.plan.evicted:
            return
        self.outcome = self.services.conversations.apply_compaction(
            self.plan, self.summary.toPlainText()
        )
        self.accept()

    def done(self, code: int) -> None:
        """Closing waits for a summary still being written: its thread must not outlive us."""
        self.generation += 1
        self.summary_timer.stop()
        for thread in self.threads:
            thread.wait()
        super().done(code)
