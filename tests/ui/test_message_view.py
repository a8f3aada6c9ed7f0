"""The conversation view is virtualized: 10,000 messages open at once, and only what is on
screen is ever rendered."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from chinwag.core.conversations.records import ConversationRecords
from chinwag.core.store import Store
from chinwag.core.types import Conversation, Message, MessageStatus, Role
from chinwag.ui.conversation.message_view import MessageView
from tests.support.views import shown_view


def fill(store: Store, count: int) -> str:
    conversation = store.create_conversation(Conversation(title="long"))
    for i in range(count):
        role = Role.USER if i % 2 == 0 else Role.ASSISTANT
        text = f"Message {i}: " + "some words here " * (5 + i % 40)
        store.add_message(Message.of_text(conversation.id, role, text))
    return conversation.id


def test_ten_thousand_messages_open_quickly_and_render_only_the_screen(
    qtbot: QtBot, store: Store
) -> None:
    conversation_id = fill(store, 10_000)
    view = MessageView(ConversationRecords(store))
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    started = time.perf_counter()
    view.show_conversation(conversation_id)
    qtbot.waitUntil(lambda: len(view.rendered_ids()) > 0, timeout=5000)
    elapsed = time.perf_counter() - started
    assert len(view.ids) == 10_000
    assert 0 < len(view.rendered_ids()) < 40  # a screenful, not 10,000 documents
    assert elapsed < 1.0, elapsed  # the goal is 200 ms; this guards against O(n) rendering
    last = view.visible_rows()
    assert last.stop == 10_000  # opened at the end
    view.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: view.ids[0] in view.rendered_ids(), timeout=5000)
    assert view.visible_rows().start == 0
    assert len(view.rendered_ids()) < 80


def test_reasoning_is_collapsed_and_code_blocks_copy(qtbot: QtBot, store: Store) -> None:
    conversation = store.create_conversation(Conversation())
    message = store.add_message(
        Message.of_text(
            conversation.id,
            Role.ASSISTANT,
            "Try:\n\n```python\nprint('hi')\n```\n",
            reasoning="secret chain of thought",
        )
    )
    view = shown_view(qtbot, store, conversation.id, 600, 400)
    qtbot.waitUntil(lambda: message.id in view.rendered_ids(), timeout=5000)
    text = view.document_of(message.id).toPlainText()
    assert "secret chain of thought" not in text and "Show reasoning" in text
    view.activate_link(message.id, "chinwag:reasoning")
    qtbot.waitUntil(lambda: message.id in view.rendered_ids(), timeout=5000)
    assert "secret chain of thought" in view.document_of(message.id).toPlainText()
    view.activate_link(message.id, "chinwag:copy/0")
    assert QGuiApplication.clipboard().text() == "print('hi')"


def test_failed_and_interrupted_replies_offer_their_actions(qtbot: QtBot, store: Store) -> None:
    conversation = store.create_conversation(Conversation())
    failed = store.add_message(
        Message.of_text(conversation.id, Role.ASSISTANT, "", status=MessageStatus.ERROR,
                        error="connection refused")
    )  # fmt: skip
    cut = store.add_message(
        Message.of_text(conversation.id, Role.ASSISTANT, "half", status=MessageStatus.INTERRUPTED)
    )
    view = shown_view(qtbot, store, conversation.id, 600, 400)
    qtbot.waitUntil(lambda: cut.id in view.rendered_ids(), timeout=5000)
    assert "Retry" in view.document_of(failed.id).toPlainText()
    assert "connection refused" in view.document_of(failed.id).toPlainText()
    cut_text = view.document_of(cut.id).toPlainText()
    assert "Continue" in cut_text and "Regenerate" in cut_text and "interrupted" in cut_text
    requested: list[tuple[str, str]] = []
    view.action_requested.connect(lambda action, mid: requested.append((action, mid)))
    view.activate_link(failed.id, "chinwag:retry")
    assert requested == [("retry", failed.id)]


def test_streaming_appends_without_reparsing_the_conversation(qtbot: QtBot, store: Store) -> None:
    conversation_id = fill(store, 2000)
    view = shown_view(qtbot, store, conversation_id, 800, 600)
    view.start_stream(Message(id="live", conversation_id=conversation_id, role=Role.ASSISTANT,
                              status=MessageStatus.STREAMING, model="m"))  # fmt: skip
    worst = 0.0
    for i in range(300):
        started = time.perf_counter()
        view.stream_text("live", f"word{i} " + ("\n\n" if i % 25 == 24 else ""))
        view.viewport().repaint()  # the frame this text would cost
        worst = max(worst, time.perf_counter() - started)
    assert view.live_text("live").startswith("word0 word1")
    assert view.visible_rows().stop == len(view.ids)  # follows the end while streaming
    assert worst < 0.1, worst


def test_settling_a_streamed_reply_reads_only_the_new_messages(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation_id = fill(store, 50)
    view = MessageView(ConversationRecords(store))
    qtbot.addWidget(view)
    view.show_conversation(conversation_id)
    view.append_message(Message.of_text(conversation_id, Role.USER, "hi", id="pending"))
    view.start_stream(Message(id="live", conversation_id=conversation_id, role=Role.ASSISTANT,
                              status=MessageStatus.STREAMING))  # fmt: skip
    view.stream_text("live", "hello")
    prompt = store.add_message(Message.of_text(conversation_id, Role.USER, "hi"))
    reply = store.add_message(Message.of_text(conversation_id, Role.ASSISTANT, "hello"))
    leaf = store.get_conversation(conversation_id).leaf_id
    assert leaf == reply.id

    def walk(*args: object, **kwargs: object) -> None:
        raise AssertionError("settling walked the whole branch")

    monkeypatch.setattr(store, "list_messages", walk)
    view.settle(conversation_id, {"pending", "live"}, leaf)
    assert len(view.ids) == 52 and view.ids[-2:] == [prompt.id, reply.id]
    assert view.live_text("live") == ""
