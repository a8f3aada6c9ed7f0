"""Messages as QTextDocuments: Markdown without HTML, highlighted code with a copy link per
block, tables with borders, nothing loaded from anywhere.

Raw HTML in a reply is shown as text (Markdown is imported with `MarkdownNoHTML`), and
`loadResource` answers every image or stylesheet request with nothing, so a reply can
neither run a script nor make the app fetch a URL. Links are only followed by the view,
after a click, and only for http/https.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
    QTextFrameFormat,
    QTextLength,
    QTextOption,
    QTextTable,
)

from chinwag.core.types import Message, MessageStatus, Role
from chinwag.ui.render import limits as render_limits

ACTION_SCHEME = "chinwag"
SAFE_SCHEMES = frozenset({"http", "https"})
FEATURES = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


class SafeDocument(QTextDocument):
    """A document that never loads a resource: no remote image, no local file."""

    refused: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.refused = []

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        self.refused.append(name.toString() if isinstance(name, QUrl) else name)
        return None


# -- code highlighting ---------------------------------------------------------------------

_KEYWORDS = frozenset(
    [
        "and",
        "as",
        "async",
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "def",
        "default",
        "del",
        "do",
        "elif",
        "else",
        "enum",
        "except",
        "export",
        "extends",
        "false",
        "False",
        "finally",
        "fn",
        "for",
        "from",
        "func",
        "function",
        "go",
        "if",
        "impl",
        "import",
        "in",
        "interface",
        "is",
        "lambda",
        "let",
        "loop",
        "match",
        "mod",
        "mut",
        "new",
        "nil",
        "none",
        "None",
        "not",
        "null",
        "or",
        "package",
        "pass",
        "pub",
        "raise",
        "return",
        "self",
        "static",
        "struct",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "True",
        "try",
        "type",
        "typeof",
        "use",
        "var",
        "void",
        "where",
        "while",
        "with",
        "yield",
    ]
)
_RULES = [
    ("keyword", re.compile(r"\b(?:" + "|".join(_KEYWORDS) + r")\b")),
    ("number", re.compile(r"\b\d+(?:\.\d+)?\b")),
    ("string", re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|`[^`]*`")),
    ("comment", re.compile(r"(?:#|//|--).*$")),
]
_LIGHT = {"keyword": "#8e24aa", "number": "#c2185b", "string": "#2e7d32", "comment": "#757575"}
_DARK = {"keyword": "#ce93d8", "number": "#f48fb1", "string": "#a5d6a7", "comment": "#9e9e9e"}


def is_code(block: QTextBlock) -> bool:
    fmt = block.blockFormat()
    return fmt.hasProperty(QTextFormat.Property.BlockCodeFence) or fmt.hasProperty(
        QTextFormat.Property.BlockCodeLanguage
    )


def dark_palette(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class CodeHighlighter(QSyntaxHighlighter):
    """A small keyword/string/comment highlighter for code blocks of any language."""

    def __init__(self, document: QTextDocument, dark: bool) -> None:
        colours = _DARK if dark else _LIGHT
        self._formats: dict[str, QTextCharFormat] = {}
        for name, colour in colours.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if name == "comment":
                fmt.setFontItalic(True)
            self._formats[name] = fmt
        super().__init__(document)

    def highlightBlock(self, text: str) -> None:
        if not is_code(self.currentBlock()):
            return
        for name, pattern in _RULES:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self._formats[name])


# -- rendering -----------------------------------------------------------------------------


@dataclass
class Rendered:
    document: SafeDocument
    code_blocks: list[str] = field(default_factory=list)
    highlighter: CodeHighlighter | None = None
    tail_start: int = -1  # streaming: where the not-yet-parsed text begins


def _muted(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)


def _anchor_format(href: str, palette: QPalette) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setAnchor(True)
    fmt.setAnchorHref(href)
    fmt.setForeground(palette.color(QPalette.ColorRole.Link))
    return fmt


def _plain_format(palette: QPalette, muted: bool = False, bold: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(_muted(palette) if muted else palette.color(QPalette.ColorRole.Text))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    return fmt


def tr(text: str) -> str:
    return QGuiApplication.translate("Message", text)


def author(message: Message) -> str:
    if message.role == Role.USER:
        return tr("You")
    if message.role == Role.SYSTEM:
        return tr("System")
    return message.model or tr("Assistant")


def metadata(message: Message) -> str:
    """Model, tokens, cost and time of a reply, for its footer."""
    parts = []
    if message.usage is not None:
        total = message.usage.prompt_tokens + message.usage.completion_tokens
        parts.append(tr("{n} tokens").format(n=f"{total:,}"))
    if message.cost is not None:
        parts.append(f"${message.cost:.4f}")
    if message.latency_ms is not None:
        parts.append(f"{message.latency_ms / 1000:.1f} s")
    parts.append(message.created_at.astimezone().strftime("%Y-%m-%d %H:%M"))
    return " · ".join(parts)


def _status_note(message: Message) -> str:
    return {
        MessageStatus.CANCELLED: tr("stopped"),
        MessageStatus.INTERRUPTED: tr("interrupted"),
        MessageStatus.ERROR: tr("failed"),
        MessageStatus.STREAMING: tr("writing…"),
    }.get(message.status, "")


def _decorate_code(document: QTextDocument, palette: QPalette, first_index: int = 0) -> list[str]:
    """Insert a "Copy" link above each code block, numbered from `first_index`; return
    the blocks' text in order."""
    groups: list[list[QTextBlock]] = []
    block = document.begin()
    previous_code = False
    while block.isValid():
        code = is_code(block)
        if code and not previous_code:
            groups.append([])
        if code:
            groups[-1].append(block)
        previous_code = code
        block = block.next()
    texts = ["\n".join(b.text() for b in group) for group in groups]
    for index in range(len(groups) - 1, -1, -1):
        first = groups[index][0]
        cursor = QTextCursor(first)
        cursor.insertBlock(first.blockFormat(), first.charFormat())
        cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
        label = QTextBlockFormat()
        label.setTopMargin(6)
        cursor.setBlockFormat(label)
        language = first.blockFormat().stringProperty(QTextFormat.Property.BlockCodeLanguage)
        if language:
            cursor.insertText(f"{language}  ", _plain_format(palette, muted=True))
        href = f"{ACTION_SCHEME}:copy/{first_index + index}"
        cursor.insertText(tr("Copy code"), _anchor_format(href, palette))
    return texts


def _style_tables(document: QTextDocument, palette: QPalette) -> None:
    for frame in document.rootFrame().childFrames():
        if isinstance(frame, QTextTable):
            fmt = frame.format()
            fmt.setBorder(1)
            fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
            fmt.setBorderBrush(_muted(palette))
            fmt.setCellPadding(4)
            fmt.setCellSpacing(0)
            fmt.setBorderCollapse(True)
            fmt.setWidth(QTextLength(QTextLength.Type.VariableLength, 0))
            frame.setFormat(fmt)


def _style_code_background(document: QTextDocument, palette: QPalette) -> None:
    shade = palette.color(QPalette.ColorRole.AlternateBase)
    block = document.begin()
    while block.isValid():
        if is_code(block):
            cursor = QTextCursor(block)
            fmt = block.blockFormat()
            fmt.setBackground(shade)
            cursor.setBlockFormat(fmt)
        block = block.next()


def _markdown_into(
    document: QTextDocument, text: str, palette: QPalette, first_code: int = 0
) -> list[str]:
    """`text` as the document's Markdown, styled; returns its code blocks' text."""
    document.setMarkdown(text, FEATURES)
    _style_tables(document, palette)
    _style_code_background(document, palette)
    return _decorate_code(document, palette, first_code)


def render(
    message: Message,
    palette: QPalette,
    width: float,
    font: QFont,
    show_reasoning: bool = False,
    text: str | None = None,
    decor: Decor | None = None,
) -> Rendered:
    """The whole message: header, reasoning (collapsed), body, errors, actions, footer."""
    decor = decor or Decor()
    document = SafeDocument()
    document.setDefaultFont(font)
    document.setDocumentMargin(8)
    limited = render_limits.shown(message.text if text is None else text)
    if limited.wrap_anywhere:
        option = document.defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAnywhere)
        document.setDefaultTextOption(option)
    codes = _markdown_into(document, limited.text, palette)

    cursor = QTextCursor(document)
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    # the body's first block moves down, its format with it (a leading heading stays one)
    cursor.insertBlock(document.begin().blockFormat(), document.begin().charFormat())
    cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
    cursor.setBlockFormat(QTextBlockFormat())
    cursor.insertText(author(message), _plain_format(palette, bold=True))
    note = _status_note(message)
    if note:
        cursor.insertText(f"  · {note}", _plain_format(palette, muted=True))
    _append_decor_header(cursor, decor, palette)
    if message.reasoning:
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        label = tr("▾ Hide reasoning") if show_reasoning else tr("▸ Show reasoning")
        cursor.insertText(label, _anchor_format(f"{ACTION_SCHEME}:reasoning", palette))
        if show_reasoning:
            quote = QTextBlockFormat()
            quote.setLeftMargin(16)
            for line in message.reasoning.splitlines() or [""]:
                cursor.insertBlock(quote, QTextCharFormat())
                italic = _plain_format(palette, muted=True)
                italic.setFontItalic(True)
                cursor.insertText(line, italic)

    rendered = Rendered(document, codes)
    end = QTextCursor(document)
    end.movePosition(QTextCursor.MoveOperation.End)
    if limited.note:
        end.insertBlock(QTextBlockFormat(), QTextCharFormat())
        end.insertText(tr(limited.note), _plain_format(palette, muted=True))
    if message.status == MessageStatus.STREAMING:
        rendered.tail_start = end.position()
    else:
        _append_footer(end, message, palette)
        _append_marker(end, decor, palette)
    if codes:  # a highlighter walks every block once: only worth it with code to colour
        rendered.highlighter = CodeHighlighter(document, dark_palette(palette))
    document.setTextWidth(width)
    return rendered


@dataclass(frozen=True)
class Decor:
    """What the view knows about a message beyond its text."""

    version: tuple[int, int] | None = None  # (1-based index, count) when several versions
    pinned: bool = False
    summary: str | None = None  # a compaction's summary, drawn after this message
    summary_open: bool = False


def _append_decor_header(cursor: QTextCursor, decor: Decor, palette: QPalette) -> None:
    if decor.pinned:
        cursor.insertText("  · " + tr("Pinned"), _plain_format(palette, muted=True))
    if decor.version is not None:
        index, count = decor.version
        cursor.insertText("   ", _plain_format(palette, muted=True))
        if index > 1:
            cursor.insertText("<", _anchor_format(f"{ACTION_SCHEME}:version/prev", palette))
        else:
            cursor.insertText("<", _plain_format(palette, muted=True))
        cursor.insertText(f" {index}/{count} ", _plain_format(palette, muted=True))
        if index < count:
            cursor.insertText(">", _anchor_format(f"{ACTION_SCHEME}:version/next", palette))
        else:
            cursor.insertText(">", _plain_format(palette, muted=True))


def _append_marker(cursor: QTextCursor, decor: Decor, palette: QPalette) -> None:
    """The compaction marker: where the messages before left the model's context."""
    if decor.summary is None:
        return
    marker = QTextBlockFormat()
    marker.setTopMargin(8)
    cursor.insertBlock(marker, QTextCharFormat())
    first = decor.summary.strip().splitlines()[0][:80] if decor.summary.strip() else ""
    cursor.insertText(
        tr("Earlier messages summarized: {first}").format(first=first) + "  ",
        _plain_format(palette, bold=True),
    )
    label = tr("▾ Hide summary") if decor.summary_open else tr("▸ Show summary")
    cursor.insertText(label, _anchor_format(f"{ACTION_SCHEME}:summary", palette))
    if decor.summary_open:
        quote = QTextBlockFormat()
        quote.setLeftMargin(16)
        for line in decor.summary.splitlines() or [""]:
            cursor.insertBlock(quote, QTextCharFormat())
            cursor.insertText(line, _plain_format(palette, muted=True))


def _append_footer(cursor: QTextCursor, message: Message, palette: QPalette) -> None:
    if message.error:
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        error = QTextCharFormat()
        error.setForeground(QColor("#d32f2f"))
        cursor.insertText(tr("Error: {error}").format(error=message.error), error)
    actions: list[tuple[str, str]] = []
    if message.role == Role.USER:
        actions.append(("edit", tr("Edit")))
    if message.role == Role.ASSISTANT:
        if message.status == MessageStatus.ERROR:
            actions.append(("retry", tr("Retry")))
        if message.status in (MessageStatus.INTERRUPTED, MessageStatus.CANCELLED):
            actions.append(("continue", tr("Continue")))
        if message.status != MessageStatus.ERROR:
            actions.append(("regenerate", tr("Regenerate")))
    footer = QTextBlockFormat()
    footer.setTopMargin(4)
    cursor.insertBlock(footer, QTextCharFormat())
    for name, label in actions:
        cursor.insertText(label, _anchor_format(f"{ACTION_SCHEME}:{name}", palette))
        cursor.insertText("   ", _plain_format(palette, muted=True))
    small = _plain_format(palette, muted=True)
    small.setFontPointSize(max(6.0, cursor.document().defaultFont().pointSizeF() * 0.85))
    cursor.insertText(metadata(message), small)


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
            cursor.insertBlock(QTextBlockFormat(), _plain_format(self.palette))
            self.rendered.tail_start = cursor.position()
            self._tail_block = True
        cursor.setPosition(self.rendered.tail_start)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(tail, _plain_format(self.palette))

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
        codes = _markdown_into(part, markdown, self.palette, len(rendered.code_blocks))
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
