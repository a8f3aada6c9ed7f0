"""SQLite store: conversations and messages, WAL, FTS5, checkpointed streaming.

One connection per Store, shared by threads under a lock (writes are short). Several
processes (the app, the CLI, the local API) may open the same file: WAL lets them.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from chinwag.core.models import (
    ContentPart,
    Conversation,
    Message,
    MessageStatus,
    Role,
    TextPart,
    Usage,
    utcnow,
)
from chinwag.core.store.migrations import MIGRATIONS

_parts = TypeAdapter(list[ContentPart])


class StoreError(Exception):
    """A storage problem stated for a person: what happened and where the data is."""


def _now() -> str:
    return utcnow().isoformat()


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fts_query(text: str) -> str:
    """User text as an FTS5 query: every word must match, the last as a prefix; no syntax."""
    words = [w.replace('"', '""') for w in text.split()]
    if not words:
        return ""
    return " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.notices: list[str] = []  # things a person should be told at start-up
        self._lock = threading.RLock()
        self._db = self._open()

    # -- opening, migrating, recovering ---------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = self._connect()
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as error:
            if "not a database" not in str(error) and "malformed" not in str(error):
                raise StoreError(
                    f"Cannot open the history database {self.path}: {error}"
                ) from error
            aside = self._move_aside("corrupt")
            self.notices.append(
                f"The history database was damaged ({error}). It was kept as {aside} "
                "and a new, empty one was started."
            )
            db = self._connect()
        self._migrate(db)
        self._recover_interrupted(db)
        return db

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA busy_timeout = 5000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.OperationalError as error:
            raise StoreError(_explain_open(error, self.path)) from error
        return db

    def _move_aside(self, why: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.{why}-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                shutil.move(source, Path(f"{aside}{suffix}"))
        return aside

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} was written by a newer Chinwag (schema {version}); "
                "upgrade Chinwag to open it. Nothing was changed."
            )
        if version == len(MIGRATIONS):
            return
        if version > 0:
            backup = self.path.with_name(f"{self.path.name}.before-v{len(MIGRATIONS)}")
            with sqlite3.connect(backup) as copy:
                db.backup(copy)
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")

    def _recover_interrupted(self, db: sqlite3.Connection) -> None:
        """A message left 'streaming' by a process that is gone was cut off: say so."""
        rows = db.execute(
            "SELECT id, writer_pid FROM messages WHERE status = 'streaming'"
        ).fetchall()
        dead = [row["id"] for row in rows if not _pid_alive(row["writer_pid"])]
        for message_id in dead:
            db.execute(
                "UPDATE messages SET status = 'interrupted', writer_pid = NULL, updated_at = ? "
                "WHERE id = ?",
                (_now(), message_id),
            )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError as error:  # full, read-only, busy, damaged
                self._rollback()
                if isinstance(error, sqlite3.IntegrityError | sqlite3.ProgrammingError):
                    raise  # a bug in the caller, not the disk
                raise StoreError(_explain(error, self.path)) from error
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- conversations --------------------------------------------------------------------

    def create_conversation(self, conversation: Conversation | None = None) -> Conversation:
        conversation = conversation or Conversation()
        with self._transaction() as db:
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
        return self.get_conversation(conversation.id)

    def get_conversation(self, conversation_id: str) -> Conversation:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if row is None:
                raise KeyError(conversation_id)
            in_context = [
                r["id"]
                for r in self._db.execute(
                    "SELECT id FROM messages WHERE conversation_id = ? AND seq >= ? ORDER BY seq",
                    (conversation_id, row["context_start"]),
                )
            ]
        return _conversation(row, in_context)

    def list_conversations(
        self, search: str | None = None, include_archived: bool = False, limit: int = 500
    ) -> list[Conversation]:
        where = "" if include_archived else "WHERE c.archived = 0"
        params: list[Any] = []
        if search and search.strip():
            where += " AND " if where else "WHERE "
            where += (
                "(c.title LIKE ? ESCAPE '\\' OR c.id IN (SELECT m.conversation_id FROM messages m "
                "JOIN messages_fts f ON f.rowid = m.rowid WHERE messages_fts MATCH ?))"
            )
            like = search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params += [f"%{like}%", fts_query(search)]
        sql = (
            f"SELECT c.* FROM conversations c {where} "
            "ORDER BY c.pinned DESC, c.updated_at DESC LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(sql, [*params, limit]).fetchall()
        return [_conversation(row, []) for row in rows]

    def update_conversation(self, conversation_id: str, **fields: Any) -> Conversation:
        allowed = {
            "title", "title_set_by_user", "summary", "model", "model_settings",
            "system_prompt", "pinned", "archived", "context_start",
        }  # fmt: skip
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot update {', '.join(sorted(unknown))}")
        if "model_settings" in fields:
            fields["model_settings"] = _json(fields["model_settings"])
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self._transaction() as db:
            cursor = db.execute(
                f"UPDATE conversations SET {assignments}, updated_at = ? WHERE id = ?",
                [*fields.values(), _now(), conversation_id],
            )
            if cursor.rowcount == 0:
                raise KeyError(conversation_id)
        return self.get_conversation(conversation_id)

    def delete_conversation(self, conversation_id: str) -> None:
        with self._transaction() as db:
            cursor = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            if cursor.rowcount == 0:
                raise KeyError(conversation_id)

    # -- messages -------------------------------------------------------------------------

    def add_message(self, message: Message) -> Message:
        streaming = message.status == MessageStatus.STREAMING
        with self._transaction() as db:
            seq = db.execute(
                "SELECT coalesce(max(seq), -1) + 1 FROM messages WHERE conversation_id = ?",
                (message.conversation_id,),
            ).fetchone()[0]
            db.execute(
                "INSERT INTO messages (id, conversation_id, seq, role, content, text, reasoning, "
                "status, error, model, usage, cost, latency_ms, writer_pid, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message.id,
                    message.conversation_id,
                    seq,
                    message.role.value,
                    _parts.dump_json(message.content).decode(),
                    message.text,
                    message.reasoning,
                    message.status.value,
                    message.error,
                    message.model,
                    message.usage.model_dump_json() if message.usage else None,
                    message.cost,
                    message.latency_ms,
                    os.getpid() if streaming else None,
                    message.created_at.isoformat(),
                    _now(),
                ),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?",
                (_now(), message.conversation_id),
            )
        return message

    def checkpoint(self, message_id: str, text: str, reasoning: str = "") -> None:
        """Save the text streamed so far; called about every half second while streaming."""
        content = _parts.dump_json([TextPart(text=text)]).decode()
        with self._transaction() as db:
            db.execute(
                "UPDATE messages SET content = ?, text = ?, reasoning = ?, updated_at = ? "
                "WHERE id = ?",
                (content, text, reasoning, _now(), message_id),
            )

    def finish_message(self, message: Message) -> None:
        """Write the final state of a streamed message (complete, cancelled or error)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE messages SET content = ?, text = ?, reasoning = ?, status = ?, error = ?, "
                "model = ?, usage = ?, cost = ?, latency_ms = ?, writer_pid = NULL, "
                "updated_at = ? WHERE id = ?",
                (
                    _parts.dump_json(message.content).decode(),
                    message.text,
                    message.reasoning,
                    message.status.value,
                    message.error,
                    message.model,
                    message.usage.model_dump_json() if message.usage else None,
                    message.cost,
                    message.latency_ms,
                    _now(),
                    message.id,
                ),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?",
                (_now(), message.conversation_id),
            )

    def get_message(self, message_id: str) -> Message:
        with self._lock:
            row = self._db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise KeyError(message_id)
        return _message(row)

    def list_messages(
        self, conversation_id: str, offset: int = 0, limit: int | None = None
    ) -> list[Message]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq LIMIT ? OFFSET ?",
                (conversation_id, -1 if limit is None else limit, offset),
            ).fetchall()
        return [_message(row) for row in rows]

    def count_messages(self, conversation_id: str) -> int:
        with self._lock:
            return int(
                self._db.execute(
                    "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
                ).fetchone()[0]
            )

    def integrity_ok(self) -> bool:
        with self._lock:
            return bool(self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _conversation(row: sqlite3.Row, in_context: list[str]) -> Conversation:
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
    )


def _explain_open(error: sqlite3.OperationalError, path: Path) -> str:
    writable = os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))
    if not writable:  # access() also says no on a read-only filesystem, even to root
        return f"{path} is on a read-only disk or folder; Chinwag cannot open it. Nothing was lost."
    if "full" in str(error) or shutil.disk_usage(path.parent).free < 1 << 20:
        return _explain(sqlite3.OperationalError("database or disk is full"), path)
    return f"Cannot open the history database {path}: {error}"


def _explain(error: sqlite3.DatabaseError, path: Path) -> str:
    text = str(error)
    if "malformed" in text or "not a database" in text:
        return f"{path} is damaged ({text}); it was left as it is. Nothing was written."
    if "full" in text:
        return f"The disk holding {path} is full; free some space. Nothing saved was lost."
    if "readonly" in text:
        return f"{path} is read-only; Chinwag cannot save. Nothing saved was lost."
    if "locked" in text or "busy" in text:
        return f"{path} is busy in another program; try again. Nothing saved was lost."
    return f"Saving to {path} failed: {text}"
