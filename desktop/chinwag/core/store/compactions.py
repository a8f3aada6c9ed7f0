"""Compaction markers: where a conversation's context window was moved, and why."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from chinwag.core.store.connection import Connection, now
from chinwag.core.types import Compaction


class CompactionTable:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def record(self, compaction: Compaction) -> None:
        """Save the marker and move the conversation's window and summary, atomically."""
        with self.connection.transaction() as db:
            _insert_compaction(db, compaction)
            db.execute(
                "UPDATE conversations SET context_start = ?, summary = ?, updated_at = ? "
                "WHERE id = ?",
                (
                    compaction.context_start_after,
                    compaction.summary,
                    now(),
                    compaction.conversation_id,
                ),
            )

    def of(self, conversation_id: str) -> list[Compaction]:
        with self.connection.reading() as db:
            rows = db.execute(
                "SELECT * FROM compactions WHERE conversation_id = ? ORDER BY created_at, rowid",
                (conversation_id,),
            ).fetchall()
        return [
            Compaction.model_validate(
                dict(row) | {"created_at": datetime.fromisoformat(row["created_at"])}
            )
            for row in rows
        ]


def _insert_compaction(db: sqlite3.Connection, c: Compaction) -> None:
    db.execute(
        "INSERT INTO compactions (id, conversation_id, mode, model, summary, "
        "context_start_before, context_start_after, first_kept_id, last_evicted_id, "
        "num_messages_before, num_messages_after, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (c.id, c.conversation_id, c.mode, c.model, c.summary, c.context_start_before,
         c.context_start_after, c.first_kept_id, c.last_evicted_id, c.num_messages_before,
         c.num_messages_after, c.created_at.isoformat()),
    )  # fmt: skip
