"""The conversation list: search, order, pin, rename, archive, delete with undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from chinwag.core.conversations.records import ConversationRecords
from chinwag.core.store import Store
from chinwag.core.types import Conversation, Message, Role
from chinwag.ui.app.conversation_list import ConversationList


def seed(store: Store) -> dict[str, str]:
    ids = {}
    for title, text in (
        ("Lisbon trip", "book the tram"),
        ("Budget", "rent and groceries for march"),
        ("Lifetimes", "the borrow checker rejects this"),
    ):
        c = store.create_conversation(Conversation(title=title))
        store.add_message(Message.of_text(c.id, Role.USER, text))
        ids[title] = c.id
    return ids


def test_newest_first_and_search_filters_by_title_and_text(qtbot: QtBot, store: Store) -> None:
    ids = seed(store)
    widget = ConversationList(ConversationRecords(store))
    qtbot.addWidget(widget)
    assert widget.ids() == [ids["Lifetimes"], ids["Budget"], ids["Lisbon trip"]]
    qtbot.keyClicks(widget.search, "groceries")  # message text, through FTS
    qtbot.waitUntil(lambda: widget.ids() == [ids["Budget"]], timeout=2000)
    widget.search.clear()
    qtbot.keyClicks(widget.search, "lisb")  # title prefix
    qtbot.waitUntil(lambda: widget.ids() == [ids["Lisbon trip"]], timeout=2000)
    widget.search.clear()
    qtbot.keyClicks(widget.search, "nothing-like-this")
    qtbot.waitUntil(lambda: widget.ids() == [], timeout=2000)


def test_pin_rename_archive(qtbot: QtBot, store: Store) -> None:
    ids = seed(store)
    widget = ConversationList(ConversationRecords(store))
    qtbot.addWidget(widget)
    widget.set_pinned(ids["Lisbon trip"], True)
    assert widget.ids()[0] == ids["Lisbon trip"]
    assert widget.list.item(0).font().bold()

    row = widget.ids().index(ids["Budget"])
    widget.list.setCurrentRow(row)
    item = widget.list.item(row)
    item.setText("Budget 2027")  # what the in-place editor commits
    assert store.get_conversation(ids["Budget"]).title == "Budget 2027"
    assert store.get_conversation(ids["Budget"]).title_set_by_user

    widget.set_archived(ids["Lifetimes"], True)
    assert ids["Lifetimes"] not in widget.ids()
    widget.show_archived.setChecked(True)
    assert ids["Lifetimes"] in widget.ids()


def test_delete_can_be_undone_then_commits(qtbot: QtBot, store: Store) -> None:
    ids = seed(store)
    widget = ConversationList(ConversationRecords(store))
    qtbot.addWidget(widget)
    widget.show()
    widget.list.setFocus()
    widget.list.setCurrentRow(0)
    qtbot.keyClick(widget.list, Qt.Key.Key_Delete)
    assert ids["Lifetimes"] not in widget.ids()
    assert widget.undo_bar.isVisible()
    qtbot.mouseClick(widget.undo_button, Qt.MouseButton.LeftButton)
    assert ids["Lifetimes"] in widget.ids()
    assert store.get_conversation(ids["Lifetimes"])

    widget.delete(ids["Budget"])
    widget.commit_deletes()
    assert [c.id for c in store.list_conversations()] == [ids["Lifetimes"], ids["Lisbon trip"]]


def test_keyboard_moves_through_the_list(qtbot: QtBot, store: Store) -> None:
    ids = seed(store)
    widget = ConversationList(ConversationRecords(store))
    qtbot.addWidget(widget)
    widget.show()
    chosen: list[str] = []
    widget.selected.connect(lambda c: chosen.append(c.id))
    qtbot.keyClick(widget.search, Qt.Key.Key_Return)  # from search into the list
    qtbot.keyClick(widget.list, Qt.Key.Key_Down)
    assert chosen == [ids["Lifetimes"], ids["Budget"]]
