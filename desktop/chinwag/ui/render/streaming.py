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

TAIL_MARKDOWN_CHARS = 4_000  # a longer unfinished paragraph streams as plain text


class StreamingRender:
    """A reply as it streams, shown as its final render will show it.

    Finished paragraphs are parsed once and stay; the unfinished one (the tail) is parsed
    again on each append and replaces the tail shown before, so what the stream showed is
    what stays when it ends, not a plain-text tail that re-flows into Markdown. A paragraph
    boundary costs the new paragraphs however long the reply has grown. A tail longer than
    `TAIL_MARKDOWN_CHARS` (a huge table or code block without a blank line) is shown as
    plain text, so a hostile reply cannot make each chunk re-parse all of it. Past
    `render_limits.MAX_CHARS` the text is kept but no longer shown, and a long unbroken
    word switches the message to wrap anywhere.
    """

    def __init__(self, message: Message, palette: QPalette, width: float, font: QFont) -> None:
        self.message = message
        self.palette = palette
        self.font = font
        self.width = width
        self.text = ""
        self.stable = 0
        self.rendered = render(message, palette, width, font, text="")
        # render() left an empty block for the body: it goes with the first tail shown
        self._settled_end = self.rendered.tail_start - 1
        self._settled_codes = 0

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
            self._replace_tail(self.text[self.stable : boundary])
            self._settled_end = self._end()
            self._settled_codes = len(self.rendered.code_blocks)
            self.stable = boundary
        self._replace_tail(self.text[self.stable :])

    def _end(self) -> int:
        cursor = QTextCursor(self.rendered.document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor.position()

    def _replace_tail(self, markdown: str) -> None:
        """Show `markdown` after the settled paragraphs, in place of the tail before."""
        rendered = self.rendered
        cursor = QTextCursor(rendered.document)
        cursor.setPosition(self._settled_end)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        del rendered.code_blocks[self._settled_codes :]
        rendered.tail_start = self._settled_end + 1
        if not markdown.strip("\n"):
            return
        if len(markdown) > TAIL_MARKDOWN_CHARS:
            cursor.insertBlock(QTextBlockFormat(), plain_format(self.palette))
            cursor.insertText(markdown.strip("\n"), plain_format(self.palette))
            return
        part = SafeDocument()
        part.setDefaultFont(self.font)
        codes = markdown_into(part, markdown, self.palette, len(rendered.code_blocks))
        # An inserted fragment's first block merges into the block at the cursor, taking its
        # format (a heading, quote or list item would lose it): lead with an empty block.
        lead = QTextCursor(part)
        lead.insertBlock(part.begin().blockFormat(), part.begin().charFormat())
        cursor.insertFragment(QTextDocumentFragment(part))
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
