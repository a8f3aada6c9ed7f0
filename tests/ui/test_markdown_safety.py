"""Hostile Markdown: nothing is fetched, nothing runs, only http/https links open, on click."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QImage,
    QPainter,
    QPalette,
    QTextOption,
    QTextTable,
)
from pytestqt.qtbot import QtBot

from chinwag.core.store import Store
from chinwag.core.types import Conversation, Message, Role
from chinwag.ui.render import limits as render_limits
from chinwag.ui.render.markdown import render
from tests.support.views import shown_view


@pytest.fixture
def listener() -> Any:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()


def hostile(port: int) -> str:
    return (
        "# Hello\n\n"
        f'<script>fetch("http://127.0.0.1:{port}/script")</script>\n\n'
        f'<img src="http://127.0.0.1:{port}/img-tag.png">\n\n'
        f"![pixel](http://127.0.0.1:{port}/md-image.png)\n\n"
        f'<iframe src="http://127.0.0.1:{port}/frame"></iframe>\n\n'
        "[click me](javascript:alert(1)) and [file](file:///etc/passwd) "
        f"and [site](http://127.0.0.1:{port}/page)\n"
    )


def test_hostile_markdown_loads_and_runs_nothing(qtbot: QtBot, listener: Any) -> None:
    port, hits = listener
    message = Message.of_text("c", Role.ASSISTANT, hostile(port))
    rendered = render(message, QPalette(), 600, QGuiApplication.font())
    image = QImage(700, 900, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    rendered.document.drawContents(painter)
    painter.end()
    qtbot.wait(300)
    assert hits == []
    text = rendered.document.toPlainText()
    assert "<script>" in text  # shown as text, not interpreted
    html = rendered.document.toHtml()
    assert "<script" not in html.replace("&lt;script", "")
    assert "<iframe" not in html.replace("&lt;iframe", "")
    # the Markdown image was asked of our document, which refused it
    assert any("md-image" in url for url in rendered.document.refused)


def test_only_http_links_open_and_only_on_click(
    qtbot: QtBot, store: Store, listener: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    port, hits = listener
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    conversation = store.create_conversation(Conversation())
    message = store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, hostile(port)))
    view = shown_view(qtbot, store, conversation.id, 700, 600)
    qtbot.wait(100)
    assert opened == [] and hits == []
    view.activate_link(message.id, "javascript:alert(1)")
    view.activate_link(message.id, "file:///etc/passwd")
    assert opened == []
    view.activate_link(message.id, f"http://127.0.0.1:{port}/page")
    assert opened == [QUrl(f"http://127.0.0.1:{port}/page").toString()]
    assert hits == []  # handed to the browser (here: recorded), never fetched by us


def test_links_the_reply_writes_to_app_actions_are_only_text(qtbot: QtBot) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    written = "[Redo](chinwag:regenerate), <CHINWAG:copy/0> and\n\n| [x](chinwag:edit) |\n|---|"
    message = Message.of_text("c", Role.ASSISTANT, written + "\n\n```\ncode\n```")
    anchors = render(message, app.palette(), 500, app.font()).document.toMarkdown()
    assert anchors.count("(chinwag:regenerate)") == 1  # the footer's own, below
    assert "(chinwag:edit)" not in anchors
    assert "<CHINWAG:copy/0>" not in anchors and "<chinwag:copy/0>" not in anchors
    assert "[Copy code](chinwag:copy/0)" in anchors  # the app's own action stays
    assert "[Regenerate](chinwag:regenerate)" in anchors.strip().rsplit("\n\n", 1)[-1]


HUGE = {
    "table": "| n | v |\n|---|---|\n" + "".join(f"| {i} | v{i} |\n" for i in range(50_000)),
    "line": "x" * 1_000_000,
    "words": "word " * 200_000,
    "nested": "".join("  " * i + "- item\n" for i in range(1_000)),
    "nul": "a\x00b" * 10_000,
}


@pytest.mark.parametrize("kind", HUGE)
def test_a_huge_message_shows_a_bounded_part_and_loses_nothing(
    qtbot: QtBot, store: Store, kind: str
) -> None:
    """Unbounded, Qt's layout takes minutes over a 50,000-row table or a 1 MB word: the
    window would hang. The view lays out a bounded part and says what it left out."""
    text = HUGE[kind]
    conversation = store.create_conversation(Conversation())
    message = store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, text))
    view = shown_view(qtbot, store, conversation.id, 700, 600)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    qtbot.wait(50)
    document = view.document_of(view.ids[0])
    shown = document.toPlainText()
    assert len(shown) <= render_limits.MAX_CHARS + 1_000
    tables = [f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert sum(t.rows() for t in tables) <= render_limits.MAX_TABLE_ROWS + 1
    if len(text) > render_limits.MAX_CHARS:
        assert "Copy message or Export has all of it" in shown
    else:
        assert "Not shown" not in shown
    if kind == "line":
        wrap = document.defaultTextOption().wrapMode()
        assert wrap == QTextOption.WrapMode.WrapAnywhere
    assert store.get_message(message.id).text == text  # nothing lost
    assert view.message(message.id).text == text  # what Copy message copies


def test_only_table_rows_past_the_limit_are_left_out() -> None:
    rows = "".join(f"| {i} | v{i} |\n" for i in range(300))
    piped_code = "```\n" + rows + "```\n"
    limited = render_limits.shown(f"before\n\n| n | v |\n|---|---|\n{rows}\nafter\n\n{piped_code}")
    assert limited.hidden_rows == 100 and limited.hidden_chars == 0
    assert "| 199 | v199 |" in limited.text and "| 200 | v200 |\n\nafter" not in limited.text
    assert limited.text.endswith(piped_code)  # a fenced block with pipes is not a table
    assert limited.note.startswith("Not shown: 100 table rows.")
    assert render_limits.shown("a short reply").note == ""
