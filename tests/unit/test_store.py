import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from chinwag.core.store import Store
from chinwag.core.store.conversations import fts_query
from chinwag.core.store.migrations import MIGRATIONS
from chinwag.core.types import Conversation, Message, MessageStatus, Role


def add_text(store: Store, conversation_id: str, role: Role, text: str, **kw: object) -> Message:
    return store.add_message(Message.of_text(conversation_id, role, text, **kw))


def test_database_is_wal_and_fully_migrated(store: Store) -> None:
    db = sqlite3.connect(store.path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_conversation_round_trip_and_update(store: Store) -> None:
    created = store.create_conversation(Conversation(title="Plan", model="local/x"))
    store.update_conversation(created.id, title="Trip", title_set_by_user=True,
                              model_settings={"temperature": 0.2})  # fmt: skip
    loaded = store.get_conversation(created.id)
    assert (loaded.title, loaded.title_set_by_user) == ("Trip", True)
    assert loaded.model_settings == {"temperature": 0.2}
    assert loaded.updated_at >= created.updated_at
    with pytest.raises(KeyError):
        store.get_conversation("nope")
    with pytest.raises(ValueError):
        store.update_conversation(created.id, id="evil")


def test_messages_keep_order_and_in_context_ids(store: Store) -> None:
    c = store.create_conversation()
    ids = [add_text(store, c.id, Role.USER if i % 2 == 0 else Role.ASSISTANT, f"m{i}").id
           for i in range(5)]  # fmt: skip
    assert [m.text for m in store.list_messages(c.id)] == [f"m{i}" for i in range(5)]
    assert store.get_conversation(c.id).in_context_message_ids == ids
    assert [m.text for m in store.list_messages(c.id, offset=3, limit=1)] == ["m3"]


def test_list_is_newest_first_with_pinned_on_top(store: Store) -> None:
    old = store.create_conversation(Conversation(title="old"))
    store.create_conversation(Conversation(title="new"))
    pinned = store.create_conversation(Conversation(title="pinned"))
    store.update_conversation(pinned.id, pinned=True)
    add_text(store, old.id, Role.USER, "bump")  # touching it makes it newest
    assert [c.title for c in store.list_conversations()] == ["pinned", "old", "new"]


def test_full_text_search_over_titles_and_messages(store: Store) -> None:
    a = store.create_conversation(Conversation(title="Holiday plans"))
    b = store.create_conversation(Conversation(title="Work"))
    add_text(store, b.id, Role.USER, "The quarterly budget spreadsheet is due")
    assert [c.id for c in store.list_conversations(search="holiday")] == [a.id]
    assert [c.id for c in store.list_conversations(search="spread")] == [b.id]  # prefix
    assert store.list_conversations(search="budget quarterly")[0].id == b.id
    assert store.list_conversations(search="nothing-like-this") == []
    # FTS syntax in user input is text, not a query
    for hostile in ['"', "AND OR NOT", "title:*", "(", "100%", "a_b"]:
        store.list_conversations(search=hostile)


def test_search_keeps_the_list_order_and_archived_filter(store: Store) -> None:
    old = store.create_conversation(Conversation(title="old"))
    new = store.create_conversation(Conversation(title="new"))
    pinned = store.create_conversation(Conversation(title="pinned"))
    archived = store.create_conversation(Conversation(title="archived"))
    for c in (old, new, pinned, archived):
        add_text(store, c.id, Role.USER, "shared topic words")
    store.update_conversation(pinned.id, pinned=True)
    store.update_conversation(archived.id, archived=True)
    add_text(store, old.id, Role.ASSISTANT, "a reply bumps it")  # now the newest
    assert [c.title for c in store.list_conversations(search="shared top")] == [
        "pinned", "old", "new",
    ]  # fmt: skip
    found = store.list_conversations(search="shared topic", include_archived=True)
    assert [c.title for c in found] == ["pinned", "old", "archived", "new"]
    assert [c.title for c in store.list_conversations(search="pinn")] == ["pinned"]  # title
    # every word must match within one message (as before this table existed)
    add_text(store, new.id, Role.ASSISTANT, "zebra")
    assert store.list_conversations(search="zebra shared") == []
    add_text(store, new.id, Role.ASSISTANT, "a shared zebra")
    assert [c.title for c in store.list_conversations(search="zebra shared")] == ["new"]


def test_search_follows_streamed_edits_and_deletions(store: Store) -> None:
    c = store.create_conversation()
    reply = store.add_message(
        Message(conversation_id=c.id, role=Role.ASSISTANT, status=MessageStatus.STREAMING)
    )
    store.checkpoint(reply.id, "first draft", "")
    assert [x.id for x in store.list_conversations(search="draft")] == [c.id]
    store.checkpoint(reply.id, "second version", "")
    assert store.list_conversations(search="draft") == []
    assert [x.id for x in store.list_conversations(search="second vers")] == [c.id]
    other = store.create_conversation()
    add_text(store, other.id, Role.USER, "second opinion")
    store.delete_conversation(c.id)
    assert [x.id for x in store.list_conversations(search="second")] == [other.id]
    db = sqlite3.connect(store.path)
    assert db.execute("SELECT count(*) FROM message_conversations").fetchone()[0] == 1


def test_search_does_not_read_the_message_rows(store: Store) -> None:
    """Each FTS hit is mapped to its conversation through the narrow table, not `messages`."""
    db = sqlite3.connect(store.path)
    plan = " | ".join(
        row[3]
        for row in db.execute(
            "EXPLAIN QUERY PLAN SELECT c.rowid FROM conversations c WHERE c.rowid IN ("
            "SELECT mc.conversation_rowid FROM messages_fts f CROSS JOIN message_conversations mc "
            "ON mc.message_rowid = f.rowid WHERE messages_fts MATCH 'x')"
        )
    )
    assert "messages_fts" in plan or "VIRTUAL TABLE" in plan
    assert "SEARCH mc USING INTEGER PRIMARY KEY" in plan
    assert " m " not in f" {plan} " and "messages m" not in plan


def test_migrating_a_populated_v2_database_makes_its_messages_searchable(home: Path) -> None:
    path = home / "chinwag.db"
    home.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)  # schema 2 as that version wrote it: today's code needs more
    for migration in MIGRATIONS[:2]:
        migration(db)
    stamp = "2025-01-01T00:00:00+00:00"
    for cid, title in [("a", "alpha"), ("b", "beta")]:
        db.execute(
            "INSERT INTO conversations (id, agent_id, title, created_at, updated_at) "
            "VALUES (?, 'assistant-default', ?, ?, ?)",
            (cid, title, stamp, stamp),
        )
    for mid, cid, seq, parent, role, text in [
        ("a0", "a", 0, None, "user", "the lighthouse keeper"),
        ("b0", "b", 0, None, "user", "a lighthouse at dusk"),
        ("b1", "b", 1, "b0", "assistant", "gulls"),
    ]:
        db.execute(
            "INSERT INTO messages (id, conversation_id, seq, parent_id, role, content, text, "
            "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '[]', ?, 'complete', ?, ?)",
            (mid, cid, seq, parent, role, text, stamp, stamp),
        )
        db.execute("UPDATE conversations SET leaf_id = ? WHERE id = ?", (mid, cid))
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    store = Store(path)
    assert (home / f"chinwag.db.before-v{len(MIGRATIONS)}").exists()
    assert {c.id for c in store.list_conversations(search="lighthouse")} == {"a", "b"}
    assert [c.id for c in store.list_conversations(search="gull")] == ["b"]
    assert [m.id for m in store.list_messages("b")] == ["b0", "b1"]
    c = store.create_conversation()
    add_text(store, c.id, Role.USER, "new after the upgrade")
    assert [x.id for x in store.list_conversations(search="upgrade")] == [c.id]
    store.close()


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('say "hi" now') == '"say" """hi""" "now"*'
    assert fts_query("   ") == ""


def test_delete_removes_conversation_and_its_messages(store: Store) -> None:
    c = store.create_conversation()
    add_text(store, c.id, Role.USER, "findme")
    store.delete_conversation(c.id)
    assert store.list_conversations(search="findme") == []
    assert store.count_messages(c.id) == 0
    with pytest.raises(KeyError):
        store.delete_conversation(c.id)


def test_checkpoints_save_streaming_text(store: Store) -> None:
    c = store.create_conversation()
    reply = store.add_message(
        Message(conversation_id=c.id, role=Role.ASSISTANT, status=MessageStatus.STREAMING)
    )
    store.checkpoint(reply.id, "partial answ", "thinking")
    saved = store.get_message(reply.id)
    assert (saved.text, saved.reasoning, saved.status) == ("partial answ", "thinking", "streaming")
    assert store.list_conversations(search="partial")[0].id == c.id


def test_a_message_left_streaming_by_a_dead_process_becomes_interrupted(home: Path) -> None:
    path = home / "chinwag.db"
    script = (
        "import os, sys\n"
        "from chinwag.core.store import Store\n"
        "from chinwag.core.types import *\n"
        f"s = Store(__import__('pathlib').Path({str(path)!r}))\n"
        "c = s.create_conversation()\n"
        "m = s.add_message(Message(conversation_id=c.id, role='assistant', status='streaming'))\n"
        "s.checkpoint(m.id, 'half a sentence')\n"
        "print(m.id, flush=True)\n"
        "os._exit(0)  # dies without finishing the message\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    message_id = out.stdout.strip()
    store = Store(path)
    message = store.get_message(message_id)
    assert message.status == MessageStatus.INTERRUPTED
    assert message.text == "half a sentence"
    store.close()


def test_a_live_writer_s_stream_is_left_alone(store: Store) -> None:
    c = store.create_conversation()
    reply = store.add_message(
        Message(conversation_id=c.id, role=Role.ASSISTANT, status=MessageStatus.STREAMING)
    )
    second = Store(store.path)  # e.g. the CLI opening while the app streams
    assert second.get_message(reply.id).status == MessageStatus.STREAMING
    second.close()


def test_migrating_an_old_database_keeps_a_backup(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = home / "chinwag.db"
    home.mkdir(parents=True, exist_ok=True)
    store = Store(path)
    c = store.create_conversation(Conversation(title="before the upgrade"))
    store.close()

    def add_column(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE conversations ADD COLUMN colour TEXT")

    upgraded = [*MIGRATIONS, add_column]
    monkeypatch.setattr("chinwag.core.store.connection.MIGRATIONS", upgraded)
    store = Store(path)
    assert store.get_conversation(c.id).title == "before the upgrade"
    store.close()
    backup = sqlite3.connect(home / f"chinwag.db.before-v{len(upgraded)}")
    assert backup.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert backup.execute("SELECT title FROM conversations").fetchone()[0] == "before the upgrade"


def test_a_database_from_a_newer_chinwag_is_refused_untouched(home: Path) -> None:
    from chinwag.core.store import StoreError

    path = home / "chinwag.db"
    home.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 999")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer Chinwag"):
        Store(path)


def test_a_corrupt_database_is_kept_aside_and_a_new_one_started(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "chinwag.db"
    path.write_bytes(b"this is not sqlite" * 100)
    store = Store(path)
    assert store.notices and "damaged" in store.notices[0]
    kept = [p for p in os.listdir(home) if ".corrupt-" in p]
    assert kept and (home / kept[0]).read_bytes().startswith(b"this is not sqlite")
    assert store.list_conversations() == []
    store.close()


def test_a_migration_that_fails_halfway_leaves_nothing_behind(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration and its version bump commit together: a failure (or a kill) midway
    leaves the old schema, so the next start simply runs the migration again."""
    path = home / "chinwag.db"
    home.mkdir(parents=True, exist_ok=True)
    store = Store(path)
    c = store.create_conversation(Conversation(title="kept"))
    store.close()

    def half_then_fail(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE tags (name TEXT)")
        raise RuntimeError("the process dies here")

    monkeypatch.setattr("chinwag.core.store.connection.MIGRATIONS", [*MIGRATIONS, half_then_fail])
    with pytest.raises(RuntimeError):
        Store(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'tags'").fetchone() is None
    db.close()

    def complete(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE tags (name TEXT)")

    monkeypatch.setattr("chinwag.core.store.connection.MIGRATIONS", [*MIGRATIONS, complete])
    store = Store(path)
    assert store.get_conversation(c.id).title == "kept"
    store.close()
