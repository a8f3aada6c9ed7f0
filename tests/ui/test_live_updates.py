"""Live updates: what another writer puts in the store shows in open windows, no restart."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.store import Store
from chinwag.core.store.watch import StoreWatch
from chinwag.core.types import Conversation, Message, MessageStatus, Role
from chinwag.ui.app.main_window import MainWindow
from chinwag.ui.conversation.message_view import MessageView

WAIT_MS = 20_000


def shown_text(view: MessageView, message_id: str) -> str:
    if message_id not in view.ids:
        return ""
    return view.document_of(message_id).toPlainText()


def titles(window: MainWindow) -> list[str]:
    items = window.conversations.list
    return [items.item(i).text() for i in range(items.count())]


def open_window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_another_connection_writes_and_every_open_window_follows(
    qtbot: QtBot, services: Services, home: Path
) -> None:
    window = open_window(qtbot, services)
    other = Store(services.store.path)  # a second writer, as a second process would be
    try:
        conversation = other.create_conversation(Conversation(title="Made elsewhere"))
        other.add_message(Message.of_text(conversation.id, Role.USER, "Hello from afar"))
        qtbot.waitUntil(lambda: "Made elsewhere" in titles(window), timeout=WAIT_MS)

        window.pane.open(services.store.get_conversation(conversation.id))
        second = window.open_window(conversation.id)
        views = [window.pane.view, second.pane.view]

        reply = other.add_message(
            Message.of_text(conversation.id, Role.ASSISTANT, "", status=MessageStatus.STREAMING)
        )
        other.checkpoint(reply.id, "The first words")
        for view in views:
            qtbot.waitUntil(lambda v=view: "The first words" in shown_text(v, reply.id),
                            timeout=WAIT_MS)  # fmt: skip
        other.checkpoint(reply.id, "The first words and then the rest")
        for view in views:
            qtbot.waitUntil(lambda v=view: "and then the rest" in shown_text(v, reply.id),
                            timeout=WAIT_MS)  # fmt: skip
        assert views[0].ids == views[1].ids == [m.id for m in other.list_messages(conversation.id)]

        other.update_conversation(conversation.id, title="Renamed elsewhere")
        qtbot.waitUntil(lambda: "Renamed elsewhere" in titles(window), timeout=WAIT_MS)
        assert window.pane.conversation is not None
        assert window.pane.conversation.title == "Renamed elsewhere"

        other.delete_conversation(conversation.id)
        qtbot.waitUntil(lambda: window.pane.conversation is None, timeout=WAIT_MS)
        assert "Renamed elsewhere" not in titles(window)
    finally:
        other.close()


def test_the_in_app_api_thread_writing_through_the_apps_store_shows_too(
    qtbot: QtBot, services: Services
) -> None:
    """The in-app server shares the app's Store: its writes come from another thread."""
    window = open_window(qtbot, services)
    conversation = services.store.create_conversation(Conversation(title="API"))
    window.pane.open(conversation)
    added: list[Message] = []

    def api_request() -> None:
        added.append(
            services.store.add_message(
                Message.of_text(conversation.id, Role.USER, "Sent over the API")
            )
        )

    writer = threading.Thread(target=api_request)
    writer.start()
    writer.join()
    qtbot.waitUntil(lambda: "Sent over the API" in shown_text(window.pane.view, added[0].id),
                    timeout=WAIT_MS)  # fmt: skip


def test_another_process_and_the_app_see_each_others_writes(
    qtbot: QtBot, services: Services, cli: Any
) -> None:
    window = open_window(qtbot, services)
    conversation = services.store.create_conversation(Conversation(title="Shared"))
    services.store.add_message(Message.of_text(conversation.id, Role.USER, "Written by the app"))
    window.pane.open(services.store.get_conversation(conversation.id))

    shown = cli("conversations", "show", conversation.id, "--json")
    assert shown.code == 0, shown.stderr
    assert "Written by the app" in shown.stdout

    renamed = cli("conversations", "update", conversation.id, "--title", "From a terminal")
    assert renamed.code == 0, renamed.stderr
    qtbot.waitUntil(lambda: "From a terminal" in titles(window), timeout=WAIT_MS)


def test_the_poll_is_quiet_until_someone_commits(store: Store) -> None:
    watch = StoreWatch(store.path)
    try:
        assert not watch.changed()
        store.create_conversation(Conversation(title="x"))
        assert watch.changed()
        assert not watch.changed()
    finally:
        watch.close()


def test_a_chinwag_chat_in_a_terminal_appears_in_the_open_window(
    qtbot: QtBot, local_services: Services, cli: Any
) -> None:
    window = open_window(qtbot, local_services)
    # Greedy decoding: the reply is words ("Hello! I'm here to help..."), not a bare "Hi!"
    settings = {"temperature": 0, "max_output_tokens": 40}
    conversation = local_services.store.create_conversation(
        Conversation(title="Terminal", model_settings=settings)
    )
    window.pane.open(conversation)
    chat = cli("chat", "-c", conversation.id, "--json", "Say hello.")
    assert chat.code == 0, chat.stderr
    stored = local_services.store.list_messages(conversation.id)
    assert [m.role for m in stored] == [Role.USER, Role.ASSISTANT]
    view = window.pane.view
    qtbot.waitUntil(lambda: view.ids == [m.id for m in stored], timeout=WAIT_MS)
    assert "Say hello." in shown_text(view, stored[0].id)
    words = re.findall(r"[A-Za-z]{3,}", stored[1].text)  # Markdown marks are not shown
    assert words and words[0] in shown_text(view, stored[1].id)


def test_a_new_version_written_elsewhere_switches_the_shown_branch(
    qtbot: QtBot, services: Services
) -> None:
    window = open_window(qtbot, services)
    store = services.store
    conversation = store.create_conversation(Conversation(title="Branches"))
    question = store.add_message(Message.of_text(conversation.id, Role.USER, "Pick a colour"))
    first = store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, "Blue"))
    window.pane.open(store.get_conversation(conversation.id))
    assert window.pane.view.ids == [question.id, first.id]
    other = Store(store.path)
    try:  # a regenerate in another process: a sibling of the first reply becomes the leaf
        second = other.add_message(
            Message.of_text(conversation.id, Role.ASSISTANT, "Green", parent_id=question.id)
        )
    finally:
        other.close()
    view = window.pane.view
    qtbot.waitUntil(lambda: view.ids == [question.id, second.id], timeout=WAIT_MS)
    assert "Green" in shown_text(view, second.id)
