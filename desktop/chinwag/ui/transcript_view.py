"""Shows a conversation's messages as Markdown; loads nothing remote, runs nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

from chinwag.core.models import Message, MessageStatus, Role

SAFE_SCHEMES = {"http", "https"}


def message_markdown(message: Message) -> str:
    who = "You" if message.role == Role.USER else (message.model or "Assistant")
    note = {
        MessageStatus.CANCELLED: " · stopped",
        MessageStatus.INTERRUPTED: " · interrupted",
        MessageStatus.ERROR: " · error",
        MessageStatus.STREAMING: " · …",
    }.get(message.status, "")
    body = message.text or ""
    if message.error:
        body += f"\n\n> **Error:** {message.error}"
    return f"**{who}**{note}\n\n{body}\n\n---\n"


class TranscriptView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._open_link)
        self.setAccessibleName(self.tr("Conversation"))

    def show_messages(self, messages: list[Message]) -> None:
        self.setMarkdown("".join(message_markdown(m) for m in messages))
        self.moveCursor(QTextCursor.MoveOperation.End)

    def append_text(self, text: str) -> None:
        """Streaming: append at the end without re-parsing anything."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        return None  # no remote images, no files: Markdown cannot make us fetch anything

    def _open_link(self, url: QUrl) -> None:
        if url.scheme().lower() in SAFE_SCHEMES:
            QDesktopServices.openUrl(url)
