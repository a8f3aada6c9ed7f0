"""Messages as QTextDocuments: Markdown without HTML, highlighted code with a copy link per
block, tables with borders, nothing loaded from anywhere.

Raw HTML in a reply is shown as text (Markdown is imported with `MarkdownNoHTML`), and
`loadResource` answers every image or stylesheet request with nothing, so a reply can
neither run a script nor make the app fetch a URL. Links are only followed by the view,
after a click, and only for http/https.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextLength,
    QTextOption,
    QTextTable,
)

from chinwag.core.types import Message, MessageStatus, Role
from chinwag.ui.render import limits as render_limits
from chinwag.ui.render.highlight import CodeHighlighter, dark_palette, is_code
from chinwag.ui.render.source import CONTINUATION, prepare

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


def plain_format(palette: QPalette, muted: bool = False, bold: bool = False) -> QTextCharFormat:
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
    previous_fence: str | None = None  # of the block before, when it is code
    while block.isValid():
        fence = _fence_of(block) if is_code(block) else None
        if fence is not None and fence != previous_fence:  # fences alternate: a new block
            groups.append([])
        if fence is not None:
            groups[-1].append(block)
        previous_fence = fence
        block = block.next()
    texts = ["\n".join(b.text() for b in group) for group in groups]
    for index in range(len(groups) - 1, -1, -1):
        first = groups[index][0]
        language = first.blockFormat().stringProperty(QTextFormat.Property.BlockCodeLanguage)
        cursor = QTextCursor(first)
        cursor.insertBlock(first.blockFormat(), first.charFormat())
        cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
        label = QTextBlockFormat()
        label.setTopMargin(6)
        cursor.setBlockFormat(label)
        if language:
            cursor.insertText(f"{language}  ", plain_format(palette, muted=True))
        href = f"{ACTION_SCHEME}:copy/{first_index + index}"
        cursor.insertText(tr("Copy code"), _anchor_format(href, palette))
    return texts


def mark_copied(document: QTextDocument, index: int) -> None:
    """Code block `index`'s copy link says "Copied", still a link (until the message renders
    again): the click shows that it did something."""
    href = f"{ACTION_SCHEME}:copy/{index}"
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position())
                cursor.setPosition(
                    fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                )
                cursor.insertText(tr("Copied"), fragment.charFormat())
                return
            fragments += 1
        block = block.next()


def _disarm_action_links(document: QTextDocument) -> None:
    """A link the reply wrote to `chinwag:` would run an app action when clicked: it stays
    text. Only the app's own decorations, added after this, carry actions."""
    ranges: list[tuple[int, int, QTextCharFormat]] = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            fmt = fragment.charFormat()
            if fmt.isAnchor() and QUrl(fmt.anchorHref()).scheme().lower() == ACTION_SCHEME:
                fmt.setAnchor(False)
                fmt.setAnchorHref("")
                ranges.append((fragment.position(), fragment.length(), fmt))
            fragments += 1
        block = block.next()
    for position, length, fmt in ranges:
        cursor = QTextCursor(document)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(fmt)


def opens_with_table(document: QTextDocument) -> bool:
    """Whether the document starts with a table: then its first block is the empty one that
    precedes every frame, free for the text that goes before the table."""
    first = document.begin()
    return not first.text() and QTextCursor(first.next()).currentTable() is not None


def _continue_list_items(document: QTextDocument) -> None:
    """Lines `prepare` marked as the next line of a list item: out of the list (Qt's
    importer made each an item), indented as the item's text, the mark gone."""
    block = document.begin()
    while block.isValid():
        following = block.next()
        if block.text().startswith(CONTINUATION):
            cursor = QTextCursor(block)
            cursor.deleteChar()
            items = block.textList()
            if items is not None:
                items.remove(block)
                fmt = block.blockFormat()
                fmt.setIndent(items.format().indent())
                cursor.setBlockFormat(fmt)
        block = following


def _fence_of(block: QTextBlock) -> str:
    fence = block.blockFormat().property(QTextFormat.Property.BlockCodeFence)
    return fence if isinstance(fence, str) else ""


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
            _drop_stray_first_line(frame)


def _drop_stray_first_line(table: QTextTable) -> None:
    """Qt's importer opens a table that follows a code block or a quote with an empty line
    in its first cell, and that header not bold: the line goes, the bold comes back."""
    cell = table.cellAt(0, 0)
    cursor = cell.firstCursorPosition()
    if cursor.block().text() or cursor.block() == cell.lastCursorPosition().block():
        return
    cursor.deleteChar()  # the header's text joins the empty line
    cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    bold = QTextCharFormat()
    bold.setFontWeight(QFont.Weight.Bold)
    cursor.mergeCharFormat(bold)


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


def markdown_into(
    document: QTextDocument, text: str, palette: QPalette, first_code: int = 0
) -> list[str]:
    """`text` as the document's Markdown, styled; returns its code blocks' text."""
    prepared = prepare(text)
    document.setMarkdown(prepared, FEATURES)
    if CONTINUATION in prepared:
        _continue_list_items(document)
    if ACTION_SCHEME in text.lower():
        _disarm_action_links(document)
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
    codes = markdown_into(document, limited.text, palette)

    cursor = QTextCursor(document)
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    if not opens_with_table(document):
        # the body's first block moves down, its format with it (a leading heading stays one)
        cursor.insertBlock(document.begin().blockFormat(), document.begin().charFormat())
        cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
    cursor.setBlockFormat(QTextBlockFormat())
    cursor.insertText(author(message), plain_format(palette, bold=True))
    note = _status_note(message)
    if note:
        cursor.insertText(f"  · {note}", plain_format(palette, muted=True))
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
                italic = plain_format(palette, muted=True)
                italic.setFontItalic(True)
                cursor.insertText(line, italic)

    rendered = Rendered(document, codes)
    end = QTextCursor(document)
    end.movePosition(QTextCursor.MoveOperation.End)
    if limited.note:
        end.insertBlock(QTextBlockFormat(), QTextCharFormat())
        end.insertText(tr(limited.note), plain_format(palette, muted=True))
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
        cursor.insertText("  · " + tr("Pinned"), plain_format(palette, muted=True))
    if decor.version is not None:
        index, count = decor.version
        cursor.insertText("   ", plain_format(palette, muted=True))
        if index > 1:
            cursor.insertText("<", _anchor_format(f"{ACTION_SCHEME}:version/prev", palette))
        else:
            cursor.insertText("<", plain_format(palette, muted=True))
        cursor.insertText(f" {index}/{count} ", plain_format(palette, muted=True))
        if index < count:
            cursor.insertText(">", _anchor_format(f"{ACTION_SCHEME}:version/next", palette))
        else:
            cursor.insertText(">", plain_format(palette, muted=True))


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
        plain_format(palette, bold=True),
    )
    label = tr("▾ Hide summary") if decor.summary_open else tr("▸ Show summary")
    cursor.insertText(label, _anchor_format(f"{ACTION_SCHEME}:summary", palette))
    if decor.summary_open:
        quote = QTextBlockFormat()
        quote.setLeftMargin(16)
        for line in decor.summary.splitlines() or [""]:
            cursor.insertBlock(quote, QTextCharFormat())
            cursor.insertText(line, plain_format(palette, muted=True))


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
        cursor.insertText("   ", plain_format(palette, muted=True))
    small = plain_format(palette, muted=True)
    small.setFontPointSize(max(6.0, cursor.document().defaultFont().pointSizeF() * 0.85))
    cursor.insertText(metadata(message), small)
