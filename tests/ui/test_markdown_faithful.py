"""A reply is shown as the model wrote it: its lines, each of its code blocks, its math
source, and the same while it streams as once it has ended."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QTextBlockFormat,
    QTextDocument,
    QTextTable,
)
from pytestqt.qtbot import QtBot

from chinwag.core.store import Store
from chinwag.core.types import Conversation, Message, MessageStatus, Role
from chinwag.ui.render import limits as render_limits
from chinwag.ui.render.markdown import Rendered, render
from chinwag.ui.render.streaming import StreamingRender
from tests.support.views import shown_view

POEM = "Roses are red,\nviolets are blue,\nthis line stays\nwhere it grew."
LOG = (
    "The server said:\n"
    "2026-12-01 00:12:01 INFO  listening on :8080\n"
    "2026-12-01 00:12:04 WARN  slow request /api (812 ms)\n"
    "2026-12-01 00:12:09 ERROR connection reset"
)
REPLY = (
    "Here is the plan,\nin two lines.\n\n"
    "- one\n- **two**\n\n"
    "```python\nfor i in range(3):\n    print(i)\n```\n\n"
    "| name | size |\n|---|---|\n| a | 1 |\n| b | 2 |\n\n"
    "A last paragraph,\nwith *two* lines."
)


def app() -> QGuiApplication:
    instance = QGuiApplication.instance()
    assert isinstance(instance, QGuiApplication)
    return instance


def streaming_message() -> Message:
    return Message(
        id="live", conversation_id="c", role=Role.ASSISTANT, status=MessageStatus.STREAMING
    )


def whole(text: str) -> Rendered:
    return render(streaming_message(), app().palette(), 500, app().font(), text=text)


def streamed(text: str, chunk: int) -> StreamingRender:
    live = StreamingRender(streaming_message(), app().palette(), 500, app().font())
    for start in range(0, len(text), chunk):
        live.append(text[start : start + chunk])
    return live


def lines(document: QTextDocument) -> list[str]:
    return document.toPlainText().split("\n")


@pytest.mark.parametrize("text", [POEM, LOG])
def test_single_newlines_are_line_breaks_streamed_and_final(qtbot: QtBot, text: str) -> None:
    for document in (whole(text).document, streamed(text, 7).rendered.document):
        shown = lines(document)
        for line in text.split("\n"):
            assert line in shown, (line, shown)  # its own line, not joined to the next


def test_code_keeps_its_text_exactly(qtbot: QtBot) -> None:
    code = "x = 1\ny = 2\n\n    indented"
    rendered = whole(f"Look:\n```\n{code}\n```\nand\n\n    four spaces\n    of code")
    # no hard-break spaces added inside either kind of code block
    assert rendered.code_blocks == [code, "four spaces\nof code"]


TABLES_FIRST = (
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n> a quote\n\n| c | d |\n|---|---|\n| 3 | 4 |\n\n"
    "1. x\n2. y\n\n~~~\nplain\n~~~"
)


LONG_BLOCKS = (  # past TAIL_PER_CHUNK_CHARS: chunks join the last line, lines are parsed
    " ".join(f"word{i}" for i in range(150))
    + "\n\n```python\n"
    + "".join(f"    value_{i} = compute(value_{i - 1}) + {i}\n" for i in range(40))
    + "```\n\n"
    + "| n | v |\n|---|---|\n"
    + "".join(f"| {i} | **{i}** |\n" for i in range(60))
)


@pytest.mark.parametrize("text", [REPLY, TABLES_FIRST, LONG_BLOCKS])
@pytest.mark.parametrize("chunk", [1, 4, 13, len(REPLY)])
def test_what_streams_is_what_stays(qtbot: QtBot, chunk: int, text: str) -> None:
    final = whole(text).document
    live = streamed(text, chunk).rendered.document
    assert live.toPlainText() == final.toPlainText()
    assert live.blockCount() == final.blockCount()
    assert "**" not in live.toPlainText() and "|---" not in live.toPlainText()


def test_a_line_being_streamed_in_a_long_code_block_is_its_own_line(qtbot: QtBot) -> None:
    cut = LONG_BLOCKS.index("value_30 = compute") + len("value_30 = comp")
    live = streamed(LONG_BLOCKS[:cut], 3).rendered.document
    assert lines(live)[-1] == "    value_30 = comp"  # not joined to the line before


def test_two_fenced_blocks_in_a_row_stay_two(qtbot: QtBot, store: Store) -> None:
    text = "Two:\n```python\nprint(1)\n```\n```python\nprint(2)\n```\n```sh\necho 3\n```"
    rendered = whole(text)
    assert rendered.code_blocks == ["print(1)", "print(2)", "echo 3"]
    shown = rendered.document.toPlainText()
    assert shown.count("python  Copy code") == 2 and shown.count("sh  Copy code") == 1
    assert streamed(text, 5).rendered.code_blocks == rendered.code_blocks

    conversation = store.create_conversation(Conversation())
    message = store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, text))
    view = shown_view(qtbot, store, conversation.id, 600, 400)
    qtbot.waitUntil(lambda: message.id in view.rendered_ids(), timeout=5000)
    view.activate_link(message.id, "chinwag:copy/1")
    assert QGuiApplication.clipboard().text() == "print(2)"
    shown = view.document_of(message.id).toPlainText()
    assert shown.count("Copied") == 1 and shown.count("Copy code") == 2
    anchors = view.document_of(message.id).toMarkdown()
    assert "[Copied](chinwag:copy/1)" in anchors  # still the link: a second click copies
    view.refresh_message(message.id)  # a re-render says "Copy code" again
    assert "Copied" not in view.document_of(message.id).toPlainText()


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("So $a\\,b$ here.", "So $a\\,b$ here."),
        ("It costs $5 and $10, or \\$3.", "It costs $5 and $10, or $3."),
        ("Inline \\(x_1 * y_2\\) and \\[a^*\\]", "Inline \\(x_1 * y_2\\) and \\[a^*\\]"),
        ("$x_1 * y_2 * z$", "$x_1 * y_2 * z$"),
        ("Code `$a\\,b$` stays", "Code $a\\,b$ stays"),
        ("$$\n\\frac{a}{b} - c\n$$", "$$\n\\frac{a}{b} - c\n$$"),
    ],
)
def test_math_source_is_shown_as_written(qtbot: QtBot, written: str, shown: str) -> None:
    body = whole(written).document.toPlainText().split("\n", 1)[1]  # after the author line
    assert body.strip("\n") == shown


@pytest.mark.parametrize("opener", ["$$a ", "\\(a ", "\\[a ", "``a ` "])
def test_a_line_of_unclosed_math_or_code_openers_renders_in_one_pass(
    qtbot: QtBot, opener: str
) -> None:
    text = opener * (render_limits.MAX_CHARS // len(opener))
    started = time.perf_counter()
    shown = whole(text).document.toPlainText()
    elapsed = time.perf_counter() - started
    assert shown.count("a ") > len(text) // len(opener) // 2  # shown, not dropped
    assert elapsed < 3.0, elapsed  # one pass takes ~0.3 s; one per opener took 28 s


def test_a_streamed_table_is_cut_at_the_row_limit_as_the_final_render_is(qtbot: QtBot) -> None:
    table = "| n | v |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(400))
    live = streamed(table, 6).rendered.document
    tables = [f for f in live.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert len(tables) == 1
    assert tables[0].rows() == render_limits.MAX_TABLE_ROWS + 1  # the header, then 200 rows


def test_task_lists_and_strikethrough_render(qtbot: QtBot) -> None:
    document = whole("- [ ] to do\n- [x] done\n\n~~gone~~ stays").document
    markers = {}
    block = document.begin()
    while block.isValid():
        if block.textList() is not None:
            markers[block.text()] = block.blockFormat().marker()
        if block.text().startswith("gone"):
            struck = block.begin().fragment()
            assert struck.text() == "gone" and struck.charFormat().fontStrikeOut()
        block = block.next()
    assert markers == {
        "to do": QTextBlockFormat.MarkerType.Unchecked,
        "done": QTextBlockFormat.MarkerType.Checked,
    }
    assert "~~" not in document.toPlainText() and "[x]" not in document.toPlainText()


@pytest.mark.parametrize("before", ["```\nx\n```", "> quoted", "Text"])
def test_a_table_after_a_code_block_or_quote_starts_with_its_header(
    qtbot: QtBot, before: str
) -> None:
    document = whole(f"{before}\n\n| name | price |\n|---|---|\n| tea | 5 |").document
    table = next(f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable))
    first = table.cellAt(0, 0).firstCursorPosition().block()
    assert first.text() == "name"  # not an empty line above it
    assert first.begin().fragment().charFormat().fontWeight() == QFont.Weight.Bold


def test_a_list_item_keeps_its_lines_and_the_list_its_numbers(qtbot: QtBot) -> None:
    text = "1. one\n   more of one\n2. two\n\n- a\n  also a\n  - nested\n    too"
    document = whole(text).document
    items: dict[str, int] = {}
    kept: list[str] = []
    block = document.begin()
    while block.isValid():
        text_list = block.textList()
        if text_list is not None:
            items[block.text()] = text_list.itemNumber(block)
        elif block.blockFormat().indent():
            kept.append(block.text())
        block = block.next()
    assert items == {"one": 0, "two": 1, "a": 0, "nested": 0}  # "2." is still the second
    assert kept == ["more of one", "also a", "too"]  # their own lines, under their item
    assert "\u2060" not in document.toPlainText()
