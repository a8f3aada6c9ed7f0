"""Whole-conversation rows out of and into the database, for export and import.

Rows go in inside one transaction: an import either lands complete or changes nothing.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from chinwag.core.store import branches

if TYPE_CHECKING:
    from chinwag.core.store.facade import Store

CONVERSATION_COLUMNS = (
    "id", "agent_id", "title", "title_set_by_user", "summary", "model", "model_settings",
    "system_prompt", "pinned", "archived", "context_start", "leaf_id", "compiled_system",
    "created_at", "updated_at",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "id", "parent_id", "seq", "role", "content", "reasoning", "status", "error", "model",
    "usage", "cost", "latency_ms", "pinned", "created_at", "updated_at",
)  # fmt: skip
BLOCK_COLUMNS = ("id", "label", "value", "created_at", "updated_at")
ASSISTANT_COLUMNS = (
    "id", "name", "system_prompt", "model", "model_settings", "created_at", "updated_at",
)  # fmt: skip
COMPACTION_COLUMNS = (
    "id", "mode", "model", "summary", "context_start_before", "context_start_after",
    "first_kept_id", "last_evicted_id", "num_messages_before", "num_messages_after",
    "created_at",
)  # fmt: skip


def _select(
    db: sqlite3.Connection, columns: tuple[str, ...], sql: str, *args: Any
) -> list[dict[str, Any]]:
    rows = db.execute(f"SELECT {', '.join(columns)} {sql}", args).fetchall()
    return [dict(zip(columns, row, strict=True)) for row in rows]


def dump(store: Store, conversation_id: str) -> dict[str, Any]:
    """Every row that makes up the conversation, as stored (JSON columns still text)."""
    with store.connection.reading() as db:
        found = _select(
            db, CONVERSATION_COLUMNS, "FROM conversations WHERE id = ?", conversation_id
        )
        if not found:
            raise KeyError(conversation_id)
        conversation = found[0]
        assistant = _select(
            db, ASSISTANT_COLUMNS, "FROM assistants WHERE id = ?", conversation["agent_id"]
        )
        return {
            "conversation": conversation,
            "assistant": assistant[0] if assistant else None,
            "assistant_blocks": _select(
                db, BLOCK_COLUMNS, "FROM blocks WHERE assistant_id = ? ORDER BY label",
                conversation["agent_id"],
            ),
            "isolated_blocks": _select(
                db, BLOCK_COLUMNS, "FROM blocks WHERE conversation_id = ? ORDER BY label",
                conversation_id,
            ),
            "messages": _select(
                db, MESSAGE_COLUMNS, "FROM messages WHERE conversation_id = ? ORDER BY seq",
                conversation_id,
            ),
            "compactions": _select(
                db, COMPACTION_COLUMNS,
                "FROM compactions WHERE conversation_id = ? ORDER BY created_at, rowid",
                conversation_id,
            ),
        }  # fmt: skip


def _insert(db: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def load(store: Store, rows: dict[str, Any]) -> None:
    """Insert what `dump` gave (ids already made unique by the caller), all or nothing."""
    conversation_id = rows["conversation"]["id"]
    with store.connection.transaction() as db:
        assistant = rows["assistant"]
        exists = db.execute("SELECT 1 FROM assistants WHERE id = ?", (assistant["id"],)).fetchone()
        if exists is None:
            _insert(db, "assistants", assistant)
            for block in rows["assistant_blocks"]:
                _insert(db, "blocks", block | {"assistant_id": assistant["id"]})
        _insert(db, "conversations", rows["conversation"])
        for block in rows["isolated_blocks"]:
            _insert(db, "blocks", block | {"conversation_id": conversation_id})
        for message in rows["messages"]:
            text = "".join(
                part.get("text", "") for part in message.pop("_parts") if part.get("type") == "text"
            )
            _insert(db, "messages", message | {"conversation_id": conversation_id, "text": text})
        for compaction in rows["compactions"]:
            _insert(db, "compactions", compaction | {"conversation_id": conversation_id})
        branches.keep(db, conversation_id, rows["conversation"].get("leaf_id"))


def ids_in_use(store: Store, conversation_id: str, message_ids: list[str]) -> bool:
    with store.connection.reading() as db:
        if db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone():
            return True
        for start in range(0, len(message_ids), 500):
            chunk = message_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            if db.execute(f"SELECT 1 FROM messages WHERE id IN ({marks})", chunk).fetchone():
                return True
    return False
