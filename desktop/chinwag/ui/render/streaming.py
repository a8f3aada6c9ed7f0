"""A reply rendered while it streams, without re-parsing what is already shown."""

from __future__ import annotations

from PySide6.QtGui import (
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCursor,
    QTextDocumentFragment,
    QTextOption,
)

from chinwag.core.types import Message
from chinwag.ui.render import limits as render_limits
from chinwag.ui.render.highlight import CodeHighlighter, dark_palette
from chinwag.ui.render.markdown import SafeDocument, markdown_into, plain_format, render


class StreamingRender:
    """A reply as it streams: Markdown up to the last finished paragraph, plain text after.

    Appending replaces only the plain tail. When paragraphs finish, only they are parsed
    and added after the Markdown already shown, so a paragraph boundary costs the new
    paragraphs however long the reply has grown (the view renders the whole stored reply
    once when the stream ends). Past `render_limits.MAX_CHARS` the text is kept but no
    longer shown, and a long unbroken word switches the message to wrap anywhere.
    """

    def __init__(self, message: Message, palette: QPalette, width: float, font: QFont) -> None:
        self.message = message
        self.palette = palette
        self.font = font
        self.width = width
        self.text = ""
        self.stable = 0
        self.rendered = render(message, palette, width, font, text="")
        self._tail_block = True  # render() left an empty block for the body: the tail's

    def set_width(self, width: float) -> None:
        self.width = width
        self.rendered.document.setTextWidth(width)

    def append(self, text: str) -> None:
        self.text += text
        if len(self.text) > render_limits.MAX_CHARS:
            return  # the whole reply is rendered, bounded, when it ends
        if render_limits.has_long_word(self.text[-(len(text) + render_limits.LONG_WORD) :]):
            option = self.rendered.document.defaultTextOption()
            option.setWrapMode(QTextOption.WrapMode.WrapAnywhere)
            self.rendered.document.setDefaultTextOption(option)
        boundary = _stable_boundary(self.text)
        if boundary > self.stable:
            self._settle(self.text[self.stable : boundary])
            self.stable = boundary
        tail = self.text[self.stable :]
        if self.stable:
            tail = tail.lstrip("\n")
        cursor = QTextCursor(self.rendered.document)
        if tail and not self._tail_block:
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertBlock(QTextBlockFormat(), plain_format(self.palette))
            self.rendered.tail_start = cursor.position()
            self._tail_block = True
        cursor.setPosition(self.rendered.tail_start)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(tail, plain_format(self.palette))

    def _settle(self, markdown: str) -> None:
        """Parse finished paragraphs on their own and put them where the tail was."""
        rendered = self.rendered
        cursor = QTextCursor(rendered.document)
        if self._tail_block:  # the tail goes, its block too: the text ends at the last block
            cursor.setPosition(rendered.tail_start - 1)
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        part = SafeDocument()
        part.setDefaultFont(self.font)
        codes = markdown_into(part, markdown, self.palette, len(rendered.code_blocks))
        # An inserted fragment's first block merges into the block at the cursor, taking its
        # format (a heading, quote or list item would lose it): lead with an empty block.
        lead = QTextCursor(part)
        lead.insertBlock(part.begin().blockFormat(), part.begin().charFormat())
        cursor.insertFragment(QTextDocumentFragment(part))
        rendered.tail_start = cursor.position()
        self._tail_block = False
        rendered.code_blocks.extend(codes)
        if codes and rendered.highlighter is None:
            rendered.highlighter = CodeHighlighter(rendered.document, dark_palette(self.palette))


def _stable_boundary(text: str) -> int:
    """End of the last blank line that is not inside a code fence."""
    index = text.rfind("\n\n")
    while index >= 0:
        if text.count("```", 0, index) % 2 == 0:
            return index + 2
        index = text.rfind("\n\n", 0, index)
    return 0
