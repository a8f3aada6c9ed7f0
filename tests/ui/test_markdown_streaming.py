"""A streaming reply adds each finished paragraph to the document it already shows, and
looks as the stored reply will once rendered whole."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QTextDocument
from pytestqt.qtbot import QtBot

from chinwag.core.types import Message, MessageStatus, Role
from chinwag.ui.render.highlight import is_code
from chinwag.ui.render.markdown import render
from chinwag.ui.render.streaming import StreamingRender

REPLY = (
    "# Plan\n\n"
    "Some *intro* with a [link](https://example.com).\n\n"
    "- one\n- two\n\n"
    "> quoted\n\n"
    "```python\nfor i in range(3):\n    print(i)\n```\n\n"
    "1. first\n2. second\n\n"
    "```sh\necho done\n```\n\n"
    "The end."
)


def shape(document: QTextDocument) -> list[tuple[str, int, bool, bool, float]]:
    """What the eye sees of each block: text, heading level, list item, code, indent."""
    blocks = []
    block = document.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if block.text() or block.textList() is not None or is_code(block):
            blocks.append(
                (block.text(), fmt.headingLevel(), block.textList() is not None, is_code(block),
                 fmt.leftMargin())
            )  # fmt: skip
        block = block.next()
    return blocks


def streamed(chunk: int) -> StreamingRender:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    message = Message(
        id="live", conversation_id="c", role=Role.ASSISTANT, status=MessageStatus.STREAMING
    )
    live = StreamingRender(message, app.palette(), 500, app.font())
    for start in range(0, len(REPLY), chunk):
        live.append(REPLY[start : start + chunk])
    return live


def test_streamed_reply_matches_the_whole_render(qtbot: QtBot) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    live = streamed(5)
    message = Message(
        id="live", conversation_id="c", role=Role.ASSISTANT, status=MessageStatus.STREAMING
    )
    whole = render(message, app.palette(), 500, app.font(), text=REPLY)
    assert shape(live.rendered.document) == shape(whole.document)
    assert ("Plan", 1, False, False, 0.0) in shape(live.rendered.document)  # still a heading
    assert (
        live.rendered.code_blocks
        == whole.code_blocks
        == [
            "for i in range(3):\n    print(i)",
            "echo done",
        ]
    )
    anchors = live.rendered.document.toMarkdown()
    assert "chinwag:copy/0" in anchors and "chinwag:copy/1" in anchors  # numbered across parts
    live.append("\n\n")  # the last paragraph ends: all of it is Markdown now
    height = live.rendered.document.size().height()
    assert abs(height - whole.document.size().height()) <= 1  # no blank lines between parts


def test_finished_paragraphs_are_not_parsed_again(qtbot: QtBot) -> None:
    live = streamed(len(REPLY))
    document = live.rendered.document
    heading = document.findBlockByNumber(1)
    assert heading.text() == "Plan"
    live.append("\n\nAnother paragraph.\n\nAnd a tail")
    assert live.rendered.document is document  # appended to, not rebuilt
    assert document.findBlockByNumber(1) == heading and heading.blockFormat().headingLevel() == 1
    assert document.toPlainText().endswith("Another paragraph.\nAnd a tail")


def test_a_huge_streamed_word_wraps_anywhere_and_stops_growing_the_document(
    qtbot: QtBot,
) -> None:
    from PySide6.QtGui import QTextOption

    from chinwag.ui.render import limits as render_limits

    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    message = Message(
        id="live", conversation_id="c", role=Role.ASSISTANT, status=MessageStatus.STREAMING
    )
    live = StreamingRender(message, app.palette(), 500, app.font())
    for _ in range(300):  # a hostile server: 300 KB without a space or a line break
        live.append("x" * 1_000)
    document = live.rendered.document
    assert document.defaultTextOption().wrapMode() == QTextOption.WrapMode.WrapAnywhere
    assert len(document.toPlainText()) <= render_limits.MAX_CHARS + 1_000
    assert len(live.text) == 300_000  # kept whole for the store and the final render
