"""Message rows: writing (appending, streaming checkpoints, finishing) and reading them,
by branch, by parent or one by one."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from chinwag.core.store import branches
from chinwag.core.store.connection import Connection, now
from chinwag.core.types import ContentPart, Message, MessageStatus, Role, TextPart, Usage

_parts = TypeAdapter(list[ContentPart])


class MessageTable:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # -- writing --------------------------------------------------------------------------

    def add(self, message: Message, as_root: bool = False) -> Message:
        """Append a message to the chosen branch (or after message.parent_id) and choose it;
        as_root starts a new branch at the very beginning."""
        streaming = message.status == MessageStatus.STREAMING
        with self.connection.transaction() as db:
            if message.parent_id is None and not as_root:
                message.parent_id = branches.leaf_of(db, message.conversation_id)
            seq = db.execute(
                "SELECT coalesce(max(seq), -1) + 1 FROM messages WHERE conversation_id = ?",
                (message.conversation_id,),
            ).fetchone()[0]
            db.execute(
                "INSERT INTO messages (id, conversation_id, seq, role, content, text, reasoning, "
                "status, error, model, usage, cost, latency_ms, writer_pid, created_at, "
                "updated_at, parent_id, pinned) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message.id,
                    message.conversation_id,
                    seq,
                    message.role.value,
                    *_outcome(message),
                    os.getpid() if streaming else None,
                    message.created_at.isoformat(),
                    now(),
                    message.parent_id,
                    message.pinned,
                ),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ?, leaf_id = ? WHERE id = ?",
                (now(), message.id, message.conversation_id),
            )
            branches.keep(db, message.conversation_id, message.id)
        return message

    def checkpoint(self, message_id: str, text: str, reasoning: str = "") -> None:
        content = _parts.dump_json([TextPart(text=text)]).decode()
        with self.connection.transaction() as db:
            db.execute(
                "UPDATE messages SET content = ?, text = ?, reasoning = ?, updated_at = ? "
                "WHERE id = ?",
                (content, text, reasoning, now(), message_id),
            )

    def finish(self, message: Message) -> None:
        with self.connection.transaction() as db:
            db.execute(
                "UPDATE messages SET content = ?, text = ?, reasoning = ?, status = ?, error = ?, "
                "model = ?, usage = ?, cost = ?, latency_ms = ?, writer_pid = NULL, "
                "updated_at = ? WHERE id = ?",
                (*_outcome(message), now(), message.id),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?",
                (now(), message.conversation_id),
            )

    def set_pinned(self, message_id: str, pinned: bool) -> None:
        with self.connection.transaction() as db:
            cursor = db.execute(
                "UPDATE messages SET pinned = ?, updated_at = ? WHERE id = ?",
                (pinned, now(), message_id),
            )
            if cursor.rowcount == 0:
                raise KeyError(message_id)

    # -- reading --------------------------------------------------------------------------

    def get(self, message_id: str) -> Message:
        with self.connection.reading() as db:
            row = db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise KeyError(message_id)
        return _message(row)

    def in_context(self, conversation_id: str) -> list[Message]:
        with self.connection.snapshot() as db:
            row = db.execute(
                "SELECT id, leaf_id, context_start FROM conversations WHERE id = ?",
                (conversation_id,),
            ).fetchone()
            if row is None:
                raise KeyError(conversation_id)
            return [_message(r) for r in branches.context_rows(db, row)]

    def on_branch(
        self, conversation_id: str, offset: int = 0, limit: int | None = None
    ) -> list[Message]:
        with self.connection.snapshot() as db:
            leaf_id = branches.leaf_of(db, conversation_id)
            rows = branches.path_rows(db, conversation_id, leaf_id, offset=offset, limit=limit)
        return [_message(row) for row in rows]

    def in_write_order(
        self, conversation_id: str, offset: int = 0, limit: int | None = None
    ) -> list[Message]:
        with self.connection.reading() as db:
            rows = db.execute(
                "SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq LIMIT ? OFFSET ?",
                (conversation_id, -1 if limit is None else limit, offset),
            ).fetchall()
        return [_message(row) for row in rows]

    def count(self, conversation_id: str) -> int:
        with self.connection.reading() as db:
            return int(
                db.execute(
                    "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
                ).fetchone()[0]
            )

    def branch_length(self, conversation_id: str) -> int:
        with self.connection.snapshot() as db:
            return branches.length(db, conversation_id, branches.leaf_of(db, conversation_id))

    def outline(self, conversation_id: str) -> list[tuple[str, int, int]]:
        with self.connection.snapshot() as db:
            return branches.outline(db, conversation_id, branches.leaf_of(db, conversation_id))

    def seq_of(self, message_id: str) -> int:
        with self.connection.reading() as db:
            row = db.execute("SELECT seq FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise KeyError(message_id)
        return int(row["seq"])

    def children(self, message_id: str | None, conversation_id: str) -> list[Message]:
        # Through messages_by_parent: left to itself SQLite picks the (conversation_id, seq)
        # index and reads the whole conversation (9 ms a call at 10,000 messages, four calls
        # per first paint, vs 0.02 ms); the unary + keeps it off that index.
        parent = "parent_id IS NULL" if message_id is None else "parent_id = ?"
        params = (conversation_id,) if message_id is None else (conversation_id, message_id)
        with self.connection.reading() as db:
            rows = db.execute(
                f"SELECT * FROM messages WHERE +conversation_id = ? AND {parent} ORDER BY seq",
                params,
            ).fetchall()
        return [_message(row) for row in rows]

    def path_ids(self, leaf_id: str) -> list[str]:
        with self.connection.snapshot() as db:
            row = db.execute(
                "SELECT conversation_id FROM messages WHERE id = ?", (leaf_id,)
            ).fetchone()
            if row is None:
                return []
            return [r["id"] for r in branches.path_rows(db, row[0], leaf_id, "m.id")]

    def totals(self, conversation_id: str) -> tuple[int, float | None]:
        with self.connection.reading() as db:
            row = db.execute(
                "SELECT coalesce(sum(json_extract(usage, '$.prompt_tokens') "
                "+ json_extract(usage, '$.completion_tokens')), 0), sum(cost) "
                "FROM messages WHERE conversation_id = ? "
                "AND (usage IS NOT NULL OR cost IS NOT NULL)",  # from messages_costs alone
                (conversation_id,),
            ).fetchone()
        return int(row[0]), (None if row[1] is None else float(row[1]))


def _outcome(message: Message) -> tuple[Any, ...]:
    """The columns content .. latency_ms: what streaming and finishing a message change."""
    return (
        _parts.dump_json(message.content).decode(),
        message.text,
        message.reasoning,
        message.status.value,
        message.error,
        message.model,
        message.usage.model_dump_json() if message.usage else None,
        message.cost,
        message.latency_ms,
    )


def _message(row: sqlite3.Row) -> Message:
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        role=Role(row["role"]),
        content=_parts.validate_json(row["content"]),
        reasoning=row["reasoning"],
        status=MessageStatus(row["status"]),
        error=row["error"],
        model=row["model"],
        usage=Usage.model_validate_json(row["usage"]) if row["usage"] else None,
        cost=row["cost"],
        latency_ms=row["latency_ms"],
        created_at=datetime.fromisoformat(row["created_at"]),
        parent_id=row["parent_id"],
        pinned=bool(row["pinned"]),
    )
