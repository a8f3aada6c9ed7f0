"""Schema migrations: an ordered list of functions; PRAGMA user_version counts those applied.

Never edit a released migration: append a new one. Each runs inside one transaction with
its version bump (see Connection._migrate), so statements go through `run_script`: sqlite3's
executescript would commit first, and a kill mid-migration would leave half a schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Execute a script's statements one by one, inside the caller's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {statement.strip()[:80]}")


def m001_initial(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            agent_id TEXT NOT NULL,
            title TEXT,
            title_set_by_user INTEGER NOT NULL DEFAULT 0,
            summary TEXT,
            model TEXT,
            model_settings TEXT,
            system_prompt TEXT,
            pinned INTEGER NOT NULL DEFAULT 0,
            archived INTEGER NOT NULL DEFAULT 0,
            context_start INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX conversations_by_update ON conversations(pinned DESC, updated_at DESC);

        CREATE TABLE messages (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            text TEXT NOT NULL,
            reasoning TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            error TEXT,
            model TEXT,
            usage TEXT,
            cost REAL,
            latency_ms REAL,
            writer_pid INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (conversation_id, seq)
        );
        CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming';

        CREATE VIRTUAL TABLE messages_fts USING fts5(
            text, content='messages', content_rowid='rowid', tokenize='unicode61'
        );
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        END;
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
            INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
        END;
        """,
    )


def m002_assistants_branches_compactions(db: sqlite3.Connection) -> None:
    """Assistants and their blocks, message parents (branches), compaction markers, cancel."""
    run_script(
        db,
        """
        CREATE TABLE assistants (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            system_prompt TEXT NOT NULL DEFAULT '',
            model TEXT,
            model_settings TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        INSERT INTO assistants (id, name, system_prompt, created_at, updated_at)
            VALUES ('assistant-default', 'Assistant', 'You are a helpful assistant.',
                    strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
        INSERT OR IGNORE INTO assistants (id, name, created_at, updated_at)
            SELECT DISTINCT agent_id, agent_id, min(created_at), min(created_at) FROM conversations GROUP BY agent_id;

        CREATE TABLE blocks (
            id TEXT PRIMARY KEY,
            assistant_id TEXT REFERENCES assistants(id) ON DELETE CASCADE,
            conversation_id TEXT REFERENCES conversations(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            value TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((assistant_id IS NULL) <> (conversation_id IS NULL))
        );
        CREATE UNIQUE INDEX blocks_of_assistant ON blocks(assistant_id, label) WHERE assistant_id IS NOT NULL;
        CREATE UNIQUE INDEX blocks_of_conversation ON blocks(conversation_id, label) WHERE conversation_id IS NOT NULL;

        ALTER TABLE conversations ADD COLUMN leaf_id TEXT;
        ALTER TABLE conversations ADD COLUMN compiled_system TEXT;
        ALTER TABLE conversations ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN parent_id TEXT REFERENCES messages(id) ON DELETE CASCADE;
        ALTER TABLE messages ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX messages_by_parent ON messages(parent_id);

        UPDATE messages SET parent_id = (
            SELECT p.id FROM messages p WHERE p.conversation_id = messages.conversation_id
            AND p.seq < messages.seq ORDER BY p.seq DESC LIMIT 1);
        UPDATE conversations SET leaf_id = (
            SELECT m.id FROM messages m WHERE m.conversation_id = conversations.id
            ORDER BY m.seq DESC LIMIT 1);

        CREATE TABLE compactions (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            mode TEXT NOT NULL,
            model TEXT,
            summary TEXT NOT NULL,
            context_start_before INTEGER NOT NULL,
            context_start_after INTEGER NOT NULL,
            first_kept_id TEXT,
            last_evicted_id TEXT NOT NULL,
            num_messages_before INTEGER NOT NULL,
            num_messages_after INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX compactions_of_conversation ON compactions(conversation_id, created_at);
        """,
    )


def m003_message_conversations(db: sqlite3.Connection) -> None:
    """A narrow map from a message's rowid to its conversation's rowid, for search.

    Search maps every FTS hit to its conversation; reading that from `messages` means reading
    a wide row (text stored twice) per hit. This table is two integers a row; triggers keep it
    in step with messages (insert, delete, including cascaded deletes, and a move).
    Like messages_fts it relies on stable rowids (of conversations too): after any VACUUM,
    rebuild both.
    """
    run_script(
        db,
        """
        CREATE TABLE message_conversations (
            message_rowid INTEGER PRIMARY KEY,
            conversation_rowid INTEGER
        );
        INSERT INTO message_conversations (message_rowid, conversation_rowid)
            SELECT m.rowid, c.rowid FROM messages m JOIN conversations c ON c.id = m.conversation_id;
        CREATE TRIGGER message_conversations_insert AFTER INSERT ON messages BEGIN
            INSERT INTO message_conversations (message_rowid, conversation_rowid)
                VALUES (new.rowid, (SELECT rowid FROM conversations WHERE id = new.conversation_id));
        END;
        CREATE TRIGGER message_conversations_delete AFTER DELETE ON messages BEGIN
            DELETE FROM message_conversations WHERE message_rowid = old.rowid;
        END;
        CREATE TRIGGER message_conversations_move AFTER UPDATE OF conversation_id ON messages BEGIN
            UPDATE message_conversations
                SET conversation_rowid = (SELECT rowid FROM conversations WHERE id = new.conversation_id)
                WHERE message_rowid = new.rowid;
        END;
        """,
    )


def m004_usage_ledger(db: sqlite3.Connection) -> None:
    """One row per model call (the usage ledger), and per-conversation budgets.

    Rows outlive their conversation on purpose: money spent stays spent when a chat is
    deleted. `cost` is NULL when no price is known (never 0 for "unknown").
    """
    run_script(
        db,
        """
        CREATE TABLE usage_records (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            conversation_id TEXT,
            message_id TEXT,
            usage_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            router TEXT,
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            cache_read_tokens INTEGER NOT NULL DEFAULT 0,
            cache_write_tokens INTEGER NOT NULL DEFAULT 0,
            reasoning_tokens INTEGER NOT NULL DEFAULT 0,
            cost REAL CHECK (cost IS NULL OR cost >= 0),
            latency_ms REAL NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'cancelled', 'error')),
            retries INTEGER NOT NULL DEFAULT 0,
            error TEXT
        );
        CREATE INDEX usage_by_time ON usage_records(created_at);
        CREATE INDEX usage_by_conversation ON usage_records(conversation_id, created_at);
        CREATE INDEX usage_by_provider ON usage_records(provider, created_at);

        CREATE TABLE conversation_budgets (
            conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
            max_budget_per_task REAL NOT NULL CHECK (max_budget_per_task >= 0)
        );
        """,
    )


def m005_conversation_open(db: sqlite3.Connection) -> None:
    """What opening a conversation reads, made cheap: its chosen branch, stored as
    (conversation, seq) -> message, and a covering index for its token and cost totals.

    Reading a branch used to walk it from the leaf up (one B-tree search per message on
    random ids: ~30 ms at 10k messages, ~1 s at 100k, twice per open). These rows make it
    one range scan, with what the view's outline needs (sizes, line breaks) and what the
    context filter needs (pinned) beside each id. The store rewrites them in the same
    transaction as every change of `conversations.leaf_id`, walking up only to the stored
    branch (an append is one step); these triggers follow changes to the messages. The
    rows always form a path from a root down; readers use them only when their last row is
    the conversation's leaf, and walk the tree otherwise.

    The totals read every priced message's usage; from the table that meant reading wide
    rows (text twice): 19 -> 3 ms at 10k messages, 106 -> 27 ms at 100k from the index.
    """
    run_script(
        db,
        """
        CREATE TABLE branch_messages (
            conversation_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            message_id TEXT NOT NULL,
            pinned INTEGER NOT NULL,
            chars INTEGER NOT NULL,
            lines INTEGER NOT NULL,
            PRIMARY KEY (conversation_id, seq)
        ) WITHOUT ROWID;
        WITH RECURSIVE path(conversation_id, id) AS (
            SELECT id, leaf_id FROM conversations WHERE leaf_id IS NOT NULL
            UNION ALL
            SELECT path.conversation_id, m.parent_id FROM messages m JOIN path ON m.id = path.id
                WHERE m.parent_id IS NOT NULL)
        INSERT INTO branch_messages (conversation_id, seq, message_id, pinned, chars, lines)
            SELECT m.conversation_id, m.seq, m.id, m.pinned,
                   length(m.text) + length(m.reasoning),
                   length(m.text) - length(replace(m.text, char(10), ''))
            FROM path JOIN messages m ON m.id = path.id
            WHERE m.conversation_id = path.conversation_id;
        CREATE TRIGGER branch_messages_delete AFTER DELETE ON messages BEGIN
            DELETE FROM branch_messages
                WHERE conversation_id = old.conversation_id AND seq = old.seq;
        END;
        CREATE TRIGGER branch_messages_text AFTER UPDATE OF text, reasoning ON messages BEGIN
            UPDATE branch_messages SET
                chars = length(new.text) + length(new.reasoning),
                lines = length(new.text) - length(replace(new.text, char(10), ''))
                WHERE conversation_id = new.conversation_id AND seq = new.seq;
        END;
        CREATE TRIGGER branch_messages_pinned AFTER UPDATE OF pinned ON messages BEGIN
            UPDATE branch_messages SET pinned = new.pinned
                WHERE conversation_id = new.conversation_id AND seq = new.seq;
        END;
        -- Nothing re-parents or renumbers messages; should anything, forget both branches
        -- (readers then walk, and the next change of leaf stores the branch again).
        CREATE TRIGGER branch_messages_moved
            AFTER UPDATE OF id, conversation_id, seq, parent_id ON messages BEGIN
            DELETE FROM branch_messages
                WHERE conversation_id IN (old.conversation_id, new.conversation_id);
        END;
        CREATE TRIGGER branch_messages_conversation_delete AFTER DELETE ON conversations BEGIN
            DELETE FROM branch_messages WHERE conversation_id = old.id;
        END;

        CREATE INDEX messages_costs ON messages(conversation_id, usage, cost)
            WHERE usage IS NOT NULL OR cost IS NOT NULL;
        """,
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_initial,
    m002_assistants_branches_compactions,
    m003_message_conversations,
    m004_usage_ledger,
    m005_conversation_open,
]
