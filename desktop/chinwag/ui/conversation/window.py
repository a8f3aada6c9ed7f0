"""A conversation in a window of its own, and the actions every conversation offers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from chinwag.app import Services
from chinwag.core.conversations import StoreWatch
from chinwag.core.types import Conversation
from chinwag.ui.app import window_state
from chinwag.ui.app.actions import action
from chinwag.ui.conversation.pane import ConversationPane
from chinwag.ui.dialogs import transfer
from chinwag.ui.dialogs.details import DetailsDialog

STOP = QKeySequence("Esc")
COPY_REPLY = QKeySequence("Ctrl+Shift+C")
DETAILS = QKeySequence("Ctrl+I")
EXPORT = QKeySequence("Ctrl+E")
CLOSE = QKeySequence("Ctrl+W")


def conversation_actions(parent: QWidget, pane: ConversationPane) -> list[QAction]:
    """Details (title, summary, prompt, blocks) and Export, for the pane's conversation."""

    def details() -> None:
        if pane.conversation is not None:
            dialog = DetailsDialog(pane.services, pane.conversation.id, parent)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.saved.connect(lambda _id: pane.reload())
            dialog.open()

    def export() -> None:
        if pane.conversation is not None:
            transfer.export_dialog(parent, pane.services.conversations, pane.conversation)

    return [
        action(parent, parent.tr("Details…"), DETAILS, details),
        action(parent, parent.tr("Export…"), EXPORT, export),
    ]


def reply_actions(parent: QWidget, pane: ConversationPane) -> list[QAction]:
    """Stop, Copy last reply and Compact."""
    compact = QAction(parent.tr("Compact…"), parent)
    compact.setToolTip(parent.tr("Summarize earlier messages to free the model's context"))
    compact.triggered.connect(pane.compact)
    return [
        action(parent, parent.tr("Stop"), STOP, pane.stop),
        action(parent, parent.tr("Copy last reply"), COPY_REPLY, pane.copy_last_reply),
        compact,
    ]


class ConversationWindow(QMainWindow):
    """One conversation in a window of its own; it streams independently of the others."""

    def __init__(
        self, services: Services, conversation: Conversation, watch: StoreWatch | None = None
    ) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pane = ConversationPane(services)
        self.pane.watch = watch
        self.pane.open(conversation)
        self.setCentralWidget(self.pane)
        self.setWindowTitle(f"{conversation.title or self.tr('Conversation')} — Chinwag")
        self.resize(760, 680)
        window_state.restore("conversation-window", self)
        menu = self.menuBar().addMenu(self.tr("&Conversation"))
        menu.addActions(reply_actions(self, self.pane))
        menu.addActions(conversation_actions(self, self.pane))
        menu.addAction(action(self, self.tr("Close window"), CLOSE, self.close))

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save("conversation-window", self)
        self.pane.shutdown()
        super().closeEvent(event)
