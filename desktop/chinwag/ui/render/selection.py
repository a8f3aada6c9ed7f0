"""A text selection inside one message of the virtualized view.

The view has no widget per message, so it keeps the selection itself: the message id and two
positions in that message's rendered document. Painting hands it to the document layout as
a highlighted range; copying reads the same range as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextCharFormat, QTextCursor

from chinwag.ui.render.markdown import Rendered


@dataclass
class Selection:
    message_id: str
    anchor: int
    position: int

    @property
    def empty(self) -> bool:
        return self.anchor == self.position

    def cursor(self, rendered: Rendered) -> QTextCursor:
        """The range as a cursor, clamped: a re-render may have made the document shorter."""
        last = max(0, rendered.document.characterCount() - 1)
        cursor = QTextCursor(rendered.document)
        cursor.setPosition(min(self.anchor, last))
        cursor.setPosition(min(self.position, last), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def text(self, rendered: Rendered) -> str:
        return self.cursor(rendered).selection().toPlainText()

    def highlight(
        self, rendered: Rendered, palette: QPalette
    ) -> QAbstractTextDocumentLayout.Selection:
        selection = QAbstractTextDocumentLayout.Selection()
        selection.cursor = self.cursor(rendered)
        selected = QTextCharFormat()
        selected.setBackground(palette.highlight())
        selected.setForeground(palette.highlightedText())
        selection.format = selected
        return selection


def word_at(rendered: Rendered, position: int, message_id: str) -> Selection:
    cursor = QTextCursor(rendered.document)
    cursor.setPosition(position)
    cursor.select(QTextCursor.SelectionType.WordUnderCursor)
    return Selection(message_id, cursor.anchor(), cursor.position())


def whole(rendered: Rendered, message_id: str) -> Selection:
    return Selection(message_id, 0, max(0, rendered.document.characterCount() - 1))
