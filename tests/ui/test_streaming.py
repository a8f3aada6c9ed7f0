"""Sending and streaming a reply from the real local model, and stopping it midway."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.types import Conversation, MessageStatus, Role
from chinwag.ui.app.main_window import MainWindow
from chinwag.ui.conversation.pane import LIVE_ID

TIMEOUT_MS = 240_000


def test_send_streams_a_reply_from_the_local_model(qtbot: QtBot, local_services: Services) -> None:
    window = MainWindow(local_services)
    qtbot.addWidget(window)
    window.show()
    pane = window.pane
    assert not pane.send_button.isEnabled()  # nothing to send yet
    qtbot.keyClicks(pane.composer, "Say hello in one short sentence.")
    assert pane.send_button.isEnabled()
    seen: list[str] = []
    pane.frame_timer.timeout.connect(lambda: seen.append(pane.view.live_text(LIVE_ID)))
    qtbot.keyClick(pane.composer, Qt.Key.Key_Return)
    assert pane.streaming and pane.stop_button.isEnabled()
    assert pane.composer.toPlainText() == ""
    qtbot.waitUntil(lambda: not pane.streaming, timeout=TIMEOUT_MS)

    assert pane.conversation is not None
    messages = local_services.store.list_messages(pane.conversation.id)
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]
    reply = messages[1]
    assert reply.status == MessageStatus.COMPLETE, reply.error
    assert reply.text.strip()
    # the text arrived in pieces while it streamed, not all at the end
    partial = {text for text in seen if text and text != reply.text}
    assert partial, "no partial text was shown while streaming"
    assert window.conversations.ids() == [pane.conversation.id]
    assert "tokens" in pane.totals.text()


def test_escape_stops_and_keeps_the_partial_reply(qtbot: QtBot, local_services: Services) -> None:
    store = local_services.store
    conversation = store.create_conversation(Conversation(title="stop me"))
    window = MainWindow(local_services)
    qtbot.addWidget(window)
    window.show()
    pane = window.pane
    pane.open(conversation)
    pane.composer.setPlainText("Write a very long story about a lighthouse keeper.")
    pane.send()
    qtbot.waitUntil(lambda: len(pane.view.live_text(LIVE_ID)) > 20, timeout=TIMEOUT_MS)
    qtbot.keyClick(pane.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not pane.streaming, timeout=60_000)

    reply = store.list_messages(conversation.id)[-1]
    assert reply.status == MessageStatus.CANCELLED
    assert len(reply.text) > 20
    # what was kept is what the user saw, and it is shown after the stop
    assert pane.view.last_reply_text() == reply.text
