"""Conversation rows: create, read, search, update, delete."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from chinwag.core.store import branches
from chinwag.core.store.connection import Connection, now
from chinwag.core.types import Conversation

# What update() may change; the rest (id, created_at) is fixed at creation.
_UPDATABLE = {
    "title", "title_set_by_user", "summary", "model", "model_settings",
    "system_prompt", "pinned", "archived", "context_start", "leaf_id",
    "compiled_system", "cancel_requested", "agent_id",
}  # fmt: skip


def fts_query(text: str) -> str:
    """User text as an FTS5 query: every word must match, the last as a prefix; no syntax."""
    words = [w.replace('"', '""') for w in text.split()]
    if not words:
        return ""
    return " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'


class ConversationTable:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def create(self, conversation: Conversation | None = None) -> Conversation:
        conversation = conversation or Conversation()
        with self.connection.transaction() as db:
            db.execute(
                "INSERT INTO conversations (id, agent_id, title, title_set_by_user, summary, "
                "model, model_settings, system_prompt, pinned, archived, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    conversation.id,
                    conversation.agent_id,
                    conversation.title,
                    conversation.title_set_by_user,
                    conversation.summary,
                    conversation.model,
                    _json(conversation.model_settings),
                    conversation.system_prompt,
                    conversation.pinned,
                    conversation.archived,
                    conversation.created_at.isoformat(),
                    conversation.updated_at.isoformat(),
                ),
            )
        return self.get(conversation.id)

    def get(self, conversation_id: str) -> Conversation:
        with self.connection.snapshot() as db:
            row = db.execute(
                "SELECT * FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if row is None:
                raise KeyError(conversation_id)
            in_context = [r["id"] for r in branches.context_rows(db, row, "m.id")]
            isolated = [
                r["id"]
                for r in db.execute(
                    "SELECT id FROM blocks WHERE conversation_id = ? ORDER BY label",
                    (conversation_id,),
                )
            ]
        return _conversation(row, in_context, isolated)

    def all(
        self, search: str | None = None, include_archived: bool = False, limit: int = 500
    ) -> list[Conversation]:
        """Pinned first, then the most recently updated; `search` matches the title or the
        words of any message."""
        where = "" if include_archived else "WHERE c.archived = 0"
        params: list[Any] = []
        if search and search.strip():
            where += " AND " if where else "WHERE "
            where += (
                "(c.title LIKE ? ESCAPE '\\' OR c.rowid IN (SELECT mc.conversation_rowid "
                "FROM messages_fts f CROSS JOIN message_conversations mc "
                "ON mc.message_rowid = f.rowid WHERE messages_fts MATCH ?))"
            )
            like = search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params += [f"%{like}%", fts_query(search)]
        sql = (
            f"SELECT c.* FROM conversations c {where} "
            "ORDER BY c.pinned DESC, c.updated_at DESC LIMIT ?"
        )
        with self.connection.reading() as db:
            rows = db.execute(sql, [*params, limit]).fetchall()
        return [_conversation(row, [], []) for row in rows]

    def update(self, conversation_id: str, **fields: Any) -> Conversation:
        unknown = set(fields) - _UPDATABLE
        if unknown:
            raise ValueError(f"cannot update {', '.join(sorted(unknown))}")
        if "model_settings" in fields:
            fields["model_settings"] = _json(fields["model_settings"])
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.connection.transaction() as db:
            cursor = db.execute(
                f"UPDATE conversations SET {assignments}, updated_at = ? WHERE id = ?",
                [*fields.values(), now(), conversation_id],
            )
            if cursor.rowcount == 0:
                raise KeyError(conversation_id)
            if "leaf_id" in fields:
                branches.keep(db, conversation_id, fields["leaf_id"])
        return self.get(conversation_id)

    def delete(self, conversation_id: str) -> None:
        with self.connection.transaction() as db:
            cursor = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            if cursor.rowcount == 0:
                raise KeyError(conversation_id)

    def compiled_system(self, conversation_id: str) -> str | None:
        with self.connection.reading() as db:
            row = db.execute(
                "SELECT compiled_system FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        if row is None:
            raise KeyError(conversation_id)
        return row["compiled_system"]  # type: ignore[no-any-return]


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _conversation(row: sqlite3.Row, in_context: list[str], isolated: list[str]) -> Conversation:
    return Conversation(
        id=row["id"],
        agent_id=row["agent_id"],
        title=row["title"],
        title_set_by_user=bool(row["title_set_by_user"]),
        summary=row["summary"],
        model=row["model"],
        model_settings=json.loads(row["model_settings"]) if row["model_settings"] else None,
        system_prompt=row["system_prompt"],
        pinned=bool(row["pinned"]),
        archived=bool(row["archived"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        in_context_message_ids=in_context,
        isolated_block_ids=isolated,
        leaf_id=row["leaf_id"],
        context_start=row["context_start"],
    )
