"""Cheap detection of writes to the store by anyone: this process or another one.

The watch has its own SQLite connection. `PRAGMA data_version` on it changes whenever any
other connection commits (the app's own store, the in-app API server's requests, a
`chinwag chat` in a terminal), and reading it costs microseconds. In WAL mode this reader
never waits for a writer, nor for the lock of the app's own connection, so a timer on the UI
thread can poll it. Only when it moved are the small "marks" below queried to learn what
changed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import NamedTuple

Mark = tuple[object, ...]
WINDOW = 500
# Writes land on the newest messages (a reply streaming, a version added); looking at the
# last WINDOW by seq keeps a 10,000-message conversation's check to an index range.
RECENT = f"seq >= (SELECT coalesce(max(seq), 0) FROM messages WHERE conversation_id = ?) - {WINDOW}"


class ConversationMark(NamedTuple):
    fields: Mark  # the conversation's own columns a window shows or uses
    leaf_id: str | None  # the newest message of the chosen branch
    messages: int
    last_write: str | None  # the newest updated_at of its messages


class StoreWatch:
    def __init__(self, path: Path) -> None:
        self._reader = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._reader.execute("PRAGMA busy_timeout = 100")  # a poll may skip a beat, never hang
        self._seen = self._version()

    def _version(self) -> int:
        return int(self._reader.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """Whether anyone committed since the last call."""
        version = self._version()
        moved, self._seen = version != self._seen, version
        return moved

    def list_mark(self) -> Mark:
        """Changes when a conversation is added, deleted, renamed, pinned or gets a message."""
        row = self._reader.execute("SELECT count(*), max(updated_at) FROM conversations").fetchone()
        return tuple(row)

    def conversation_mark(self, conversation_id: str) -> ConversationMark | None:
        """Changes when the conversation or any of its messages is written; None: deleted."""
        row = self._reader.execute(
            "SELECT c.title, c.summary, c.model, c.model_settings, c.system_prompt, c.agent_id, "
            "c.context_start, c.pinned, c.archived, c.leaf_id, "
            "(SELECT count(*) FROM messages WHERE conversation_id = c.id), "
            f"(SELECT max(updated_at) FROM messages WHERE conversation_id = c.id AND {RECENT}) "
            "FROM conversations c WHERE c.id = ?",
            (conversation_id, conversation_id),
        ).fetchone()
        if row is None:
            return None
        return ConversationMark(tuple(row[:9]), row[9], row[10], row[11])

    def updated_since(self, conversation_id: str, since: str) -> set[str]:
        """Ids of the conversation's newest messages written after `since` (an updated_at);
        an edit to a message more than WINDOW messages back shows when it is reopened."""
        rows = self._reader.execute(
            f"SELECT id FROM messages WHERE conversation_id = ? AND {RECENT} AND updated_at > ?",
            (conversation_id, conversation_id, since),
        ).fetchall()
        return {row[0] for row in rows}

    def close(self) -> None:
        self._reader.close()
