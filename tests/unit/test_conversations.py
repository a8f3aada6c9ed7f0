"""Assistants, blocks, recompile, branches, cancel flags and markers on a real SQLite store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chinwag.app import calls_for
from chinwag.core.conversations.assistants import Assistants
from chinwag.core.conversations.branches import Branches
from chinwag.core.conversations.records import ConversationRecords
from chinwag.core.conversations.titles import Titler, TitleRequest, fit
from chinwag.core.llm.catalog import Catalog
from chinwag.core.store import Store
from chinwag.core.store.migrations import MIGRATIONS, m001_initial
from chinwag.core.system.keys import KeyStore
from chinwag.core.system.settings import Settings
from chinwag.core.types import DEFAULT_ASSISTANT_ID, Assistant, Compaction, Message, Role


def say(store: Store, conversation_id: str, role: Role, text: str) -> Message:
    return store.add_message(Message.of_text(conversation_id, role, text))


def test_a_default_assistant_exists_and_owns_new_conversations(store: Store) -> None:
    default = Assistants(store).default()
    assert default.id == DEFAULT_ASSISTANT_ID
    assert store.create_conversation().agent_id == DEFAULT_ASSISTANT_ID


def test_isolated_blocks_are_copies_and_shared_blocks_follow_the_assistant(store: Store) -> None:
    assistants = Assistants(store)
    bot = store.assistants.create(
        Assistant(name="Guide", system_prompt="Be brief.", model="local/x"),
        {"persona": "a sailor", "human": "Ada"},
    )
    conversations = ConversationRecords(store)
    conversation = conversations.create(bot.id, isolated_block_labels=["persona"])
    other = conversations.create(bot.id)
    assert len(conversation.isolated_block_ids) == 1 and other.isolated_block_ids == []
    assistants.set_block("persona", "a pirate", conversation_id=conversation.id)
    assistants.set_block("human", "Grace", assistant_id=bot.id)
    compiled = assistants.recompile(conversation.id).system
    assert "Be brief." in compiled and "a pirate" in compiled and "Grace" in compiled
    assert "a sailor" in assistants.recompile(other.id).system  # the edit stayed local
    assert assistants.model_of(conversation, Catalog({}, KeyStore(), Settings())) == "local/x"
    with pytest.raises(KeyError):
        conversations.create(bot.id, isolated_block_labels=["nope"])


def test_conversation_overrides_win_over_the_assistant(store: Store) -> None:
    assistants = Assistants(store)
    bot = store.assistants.create(
        Assistant(name="B", model="local/a", model_settings={"temperature": 0.1})
    )
    conversations = ConversationRecords(store)
    plain = conversations.create(bot.id)
    custom = conversations.create(bot.id, model="local/b", model_settings={"temperature": 0.9})
    catalog = Catalog({}, KeyStore(), Settings())
    assert assistants.model_of(plain, catalog) == "local/a"
    assert assistants.model_settings_of(plain) == {"temperature": 0.1}
    assert assistants.model_of(custom, catalog) == "local/b"
    assert assistants.model_settings_of(custom) == {"temperature": 0.9}


def test_recompile_takes_edits_only_when_asked_and_keeps_history(store: Store) -> None:
    assistants = Assistants(store)
    conversation = ConversationRecords(store).create()
    ids = [
        say(store, conversation.id, r, t).id for r, t in [(Role.USER, "hi"), (Role.ASSISTANT, "yo")]
    ]
    store.assistants.update(DEFAULT_ASSISTANT_ID, system_prompt="Speak like a poet.")
    store.update_conversation(conversation.id, summary="They greeted each other.")
    before = assistants.system_of(store.get_conversation(conversation.id))
    assert "poet" not in before
    result = assistants.recompile(conversation.id)
    assert "poet" in result.system and "They greeted each other." in result.system
    assert result.in_context_message_ids == ids
    assert [m.id for m in store.list_messages(conversation.id)] == ids


def test_editing_a_message_makes_a_version_and_both_stay_navigable(store: Store) -> None:
    branches = Branches(store)
    c = store.create_conversation()
    q1 = say(store, c.id, Role.USER, "What is 2+2?")
    a1 = say(store, c.id, Role.ASSISTANT, "4")
    say(store, c.id, Role.USER, "And 3+3?")
    edited = branches.edit(q1.id, "What is 2+3?")
    assert [m.text for m in store.list_messages(c.id)] == ["What is 2+3?"]
    a2 = say(store, c.id, Role.ASSISTANT, "5")
    info = branches.versions(edited.id)
    assert (info.index, info.count, info.version_ids) == (2, 2, [q1.id, edited.id])
    assert store.count_messages(c.id) == 5  # nothing was replaced

    branches.select(q1.id)  # back to the first version, continuing from its newest message
    assert [m.text for m in store.list_messages(c.id)] == ["What is 2+2?", "4", "And 3+3?"]
    assert store.get_conversation(c.id).in_context_message_ids[:2] == [q1.id, a1.id]
    branches.select(edited.id)
    assert [m.id for m in store.list_messages(c.id)] == [edited.id, a2.id]
    say(store, c.id, Role.USER, "Thanks")  # the conversation continues on the chosen branch
    assert [m.text for m in store.list_messages(c.id)] == ["What is 2+3?", "5", "Thanks"]


def test_regenerating_points_the_branch_at_the_question(store: Store) -> None:
    branches = Branches(store)
    c = store.create_conversation()
    q = say(store, c.id, Role.USER, "Name a colour")
    first = say(store, c.id, Role.ASSISTANT, "red")
    branches.prepare_regenerate(first.id)
    second = say(store, c.id, Role.ASSISTANT, "blue")
    assert second.parent_id == q.id
    assert branches.versions(second.id).version_ids == [first.id, second.id]
    with pytest.raises(ValueError):
        branches.prepare_regenerate(q.id)
    with pytest.raises(ValueError):
        branches.edit(second.id, "no")


def test_a_branch_forking_before_a_compaction_gets_the_whole_path_back(store: Store) -> None:
    branches = Branches(store)
    c = store.create_conversation()
    q1 = say(store, c.id, Role.USER, "one")
    a1 = say(store, c.id, Role.ASSISTANT, "uno")
    q2 = say(store, c.id, Role.USER, "two")
    store.compactions.record(
        Compaction(conversation_id=c.id, mode="all", summary="counted to one",
                   context_start_before=0, context_start_after=2, first_kept_id=q2.id,
                   last_evicted_id=a1.id, num_messages_before=3, num_messages_after=1)
    )  # fmt: skip
    assert store.get_conversation(c.id).in_context_message_ids == [q2.id]
    edited = branches.edit(q1.id, "eins")
    fresh = store.get_conversation(c.id)
    assert fresh.in_context_message_ids == [edited.id] and fresh.summary is None
    branches.select(q2.id)  # back on the compacted branch: its window and summary return
    back = store.get_conversation(c.id)
    assert back.in_context_message_ids == [q2.id] and back.summary == "counted to one"
    assert store.count_messages(c.id) == 4


def test_cancel_is_asked_through_the_store_only_while_something_streams(store: Store) -> None:
    from chinwag.core.types import MessageStatus

    c = store.create_conversation()
    assert store.request_cancel(c.id) is False
    store.add_message(
        Message(conversation_id=c.id, role=Role.ASSISTANT, status=MessageStatus.STREAMING)
    )
    assert store.request_cancel(c.id) is True
    other = Store(store.path)  # another process's view of the same file
    assert other.cancel_requested(c.id) is True
    other.clear_cancel(c.id)
    other.close()
    assert store.cancel_requested(c.id) is False
    with pytest.raises(KeyError):
        store.request_cancel("nope")


def test_an_m001_database_migrates_with_parents_and_a_leaf(home: Path) -> None:
    home.mkdir(parents=True)
    path = home / "chinwag.db"
    db = sqlite3.connect(path)
    m001_initial(db)
    db.execute("PRAGMA user_version = 1")
    stamp = "2025-01-01T00:00:00+00:00"
    db.execute(
        "INSERT INTO conversations (id, agent_id, created_at, updated_at) "
        "VALUES ('c', 'assistant-default', ?, ?)",
        (stamp, stamp),
    )
    for seq, (mid, role) in enumerate([("m0", "user"), ("m1", "assistant"), ("m2", "user")]):
        db.execute(
            "INSERT INTO messages (id, conversation_id, seq, role, content, text, status, "
            "created_at, updated_at) VALUES (?, 'c', ?, ?, '[]', '', 'complete', "
            "'2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')",
            (mid, seq, role),
        )
    db.commit()
    db.close()
    store = Store(path)
    try:
        assert store.get_conversation("c").in_context_message_ids == ["m0", "m1", "m2"]
        assert store.get_message("m2").parent_id == "m1"
        assert store.assistants.get(DEFAULT_ASSISTANT_ID).name
        assert len(MIGRATIONS) >= 2
    finally:
        store.close()


def test_titles_fall_back_to_the_first_message_when_no_model_answers(store: Store) -> None:
    catalog = Catalog({}, KeyStore(), Settings())  # no provider: every model call fails
    calls = calls_for(store, Settings(), catalog, backend_factory=lambda name: None)  # type: ignore[arg-type,return-value]
    titler = Titler(store, calls, None)
    c = store.create_conversation()
    say(store, c.id, Role.USER, "  How do I   repot a large fiddle-leaf fig without hurting it?")
    for limit in (1, 10, 50, 200):
        title = titler.generate(c.id, TitleRequest(max_length=limit), "nowhere/model")
        assert 1 <= len(title) <= limit
    assert titler.retitle(c.id, TitleRequest(), "nowhere/model").startswith("How do I repot")
    assert store.get_conversation(c.id).title == fit(
        "How do I repot a large fiddle-leaf fig without hurting it?", 50
    )
    store.update_conversation(c.id, title="Plants", title_set_by_user=True)
    titler.retitle(c.id, TitleRequest(), "nowhere/model")
    assert titler.after_first_exchange(c.id, "nowhere/model") is None
    assert store.get_conversation(c.id).title == "Plants"
    with pytest.raises(KeyError):
        titler.generate("nope", TitleRequest(), "nowhere/model")
