"""Hostile Markdown: nothing is fetched, nothing runs, only http/https links open, on click."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QPainter, QPalette
from pytestqt.qtbot import QtBot

from chinwag.core.models import Conversation, Message, Role
from chinwag.core.store import Store
from chinwag.ui.markdown import render
from chinwag.ui.message_view import MessageView


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
    view = MessageView(store)
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show_conversation(conversation.id)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(100)
    assert opened == [] and hits == []
    view.activate_link(message.id, "javascript:alert(1)")
    view.activate_link(message.id, "file:///etc/passwd")
    assert opened == []
    view.activate_link(message.id, f"http://127.0.0.1:{port}/page")
    assert opened == [QUrl(f"http://127.0.0.1:{port}/page").toString()]
    assert hits == []  # handed to the browser (here: recorded), never fetched by us
