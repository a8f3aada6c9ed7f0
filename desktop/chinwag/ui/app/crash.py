"""Uncaught exceptions (UI thread, Qt slots, other threads) open a dialog with a copyable
report instead of killing the app."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chinwag import __version__
from chinwag.core.system import paths
from chinwag.core.system.crash_report import build_report


class CrashDialog(QDialog):
    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chinwag hit a problem"))
        self.report = report
        text = QLabel(
            self.tr(
                "Something went wrong. Your conversations are saved. You can keep working, "
                "or copy this report (it contains no API key) into a bug report."
            )
        )
        text.setWordWrap(True)
        self.details = QPlainTextEdit(report)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Crash report"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("Copy report"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.report))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(700, 420)


def install(secrets: Callable[[], Iterable[str]]) -> None:
    """Route uncaught exceptions (UI thread and Qt slots) to the crash dialog."""
    showing: list[CrashDialog] = []

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        try:
            known = list(secrets())
        except Exception:
            known = []
        report = build_report(kind, error, trace, __version__, known)
        with contextlib.suppress(OSError):
            (paths.logs_dir() / "last-crash.txt").write_text(report, encoding="utf-8")
        sys.stderr.write(report)
        if showing:  # one dialog at a time; a loop of errors must not bury the screen
            return
        dialog = CrashDialog(report)
        showing.append(dialog)
        dialog.finished.connect(lambda _code: showing.clear())
        dialog.show()

    bridge = _Bridge()
    bridge.raised.connect(lambda args: hook(*args), Qt.ConnectionType.QueuedConnection)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:  # shown by the UI thread, never from this one
            bridge.raised.emit((args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook
    _keep.append(bridge)


class _Bridge(QObject):
    raised = Signal(object)


_keep: list[_Bridge] = []
