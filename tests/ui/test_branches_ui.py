"""Versions, edit, regenerate and pins in the conversation pane, against the real store."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.types import Conversation, Message, MessageStatus, Role
from chinwag.ui.conversation.pane import ConversationPane


def two_versions(services: Services) -> tuple[str, list[str]]:
    """A conversation whose first question was edited once: two branches of two messages."""
    store = services.store
    conversation = store.create_conversation(Conversation(title="branches"))
    first = store.add_message(Message.of_text(conversation.id, Role.USER, "first question"))
    store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, "first answer"))
    second = services.branches.edit(first.id, "second question")
    reply = store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, "second answer"))
    return conversation.id, [first.id, second.id, reply.id]


# Capped and greedy: a local reply never rambles on to the test's timeout (the 135M model
# may not stop before its 4,096-token context is full: minutes on a loaded machine).
BRIEF = {"temperature": 0, "max_output_tokens": 60}


def shown_pane(qtbot: QtBot, services: Services, conversation_id: str) -> ConversationPane:
    pane = ConversationPane(services)
    qtbot.addWidget(pane)
    pane.resize(700, 500)
    pane.open(services.store.get_conversation(conversation_id))
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def text_of(pane: ConversationPane, message_id: str) -> str:
    row = pane.view.ids.index(message_id)
    return pane.view.document_of(pane.view.ids[row]).toPlainText()


def test_version_arrows_switch_the_branch(qtbot: QtBot, services: Services) -> None:
    conversation_id, (first, second, reply) = two_versions(services)
    pane = shown_pane(qtbot, services, conversation_id)
    assert pane.view.ids == [second, reply]
    assert "< 2/2 >" in text_of(pane, second)
    assert "/2" not in text_of(pane, reply)  # the reply has one version on this branch

    pane.view.activate_link(second, "chinwag:version/prev")
    assert pane.view.ids[0] == first
    assert [services.store.get_message(i).text for i in pane.view.ids] == [
        "first question",
        "first answer",
    ]
    assert "< 1/2 >" in text_of(pane, first)
    assert services.store.list_messages(conversation_id)[0].id == first

    pane.view.activate_link(first, "chinwag:version/next")
    assert pane.view.ids == [second, reply]


def test_pin_shows_on_the_message(qtbot: QtBot, services: Services) -> None:
    conversation_id, (_, second, _) = two_versions(services)
    pane = shown_pane(qtbot, services, conversation_id)
    assert "Pinned" not in text_of(pane, second)
    pane.view.set_pinned(second, True)
    assert services.store.get_message(second).pinned
    assert "Pinned" in text_of(pane, second)
    pane.view.set_pinned(second, False)
    assert not services.store.get_message(second).pinned
    assert "Pinned" not in text_of(pane, second)


def test_regenerate_and_edit_make_new_versions_and_stream(
    qtbot: QtBot, local_services: Services
) -> None:
    services = local_services
    store = services.store
    conversation = store.create_conversation(Conversation(title="regen", model_settings=BRIEF))
    question = store.add_message(Message.of_text(conversation.id, Role.USER, "Say hi."))
    old = store.add_message(
        Message.of_text(conversation.id, Role.ASSISTANT, "old reply", status=MessageStatus.COMPLETE)
    )
    pane = shown_pane(qtbot, services, conversation.id)
    assert "Regenerate" in text_of(pane, old.id) and "Edit" in text_of(pane, question.id)

    pane.view.activate_link(old.id, "chinwag:regenerate")
    assert pane.streaming
    qtbot.waitUntil(lambda: not pane.streaming, timeout=120_000)
    path = store.list_messages(conversation.id)
    assert path[0].id == question.id and path[1].id != old.id
    assert services.branches.versions(path[1].id).count == 2
    assert "< 2/2 >" in text_of(pane, path[1].id)

    pane.edit_message(question.id, "Say hello.")
    assert pane.streaming
    qtbot.waitUntil(lambda: not pane.streaming, timeout=120_000)
    path = store.list_messages(conversation.id)
    assert path[0].text == "Say hello." and path[0].id != question.id
    assert path[1].role == Role.ASSISTANT and path[1].status == MessageStatus.COMPLETE
    assert "< 2/2 >" in text_of(pane, path[0].id)
    assert store.get_message(old.id).text == "old reply"  # nothing is lost


def test_edit_link_asks_for_the_new_text(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    conversation_id, (_, second, _) = two_versions(services)
    pane = shown_pane(qtbot, services, conversation_id)
    asked: list[str] = []

    def answer(*args: object) -> tuple[str, bool]:
        asked.append(str(args[3]))
        return "third question", True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", answer)
    edits: list[tuple[str, str]] = []
    monkeypatch.setattr(pane, "edit_message", lambda mid, text: edits.append((mid, text)))
    pane.view.activate_link(second, "chinwag:edit")
    assert asked == ["second question"]  # the dialog starts from the current text
    assert edits == [(second, "third question")]


def test_retry_of_a_failed_reply_streams_its_next_version(
    qtbot: QtBot, local_services: Services
) -> None:
    services = local_services
    store = services.store
    conversation = store.create_conversation(Conversation(title="retry", model_settings=BRIEF))
    question = store.add_message(Message.of_text(conversation.id, Role.USER, "Say hi."))
    failed = store.add_message(
        Message(conversation_id=conversation.id, role=Role.ASSISTANT,
                status=MessageStatus.ERROR, error="500: the server failed")
    )  # fmt: skip
    pane = shown_pane(qtbot, services, conversation.id)
    assert "Retry" in text_of(pane, failed.id)

    pane.view.activate_link(failed.id, "chinwag:retry")
    qtbot.waitUntil(lambda: not pane.streaming, timeout=120_000)
    path = store.list_messages(conversation.id)
    assert [m.id for m in path][:1] == [question.id] and len(path) == 2  # no reply after the error
    assert path[1].status == MessageStatus.COMPLETE
    assert services.branches.versions(path[1].id).count == 2  # the failed one is kept
    assert store.get_message(failed.id).error == "500: the server failed"
