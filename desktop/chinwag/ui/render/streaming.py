"""A reply rendered while it streams, without re-parsing what is already shown."""

from __future__ import annotations

from PySide6.QtGui import (
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocumentFragment,
    QTextFormat,
    QTextOption,
)

from chinwag.core.types import Message
from chinwag.ui.render import limits as render_limits
from chinwag.ui.render.highlight import CodeHighlighter, dark_palette, is_code
from chinwag.ui.render.markdown import (
    SafeDocument,
    markdown_into,
    opens_with_table,
    plain_format,
    render,
)

TAIL_PER_CHUNK_CHARS = 500  # a longer unfinished block is parsed again per line, not chunk
TAIL_MARKDOWN_CHARS = 8_000  # a longer one streams as plain text


class StreamingRender:
    """A reply as it streams, shown as its final render will show it.

    Finished paragraphs are parsed once and stay; the unfinished one (the tail) is parsed
    again and replaces the tail shown before, so what the stream showed is what stays when
    it ends, not a plain-text tail that re-flows into Markdown. A paragraph boundary costs
    the new paragraphs however long the reply has grown. Plain words after plain text are
    added to the last line as they are (no parse); past `TAIL_PER_CHUNK_CHARS` (a table, a
    code block) any chunk within a line is, and the tail is parsed when a line starts or
    ends; past `TAIL_MARKDOWN_CHARS` it is plain text, and tables are cut at
    `render_limits.MAX_TABLE_ROWS` rows, so a hostile reply cannot make each chunk re-lay
    out all of it (a 600-row table took 190 ms a chunk). Past `render_limits.MAX_CHARS`
    the text is kept but no longer shown, and a long unbroken word switches the message to
    wrap anywhere.
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
        self._cut_tail: str | None = None  # the tail shown, when a table in it was cut

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
        settled = boundary > self.stable
        if settled:
            self._replace_tail(self.text[self.stable : boundary])
            self._settled_end = self._end()
            self._settled_codes = len(self.rendered.code_blocks)
            self._cut_tail = None
            self.stable = boundary
        tail = self.text[self.stable :]
        if not settled and self._only_extends_the_last_line(text, tail):
            cursor = QTextCursor(self.rendered.document)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(text)  # in the format of the text before it
        else:
            shown = render_limits.shown(tail)
            if shown.hidden_rows and shown.text == self._cut_tail:
                return  # rows past the table's limit: nothing shown changes
            self._cut_tail = shown.text if shown.hidden_rows else None
            self._replace_tail(tail)

    def _only_extends_the_last_line(self, text: str, tail: str) -> bool:
        """Whether `text`, just added to `tail`, can be added to the last line shown as it
        is rather than parsing the tail again: it is on a line already shown, and it is
        plain words after plain text, or the tail is long (its line is parsed when it ends:
        a chunk costs the chunk, not the table or code block it is in)."""
        if "\n" in text or len(tail) > TAIL_MARKDOWN_CHARS or self._cut_tail is not None:
            return False
        line = tail[: len(tail) - len(text)].rpartition("\n")[2]
        if not line.strip():
            return False  # a new line: no block shows it yet
        if len(tail) > TAIL_PER_CHUNK_CHARS:
            return True
        if not all(c.isalnum() or c == " " for c in text):
            return False  # punctuation may open or close Markdown
        cursor = QTextCursor(self.rendered.document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return not is_code(cursor.block()) and _is_plain(cursor.charFormat())

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
        limited = render_limits.shown(markdown).text
        codes = markdown_into(part, limited, self.palette, len(rendered.code_blocks))
        # An inserted fragment's first block merges into the block at the cursor, taking its
        # format (a heading, quote or list item would lose it): lead with an empty block.
        # A part that opens with a table already has one: the empty block before its frame.
        if not opens_with_table(part):
            lead = QTextCursor(part)
            lead.insertBlock(part.begin().blockFormat(), part.begin().charFormat())
        cursor.insertFragment(QTextDocumentFragment(part))
        rendered.code_blocks.extend(codes)
        if codes and rendered.highlighter is None:
            rendered.highlighter = CodeHighlighter(rendered.document, dark_palette(self.palette))


def _is_plain(fmt: QTextCharFormat) -> bool:
    """Text in this format is body text: words typed after it would be body text too (not
    so after bold, a link or inline code that just closed)."""
    return not (
        fmt.fontWeight() > QFont.Weight.Normal
        or fmt.fontItalic()
        or fmt.fontStrikeOut()
        or fmt.fontUnderline()
        or fmt.fontFixedPitch()
        or fmt.isAnchor()
        or fmt.hasProperty(QTextFormat.Property.FontSizeAdjustment)
    )


def _stable_boundary(text: str) -> int:
    """End of the last blank line that is not inside a code fence."""
    index = text.rfind("\n\n")
    while index >= 0:
        if text.count("```", 0, index) % 2 == 0:
            return index + 2
        index = text.rfind("\n\n", 0, index)
    return 0
