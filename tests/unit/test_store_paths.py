"""The stored chosen branch (branch_messages, migration m005) gives exactly what walking the
message tree gives, after every kind of write, from any connection, and after migrating."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from chinwag.core.conversations.branches import Branches
from chinwag.core.conversations.export import import_data, parse, to_json
from chinwag.core.store import Store
from chinwag.core.store.branches import is_stored, leaf_of
from chinwag.core.store.migrations import MIGRATIONS
from chinwag.core.types import Compaction, Conversation, Message, MessageStatus, Role


def walked(store: Store, conversation_id: str) -> list[sqlite3.Row]:
    """The chosen branch the old way, from scratch: up from the leaf, then by seq."""
    db = sqlite3.connect(store.path)
    db.row_factory = sqlite3.Row
    try:
        return db.execute(
            "WITH RECURSIVE path(id) AS (SELECT leaf_id FROM conversations WHERE id = ? "
            "UNION ALL SELECT m.parent_id FROM messages m JOIN path ON m.id = path.id "
            "WHERE m.parent_id IS NOT NULL) "
            "SELECT m.id, m.seq, m.pinned, length(m.text) + length(m.reasoning) AS chars, "
            "length(m.text) - length(replace(m.text, char(10), '')) AS lines "
            "FROM path JOIN messages m ON m.id = path.id ORDER BY m.seq",
            (conversation_id,),
        ).fetchall()
    finally:
        db.close()


def stored_tail_is_leaf(store: Store, conversation_id: str) -> bool:
    """Whether reads take the stored rows (not the fallback walk)."""
    with store.connection.snapshot() as db:
        return is_stored(db, conversation_id, leaf_of(db, conversation_id))


def assert_reads_match_the_walk(store: Store, conversation_id: str) -> None:
    path = walked(store, conversation_id)
    ids = [row["id"] for row in path]
    conversation = store.get_conversation(conversation_id)
    assert store.message_outline(conversation_id) == [
        (row["id"], row["chars"], row["lines"]) for row in path
    ]
    assert [m.id for m in store.list_messages(conversation_id)] == ids
    assert store.branch_length(conversation_id) == len(ids)
    assert [m.id for m in store.list_messages(conversation_id, offset=2, limit=3)] == ids[2:5]
    in_context = [r["id"] for r in path if r["seq"] >= conversation.context_start or r["pinned"]]
    assert conversation.in_context_message_ids == in_context
    assert [m.id for m in store.context_messages(conversation_id)] == in_context
    if ids:
        assert store.path_ids(ids[-1]) == ids
        assert store.path_ids(ids[len(ids) // 2]) == ids[: len(ids) // 2 + 1]


def say(store: Store, conversation_id: str, role: Role, text: str) -> Message:
    return store.add_message(Message.of_text(conversation_id, role, text))


def test_random_edits_regenerations_and_switches_read_like_the_walk(store: Store) -> None:
    rng = random.Random(7)
    branches = Branches(store)
    c = store.create_conversation()
    assert_reads_match_the_walk(store, c.id)
    say(store, c.id, Role.USER, "first\nquestion")
    for step in range(120):
        shown = [m.id for m in store.list_messages(c.id)]
        action = rng.choice(["turn", "turn", "edit", "regenerate", "switch", "pin", "stream"])
        if action == "turn":
            say(store, c.id, Role.ASSISTANT, f"answer {step}\n" * rng.randint(0, 3))
            say(store, c.id, Role.USER, f"question {step}")
        elif action == "edit":
            users = [m for m in store.list_messages(c.id) if m.role == Role.USER]
            branches.edit(rng.choice(users).id, f"edited {step}\nagain")
        elif action == "regenerate":
            replies = [m for m in store.list_messages(c.id) if m.role == Role.ASSISTANT]
            if replies:
                branches.prepare_regenerate(rng.choice(replies).id)
                say(store, c.id, Role.ASSISTANT, f"regenerated {step}")
        elif action == "switch":
            versions = branches.versions(rng.choice(shown)).version_ids
            branches.select(rng.choice(versions))
        elif action == "pin":
            store.set_pinned(rng.choice(shown), rng.random() < 0.7)
        else:
            reply = store.add_message(
                Message(conversation_id=c.id, role=Role.ASSISTANT, status=MessageStatus.STREAMING)
            )
            store.checkpoint(reply.id, "partial\nline")
            assert_reads_match_the_walk(store, c.id)
            reply.content = Message.of_text(c.id, Role.ASSISTANT, "done\n\nx").content
            reply.status = MessageStatus.COMPLETE
            store.finish_message(reply)
        if step % 10 == 0:
            store.update_conversation(c.id, context_start=rng.randint(0, step))
        assert stored_tail_is_leaf(store, c.id)
        assert_reads_match_the_walk(store, c.id)
    assert len(store.list_messages(c.id)) < store.count_messages(c.id)  # it did branch


def test_compaction_moves_the_window_over_the_stored_branch(store: Store) -> None:
    c = store.create_conversation()
    ids = [say(store, c.id, Role.USER if i % 2 == 0 else Role.ASSISTANT, f"m{i}").id
           for i in range(10)]  # fmt: skip
    store.set_pinned(ids[1], True)
    store.compactions.record(
        Compaction(
            conversation_id=c.id, mode="summary", summary="s", context_start_before=0,
            context_start_after=6, first_kept_id=ids[6], last_evicted_id=ids[5],
            num_messages_before=10, num_messages_after=5,
        )
    )  # fmt: skip
    assert store.get_conversation(c.id).in_context_message_ids == [ids[1], *ids[6:]]
    assert_reads_match_the_walk(store, c.id)


def test_another_connection_s_writes_are_read_at_once(store: Store) -> None:
    c = store.create_conversation()
    first = say(store, c.id, Role.USER, "from the app")
    assert store.message_outline(c.id) == [(first.id, 12, 0)]
    other = Store(store.path)  # e.g. the CLI or the local API, another process
    try:
        reply = say(other, c.id, Role.ASSISTANT, "from\nthe cli")
        assert store.message_outline(c.id) == [(first.id, 12, 0), (reply.id, 12, 1)]
        Branches(other).edit(first.id, "edited elsewhere")
        assert_reads_match_the_walk(store, c.id)
        assert [m.text for m in store.list_messages(c.id)] == ["edited elsewhere"]
        Branches(other).select(first.id)
        assert [m.text for m in store.list_messages(c.id)] == ["from the app", "from\nthe cli"]
        other.set_pinned(reply.id, True)
        assert_reads_match_the_walk(store, c.id)
    finally:
        other.close()


def test_a_leaf_set_behind_the_store_s_back_is_walked(store: Store) -> None:
    """A writer that moves the leaf without the stored branch (not Chinwag's code) costs a
    walk, never a wrong answer; the next leaf change through the store stores it again."""
    c = store.create_conversation()
    ids = [say(store, c.id, Role.USER, f"m{i}").id for i in range(6)]
    raw = sqlite3.connect(store.path)
    raw.execute("UPDATE conversations SET leaf_id = ? WHERE id = ?", (ids[2], c.id))
    raw.commit()
    raw.close()
    assert not stored_tail_is_leaf(store, c.id)
    assert [m.id for m in store.list_messages(c.id)] == ids[:3]
    assert_reads_match_the_walk(store, c.id)
    say(store, c.id, Role.USER, "after")
    assert stored_tail_is_leaf(store, c.id)
    assert_reads_match_the_walk(store, c.id)


def test_branch_length_counts_the_chosen_branch_not_every_version(store: Store) -> None:
    c = store.create_conversation()
    assert store.branch_length(c.id) == 0
    question = say(store, c.id, Role.USER, "q")
    say(store, c.id, Role.ASSISTANT, "first answer")
    say(store, c.id, Role.USER, "follow-up")
    retry = Message.of_text(c.id, Role.ASSISTANT, "second answer", parent_id=question.id)
    store.add_message(retry)  # a second version of the answer, now the chosen branch
    assert store.count_messages(c.id) == 4
    assert store.branch_length(c.id) == 2 == len(store.list_messages(c.id))
    raw = sqlite3.connect(store.path)  # a leaf the stored branch does not hold: walked
    raw.execute("UPDATE conversations SET leaf_id = ? WHERE id = ?", (question.id, c.id))
    raw.commit()
    raw.close()
    assert not stored_tail_is_leaf(store, c.id)
    assert store.branch_length(c.id) == 1 == len(store.list_messages(c.id))
    assert store.branch_length("no such conversation") == 0


def test_deleting_a_conversation_leaves_no_stored_branch(store: Store) -> None:
    c = store.create_conversation()
    kept = store.create_conversation()
    for i in range(3):
        say(store, c.id, Role.USER, f"m{i}")
        say(store, kept.id, Role.USER, f"k{i}")
    store.delete_conversation(c.id)
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT DISTINCT conversation_id FROM branch_messages").fetchall() == [
        (kept.id,)
    ]
    db.close()
    assert_reads_match_the_walk(store, kept.id)


def test_an_imported_conversation_is_stored_with_its_chosen_branch(store: Store) -> None:
    c = store.create_conversation(Conversation(title="exported"))
    q = say(store, c.id, Role.USER, "q")
    say(store, c.id, Role.ASSISTANT, "a1")
    Branches(store).prepare_regenerate(store.list_messages(c.id)[-1].id)
    say(store, c.id, Role.ASSISTANT, "a2\nb")
    copy = import_data(store, parse(to_json(store, c.id)))
    assert stored_tail_is_leaf(store, copy)
    assert [m.text for m in store.list_messages(copy)] == [q.text, "a2\nb"]
    assert_reads_match_the_walk(store, copy)


def test_migrating_a_populated_schema_4_database_stores_every_chosen_branch(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "chinwag.db"
    old = Store(path)
    branches = Branches(old)
    conversations = [old.create_conversation(), old.create_conversation()]
    for n, c in enumerate(conversations):
        first = say(old, c.id, Role.USER, "hello\nthere")
        for i in range(4 + n):
            say(old, c.id, Role.ASSISTANT, f"reply {i}")
            say(old, c.id, Role.USER, f"next {i}")
        branches.edit(first.id, "a new start")
        say(old, c.id, Role.ASSISTANT, "fresh\nreply")
        branches.select(first.id)  # back to the long branch
        old.set_pinned(first.id, True)
    empty = old.create_conversation()
    old.close()
    # Back to schema 4 exactly: m005 only adds a table, its triggers and an index.
    db = sqlite3.connect(path)
    db.execute("DROP TABLE branch_messages")
    db.execute("DROP INDEX messages_costs")
    for (trigger,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'branch_messages%'"
    ).fetchall():
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("PRAGMA user_version = 4")
    db.commit()
    db.close()
    assert len(MIGRATIONS) == 5

    store = Store(path)
    try:
        for c in [*conversations, empty]:
            assert stored_tail_is_leaf(store, c.id)
            assert_reads_match_the_walk(store, c.id)
        assert len(store.list_messages(conversations[1].id)) == 11
        say(store, conversations[0].id, Role.ASSISTANT, "after the upgrade")
        assert_reads_match_the_walk(store, conversations[0].id)
    finally:
        store.close()


def test_a_branch_read_does_not_walk_the_tree(store: Store) -> None:
    """The point of m005: opening a conversation reads one range of a narrow table."""
    c = store.create_conversation()
    say(store, c.id, Role.USER, "q")
    traced: list[str] = []
    with store.connection.reading() as db:
        db.set_trace_callback(traced.append)
        try:
            store.get_conversation(c.id)
            store.message_outline(c.id)
            store.list_messages(c.id, offset=0, limit=50)
        finally:
            db.set_trace_callback(None)
    assert traced and not [sql for sql in traced if "RECURSIVE" in sql]


def test_a_write_that_fails_midway_leaves_the_stored_branch_as_it_was(store: Store) -> None:
    c = store.create_conversation()
    ids = [say(store, c.id, Role.USER, f"m{i}").id for i in range(3)]
    orphan = Message.of_text(c.id, Role.USER, "no such parent", parent_id="missing")
    with pytest.raises(sqlite3.IntegrityError):
        store.add_message(orphan)
    with pytest.raises(KeyError):
        store.update_conversation("no such conversation", leaf_id=ids[0])
    assert stored_tail_is_leaf(store, c.id)
    assert store.path_ids(ids[-1]) == ids
    assert_reads_match_the_walk(store, c.id)
