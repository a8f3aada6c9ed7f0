"""The main window: conversation list, transcript, composer, model picker."""

from __future__ import annotations

from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from chinwag.app import Services
from chinwag.core.catalog import UnknownModel
from chinwag.core.models import Conversation
from chinwag.ui.stream_worker import StreamWorker, start_worker
from chinwag.ui.transcript_view import TranscriptView

FRAME_MS = 16


class Composer(QPlainTextEdit):
    """Enter sends, Shift+Enter breaks the line."""

    def __init__(self, on_send: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_send = on_send
        self.setPlaceholderText(self.tr("Message (Enter to send, Shift+Enter for a new line)"))
        self.setAccessibleName(self.tr("Message"))
        self.setMaximumHeight(120)

    def keyPressEvent(self, event: object) -> None:
        from PySide6.QtGui import QKeyEvent

        assert isinstance(event, QKeyEvent)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._on_send()  # type: ignore[operator]
            return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.current: Conversation | None = None
        self.worker: StreamWorker | None = None
        self.thread_: QThread | None = None
        self.setWindowTitle("Chinwag")
        self.resize(1000, 700)

        self.search = QLineEdit(placeholderText=self.tr("Search conversations"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.search.textChanged.connect(self.refresh_list)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Conversations"))
        self.list.currentItemChanged.connect(self._on_select)
        new_button = QPushButton(self.tr("New conversation"))
        new_button.clicked.connect(self.new_conversation)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(new_button)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.list)

        self.model_picker = QComboBox()
        self.model_picker.setAccessibleName(self.tr("Model"))
        self.model_picker.activated.connect(self._on_model_chosen)
        self.transcript = TranscriptView()
        self.composer = Composer(self.send)
        self.composer.textChanged.connect(self._update_buttons)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the reply (Esc)"))
        self.stop_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.model_picker, 1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.send_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.transcript, 1)
        right_layout.addWidget(self.composer)
        right_layout.addLayout(buttons)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        self.setCentralWidget(splitter)
        self.setStatusBar(QStatusBar())

        new_action = QAction(
            self.tr("New conversation"), self, shortcut=QKeySequence(QKeySequence.StandardKey.New)
        )
        new_action.triggered.connect(self.new_conversation)
        stop_action = QAction(self.tr("Stop"), self, shortcut=QKeySequence(Qt.Key.Key_Escape))
        stop_action.triggered.connect(self.stop)
        self.addActions([new_action, stop_action])

        self.frame_timer = QTimer(self, interval=FRAME_MS)
        self.frame_timer.timeout.connect(self._drain)

        self.refresh_models()
        self.refresh_list()
        for notice in services.notices:
            self.statusBar().showMessage(notice, 15000)
        self._update_buttons()

    # -- list ------------------------------------------------------------------------------

    def refresh_list(self) -> None:
        query = self.search.text()
        self.list.blockSignals(True)
        self.list.clear()
        for conversation in self.services.store.list_conversations(search=query or None):
            item = QListWidgetItem(conversation.title or self.tr("New conversation"))
            item.setData(Qt.ItemDataRole.UserRole, conversation.id)
            self.list.addItem(item)
            if self.current and conversation.id == self.current.id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def refresh_models(self) -> None:
        self.model_picker.clear()
        for model in self.services.catalog.models():
            self.model_picker.addItem(model.handle, model.handle)
        self._show_model()

    def _show_model(self) -> None:
        try:
            handle = (self.current and self.current.model) or self.services.catalog.default_handle()
        except UnknownModel as error:
            self.statusBar().showMessage(str(error))
            return
        index = self.model_picker.findData(handle)
        if index >= 0:
            self.model_picker.setCurrentIndex(index)

    def _on_select(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.open(self.services.store.get_conversation(item.data(Qt.ItemDataRole.UserRole)))

    def open(self, conversation: Conversation) -> None:
        self.current = conversation
        self.transcript.show_messages(self.services.store.list_messages(conversation.id))
        self._show_model()
        self._update_buttons()

    def new_conversation(self) -> None:
        self.current = None
        self.transcript.clear()
        self.list.clearSelection()
        self._show_model()
        self.composer.setFocus()

    def _on_model_chosen(self, index: int) -> None:
        handle = self.model_picker.itemData(index)
        if self.current is not None and handle:
            self.current = self.services.store.update_conversation(self.current.id, model=handle)

    # -- streaming -------------------------------------------------------------------------

    @property
    def streaming(self) -> bool:
        return self.worker is not None

    def send(self) -> None:
        text = self.composer.toPlainText().strip()
        if not text or self.streaming:
            return
        if self.current is None:
            title = text.splitlines()[0][:60]
            self.current = self.services.store.create_conversation(
                Conversation(title=title, model=self.model_picker.currentData())
            )
        self.composer.clear()
        self.transcript.append_text(f"\n\nYou\n\n{text}\n\n{self.model_picker.currentText()}\n\n")
        self.worker = StreamWorker(self.services.chat, self.current.id, text)
        self.worker.error.connect(lambda message: self.statusBar().showMessage(message, 15000))
        self.worker.finished.connect(self._on_finished)
        self.thread_ = start_worker(self.worker)
        self.frame_timer.start()
        self.refresh_list()
        self._update_buttons()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.cancel.set()

    def _drain(self) -> None:
        if self.worker is not None:
            text = self.worker.take_text()
            if text:
                self.transcript.append_text(text)

    def _on_finished(self, _reply: object) -> None:
        self._drain()
        self.frame_timer.stop()
        self.worker = None
        if self.current is not None:
            self.open(self.services.store.get_conversation(self.current.id))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.send_button.setEnabled(
            bool(self.composer.toPlainText().strip()) and not self.streaming
        )
        self.stop_button.setEnabled(self.streaming)

    def closeEvent(self, event: object) -> None:
        self.stop()
        if self.thread_ is not None:
            self.thread_.quit()
            self.thread_.wait(3000)
        super().closeEvent(event)  # type: ignore[arg-type]
