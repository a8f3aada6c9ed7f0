"""The compaction marker in the view and the Compact… dialog, against the real store."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.conversations.compaction import CompactionSettings
from chinwag.core.types import Conversation, Message, Role
from chinwag.ui.app.main_window import MainWindow
from chinwag.ui.conversation.pane import ConversationPane


def chat_of(services: Services, turns: int) -> str:
    store = services.store
    conversation = store.create_conversation(Conversation(title="long"))
    for n in range(turns):
        store.add_message(Message.of_text(conversation.id, Role.USER, f"Question {n}?\nmore"))
        store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, f"Answer {n}."))
    return conversation.id


def shown_pane(qtbot: QtBot, services: Services, conversation_id: str) -> ConversationPane:
    pane = ConversationPane(services)
    qtbot.addWidget(pane)
    pane.resize(700, 500)
    pane.open(services.store.get_conversation(conversation_id))
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def text_of(pane: ConversationPane, message_id: str) -> str:
    return pane.view.document_of(message_id).toPlainText()


def test_marker_shows_where_compaction_happened(qtbot: QtBot, services: Services) -> None:
    conversation_id = chat_of(services, 3)
    plan = services.compactor.plan(conversation_id, CompactionSettings(mode="all"))
    assert plan.evicted
    services.compactor.apply(plan, "They asked three questions.\nDetails follow.")
    pane = shown_pane(qtbot, services, conversation_id)
    last = plan.evicted[-1].id
    assert len(pane.view.ids) == 6  # nothing is gone from the view
    shown = text_of(pane, last)
    assert "Earlier messages summarized: They asked three questions." in shown
    assert "Details follow." not in shown  # collapsed
    pane.view.activate_link(last, "chinwag:summary")
    assert "Details follow." in text_of(pane, last)
    others = [i for i in pane.view.ids if i != last]
    assert not any("Earlier messages summarized" in text_of(pane, i) for i in others)


def test_compact_dialog_previews_and_applies(qtbot: QtBot, local_services: Services) -> None:
    services = local_services
    conversation_id = chat_of(services, 4)
    pinned = services.store.list_messages(conversation_id)[0]
    services.store.set_pinned(pinned.id, True)
    pane = shown_pane(qtbot, services, conversation_id)
    dialog = pane.compact_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.mode.setCurrentIndex(dialog.mode.findData("all"))
    assert dialog.plan is not None and dialog.plan.mode == "all"
    assert "7 message(s) leave the context" in dialog.preview.text()
    assert "Answer 0." in dialog.preview.text()
    assert pinned.id not in {m.id for m in dialog.plan.evicted}  # pinned never leaves
    qtbot.waitUntil(
        lambda: dialog.apply_button.isEnabled() or "failed" in dialog.status.text(),
        timeout=120_000,
    )
    assert dialog.apply_button.isEnabled(), dialog.status.text()
    assert dialog.summary.toPlainText().strip()
    dialog.summary.setPlainText("Edited summary of the talk.")
    dialog.apply_button.click()
    assert dialog.outcome is not None and dialog.outcome.num_messages_after == 1
    markers = services.store.compactions.of(conversation_id)
    assert [m.summary for m in markers] == ["Edited summary of the talk."]
    assert len(pane.view.ids) == 8  # every message still viewable
    assert "Earlier messages summarized: Edited summary" in text_of(
        pane, markers[0].last_evicted_id
    )


def test_conversation_menu_offers_compact(qtbot: QtBot, services: Services) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    labels = [
        action.text()
        for menu_action in window.menuBar().actions()
        if menu_action.menu() is not None
        for action in menu_action.menu().actions()  # type: ignore[union-attr]
    ]
    assert "Compact…" in labels
    assert window.pane.compact_dialog() is None  # no conversation open: nothing to compact
