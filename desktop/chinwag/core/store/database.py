"""SQLite store: conversations and messages, WAL, FTS5, checkpointed streaming.

One connection per Store, shared by threads under a lock (writes are short). Several
processes (the app, the CLI, the local API) may open the same file: WAL lets them.
"""

from __future__ import annotations

import contextlib
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

from chinwag.core.store.migrations import MIGRATIONS
from chinwag.core.store.tables import AssistantTable, CompactionTable
from chinwag.core.store.usage import UsageTable
from chinwag.core.types import (
    ContentPart,
    Conversation,
    Message,
    MessageStatus,
    Role,
    TextPart,
    Usage,
    utcnow,
)

_parts = TypeAdapter(list[ContentPart])

# The ids from a leaf up to its root: one branch of a conversation (parameter: the leaf id).
# Only for a branch that is not stored in branch_messages (see migrations.m005).
PATH_CTE = (
    "WITH RECURSIVE path(id) AS (SELECT ? UNION ALL "
    "SELECT m.parent_id FROM messages m JOIN path ON m.id = path.id "
    "WHERE m.parent_id IS NOT NULL)"
)

# From the leaf up until the stored branch (or a root): what changing the leaf adds.
# Parameters: the leaf id, the conversation id twice.
_UNSTORED_CTE = (
    "WITH RECURSIVE up(id, parent_id, seq, stored) AS ("
    "SELECT m.id, m.parent_id, m.seq, b.message_id IS m.id FROM messages m "
    "LEFT JOIN branch_messages b ON b.conversation_id = m.conversation_id AND b.seq = m.seq "
    "WHERE m.id = ? AND m.conversation_id = ? "
    "UNION ALL SELECT m.id, m.parent_id, m.seq, b.message_id IS m.id FROM up "
    "JOIN messages m ON m.id = up.parent_id AND m.conversation_id = ? "
    "LEFT JOIN branch_messages b ON b.conversation_id = m.conversation_id AND b.seq = m.seq "
    "WHERE NOT up.stored)"
)
# What the view's outline needs of a message (characters and line breaks of the text).
_CHARS = "length(m.text) + length(m.reasoning)"
_LINE_BREAKS = "length(m.text) - length(replace(m.text, char(10), ''))"


# A damaged page past the first one is only found when read. Checking every page at open
# costs ~2-3 ms per MB (benchmarks/history.py's files), so it is done for files up to this
# size; a larger file is set aside at its first failing read instead.
QUICK_CHECK_MAX_BYTES = 16 << 20  # at most ~50 ms added to the start


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
        # Set to the reason when the disk is full or read-only: history readable, no saving.
        self.read_only = ""
        self._lock = threading.RLock()
        self._db = self._open()
        self.assistants = AssistantTable(self)
        self.compactions = CompactionTable(self)
        self.usage = UsageTable(self)

    # -- opening, migrating, recovering ---------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            try:
                db = self._connect()
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                self._check_pages(db)
            except sqlite3.DatabaseError as error:
                if not _damaged(error):
                    raise StoreError(_explain_open(error, self.path)) from error
                self.notices.append(self._set_aside_damaged(error))
                db = self._connect()
            self._migrate(db)
            self._recover_interrupted(db)
        except (StoreError, sqlite3.OperationalError) as error:
            if not (_disk_full(self.path) or not _writable(self.path)):
                if isinstance(error, StoreError):
                    raise
                raise StoreError(_explain_open(error, self.path)) from error
            return self._open_read_only()
        return db

    def _check_pages(self, db: sqlite3.Connection) -> None:
        """Raise the 'malformed' error for a damaged page, when checking is cheap."""
        if self.path.exists() and self.path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            result = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if result != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed")

    def _set_aside_damaged(self, error: sqlite3.DatabaseError) -> str:
        """Keep a damaged file byte for byte under another name; say so in one line."""
        aside = self._move_aside("corrupt")
        return (
            f"The history database was damaged ({error}). It was kept as {aside} "
            "and a new, empty one was started."
        )

    def _open_read_only(self) -> sqlite3.Connection:
        """On a full or read-only disk SQLite cannot make its WAL index, so it cannot open
        the file for writing: open it immutable (no -shm needed) so history stays readable.
        Writes then fail with the reason; nothing is written, so nothing can be lost."""
        full = _disk_full(self.path)
        refusal = _explain_open(sqlite3.OperationalError("disk is full" if full else ""), self.path)
        if not self.path.exists():
            raise StoreError(refusal)
        try:
            db = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?immutable=1",
                uri=True,
                check_same_thread=False,
                isolation_level=None,
            )
            db.row_factory = sqlite3.Row
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise StoreError(refusal) from error
        if version != len(MIGRATIONS):  # it would need a migration, which is a write
            db.close()
            raise StoreError(refusal)
        self.read_only = refusal
        why = "is full" if full else "is read-only"
        self.notices.append(
            f"The disk holding {self.path} {why}: your history is open read-only and nothing "
            "new can be saved until that changes and Chinwag restarts. Nothing was lost."
        )
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
            db.execute("BEGIN IMMEDIATE")  # all of a migration and its number, or none
            try:
                migration(db)
                db.execute(f"PRAGMA user_version = {number}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

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
            if self.read_only:
                raise StoreError(self.read_only)
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError as error:  # full, read-only, busy, damaged
                self._rollback()
                if isinstance(error, sqlite3.IntegrityError | sqlite3.ProgrammingError):
                    raise  # a bug in the caller, not the disk
                raise self._store_error(error) from error
            except BaseException:
                self._rollback()
                raise

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, for reads: a damaged page found here sets the file aside."""
        with self._lock:
            try:
                yield self._db
            except sqlite3.DatabaseError as error:
                if isinstance(error, sqlite3.IntegrityError | sqlite3.ProgrammingError):
                    raise
                raise self._store_error(error) from error

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read transaction, so a leaf and its stored branch are read as of one commit
        (another process may commit between two statements)."""
        if self._db.in_transaction:
            yield
            return
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error:
                self._rollback()  # never leave the connection inside a transaction

    def _store_error(self, error: sqlite3.DatabaseError) -> StoreError:
        """The error for a person. A damaged file is moved aside (kept whole) and a new,
        empty one opened at once, so the app goes on working and nothing more is lost."""
        if not _damaged(error) or self.read_only:
            return StoreError(_explain(error, self.path))
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        message = self._set_aside_damaged(error)
        self._db = self._connect()
        self._migrate(self._db)
        self.notices.append(message)
        return StoreError(message)

    def _rollback(self) -> None:
        if self._db.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # e.g. damaged: the caller reports that
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
        with self._reading(), self._snapshot():
            row = self._db.execute(
                "SELECT * FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if row is None:
                raise KeyError(conversation_id)
            in_context = [r["id"] for r in self._context_rows(row, "m.id")]
            isolated = [
                r["id"]
                for r in self._db.execute(
                    "SELECT id FROM blocks WHERE conversation_id = ? ORDER BY label",
                    (conversation_id,),
                )
            ]
        return _conversation(row, in_context, isolated)

    def context_messages(self, conversation_id: str) -> list[Message]:
        """What the model sees next: the chosen branch from the compaction point on, and
        every pinned message."""
        with self._reading(), self._snapshot():
            row = self._db.execute(
                "SELECT id, leaf_id, context_start FROM conversations WHERE id = ?",
                (conversation_id,),
            ).fetchone()
            if row is None:
                raise KeyError(conversation_id)
            return [_message(r) for r in self._context_rows(row)]

    def _context_rows(self, conversation: sqlite3.Row, columns: str = "m.*") -> list[sqlite3.Row]:
        # Filtered in SQL: at 10k messages, handing every row of the branch to Python to
        # keep the last few cost 150-200 ms per reply (benchmarks/history.py).
        return self._path_rows(
            conversation["id"],
            conversation["leaf_id"],
            columns,
            "seq >= ? OR pinned",
            (conversation["context_start"],),
        )

    def _path_rows(
        self,
        conversation_id: str,
        leaf_id: str | None,
        columns: str = "m.*",
        where: str = "1",
        params: tuple[Any, ...] = (),
        offset: int = 0,
        limit: int | None = None,
    ) -> list[sqlite3.Row]:
        """The messages from the root down to leaf_id: one branch, oldest first. `where`
        may test the branch's columns seq and pinned. Call inside _snapshot()."""
        branch, branch_params = self._branch_cte(conversation_id, leaf_id)
        # Chosen and sorted by (id, seq) first, then read: sorting whole rows, text and all,
        # to keep a page of them was slower than reading the whole branch.
        rows = self._db.execute(
            f"{branch}, chosen(id, seq) AS (SELECT id, seq FROM branch WHERE {where} "
            "ORDER BY seq LIMIT ? OFFSET ?) "
            f"SELECT {columns} FROM chosen JOIN messages m ON m.id = chosen.id ORDER BY chosen.seq",
            (*branch_params, *params, -1 if limit is None else limit, offset),
        ).fetchall()
        return list(rows)

    def _branch_cte(self, conversation_id: str, leaf_id: str | None) -> tuple[str, tuple[str, ...]]:
        """SQL defining `branch(id, seq, pinned)`, the path to leaf_id, and its parameters:
        a range of branch_messages when that holds this branch, else a walk up the tree."""
        if self._branch_is_stored(conversation_id, leaf_id):
            return (
                "WITH branch(id, seq, pinned) AS (SELECT message_id, seq, pinned "
                "FROM branch_messages WHERE conversation_id = ?)",
                (conversation_id,),
            )
        if leaf_id is None:
            return "WITH branch(id, seq, pinned) AS (SELECT NULL, NULL, NULL WHERE 0)", ()
        return (
            f"{PATH_CTE}, branch(id, seq, pinned) AS "
            "(SELECT m.id, m.seq, m.pinned FROM path JOIN messages m ON m.id = path.id)",
            (leaf_id,),
        )

    def _branch_is_stored(self, conversation_id: str, leaf_id: str | None) -> bool:
        """Whether branch_messages ends at this leaf: its rows always form a path from a
        root, so then they are the whole branch."""
        row = self._db.execute(
            "SELECT message_id FROM branch_messages WHERE conversation_id = ? "
            "ORDER BY seq DESC LIMIT 1",
            (conversation_id,),
        ).fetchone()
        return (row[0] if row else None) == leaf_id

    def _store_branch(
        self, db: sqlite3.Connection, conversation_id: str, leaf_id: str | None
    ) -> None:
        """Make branch_messages hold the path to leaf_id; call in the transaction that sets
        the leaf. Walks up only to where the stored branch forks off: an append is one step."""
        up = (
            db.execute(
                f"{_UNSTORED_CTE} SELECT id, seq, stored FROM up",
                (leaf_id, conversation_id, conversation_id),
            ).fetchall()
            if leaf_id is not None
            else []
        )
        fork = up[-1]["seq"] if up and up[-1]["stored"] else -1
        db.execute(
            "DELETE FROM branch_messages WHERE conversation_id = ? AND seq > ?",
            (conversation_id, fork),
        )
        added = [row["id"] for row in up if not row["stored"]]
        if added:
            db.execute(
                "INSERT INTO branch_messages (conversation_id, seq, message_id, pinned, chars, "
                f"lines) SELECT m.conversation_id, m.seq, m.id, m.pinned, {_CHARS}, {_LINE_BREAKS} "
                "FROM messages m WHERE m.id IN (SELECT value FROM json_each(?))",
                (json.dumps(added),),
            )

    def list_conversations(
        self, search: str | None = None, include_archived: bool = False, limit: int = 500
    ) -> list[Conversation]:
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
        with self._reading():
            rows = self._db.execute(sql, [*params, limit]).fetchall()
        return [_conversation(row, [], []) for row in rows]

    def update_conversation(self, conversation_id: str, **fields: Any) -> Conversation:
        allowed = {
            "title", "title_set_by_user", "summary", "model", "model_settings",
            "system_prompt", "pinned", "archived", "context_start", "leaf_id",
            "compiled_system", "cancel_requested", "agent_id",
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
            if "leaf_id" in fields:
                self._store_branch(db, conversation_id, fields["leaf_id"])
        return self.get_conversation(conversation_id)

    def delete_conversation(self, conversation_id: str) -> None:
        with self._transaction() as db:
            cursor = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            if cursor.rowcount == 0:
                raise KeyError(conversation_id)

    # -- messages -------------------------------------------------------------------------

    def add_message(self, message: Message, as_root: bool = False) -> Message:
        """Append a message to the chosen branch (or after message.parent_id) and choose it.

        as_root starts a new branch at the very beginning (an edited first message).
        """
        streaming = message.status == MessageStatus.STREAMING
        with self._transaction() as db:
            if message.parent_id is None and not as_root:
                leaf = db.execute(
                    "SELECT leaf_id FROM conversations WHERE id = ?", (message.conversation_id,)
                ).fetchone()
                message.parent_id = leaf["leaf_id"] if leaf else None
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
                    _now(),
                    message.parent_id,
                    message.pinned,
                ),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ?, leaf_id = ? WHERE id = ?",
                (_now(), message.id, message.conversation_id),
            )
            self._store_branch(db, message.conversation_id, message.id)
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
                    *_outcome(message),
                    _now(),
                    message.id,
                ),
            )
            db.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?",
                (_now(), message.conversation_id),
            )

    def get_message(self, message_id: str) -> Message:
        with self._reading():
            row = self._db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise KeyError(message_id)
        return _message(row)

    def list_messages(
        self,
        conversation_id: str,
        offset: int = 0,
        limit: int | None = None,
        all_branches: bool = False,
    ) -> list[Message]:
        """The chosen branch, oldest first (every message, in or out of context);
        all_branches=True gives every message ever written, in write order."""
        with self._reading(), self._snapshot():
            if all_branches:
                rows = self._db.execute(
                    "SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq "
                    "LIMIT ? OFFSET ?",
                    (conversation_id, -1 if limit is None else limit, offset),
                ).fetchall()
            else:
                leaf = self._db.execute(
                    "SELECT leaf_id FROM conversations WHERE id = ?", (conversation_id,)
                ).fetchone()
                rows = self._path_rows(
                    conversation_id, leaf["leaf_id"] if leaf else None, offset=offset, limit=limit
                )
        return [_message(row) for row in rows]

    def count_messages(self, conversation_id: str) -> int:
        """Every message row of the conversation, on every branch."""
        with self._reading():
            return int(
                self._db.execute(
                    "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
                ).fetchone()[0]
            )

    def set_pinned(self, message_id: str, pinned: bool) -> None:
        """A pinned message stays in the model's context through every compaction."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE messages SET pinned = ?, updated_at = ? WHERE id = ?",
                (pinned, _now(), message_id),
            )
            if cursor.rowcount == 0:
                raise KeyError(message_id)

    def seq_of(self, message_id: str) -> int:
        with self._reading():
            row = self._db.execute(
                "SELECT seq FROM messages WHERE id = ?", (message_id,)
            ).fetchone()
        if row is None:
            raise KeyError(message_id)
        return int(row["seq"])

    def children(self, message_id: str | None, conversation_id: str) -> list[Message]:
        """Messages written right after message_id (None: the roots), oldest first."""
        # Through messages_by_parent: left to itself SQLite picks the (conversation_id, seq)
        # index and reads the whole conversation (9 ms a call at 10,000 messages, four calls
        # per first paint, vs 0.02 ms); the unary + keeps it off that index.
        parent = "parent_id IS NULL" if message_id is None else "parent_id = ?"
        params = (conversation_id,) if message_id is None else (conversation_id, message_id)
        with self._reading():
            rows = self._db.execute(
                f"SELECT * FROM messages WHERE +conversation_id = ? AND {parent} ORDER BY seq",
                params,
            ).fetchall()
        return [_message(row) for row in rows]

    def path_ids(self, leaf_id: str) -> list[str]:
        """The ids from the root down to leaf_id (any message, chosen branch or not)."""
        with self._reading(), self._snapshot():
            row = self._db.execute(
                "SELECT conversation_id FROM messages WHERE id = ?", (leaf_id,)
            ).fetchone()
            if row is None:
                return []
            return [r["id"] for r in self._path_rows(row[0], leaf_id, "m.id")]

    # -- cancel across processes ----------------------------------------------------------

    def request_cancel(self, conversation_id: str) -> bool:
        """Ask whoever streams into this conversation to stop; False when nothing streams."""
        with self._transaction() as db:
            if (
                db.execute(
                    "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
                ).fetchone()
                is None
            ):
                raise KeyError(conversation_id)
            streaming = db.execute(
                "SELECT 1 FROM messages WHERE conversation_id = ? AND status = 'streaming'",
                (conversation_id,),
            ).fetchone()
            if streaming is None:
                return False
            db.execute(
                "UPDATE conversations SET cancel_requested = 1 WHERE id = ?", (conversation_id,)
            )
        return True

    def cancel_requested(self, conversation_id: str) -> bool:
        with self._reading():
            row = self._db.execute(
                "SELECT cancel_requested FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        return bool(row and row["cancel_requested"])

    def clear_cancel(self, conversation_id: str) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE conversations SET cancel_requested = 0 WHERE id = ?", (conversation_id,)
            )

    def compiled_system(self, conversation_id: str) -> str | None:
        with self._reading():
            row = self._db.execute(
                "SELECT compiled_system FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        if row is None:
            raise KeyError(conversation_id)
        return row["compiled_system"]  # type: ignore[no-any-return]

    def message_outline(self, conversation_id: str) -> list[tuple[str, int, int]]:
        """(id, characters, line breaks) of each message on the chosen branch, in order:
        enough for a view to estimate heights of 10,000 messages without loading their text."""
        with self._reading(), self._snapshot():
            leaf = self._db.execute(
                "SELECT leaf_id FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            leaf_id = leaf["leaf_id"] if leaf else None
            cursor = self._db.cursor()
            cursor.row_factory = None  # plain tuples: 10,000 Rows cost more than the query
            if self._branch_is_stored(conversation_id, leaf_id):
                rows = cursor.execute(
                    "SELECT message_id, chars, lines FROM branch_messages "
                    "WHERE conversation_id = ? ORDER BY seq",
                    (conversation_id,),
                ).fetchall()
            else:
                rows = cursor.execute(
                    f"{PATH_CTE} SELECT m.id, {_CHARS}, {_LINE_BREAKS} "
                    "FROM messages m JOIN path ON m.id = path.id ORDER BY m.seq",
                    (leaf_id,),
                ).fetchall()
        outline: list[tuple[str, int, int]] = rows
        return outline

    def conversation_totals(self, conversation_id: str) -> tuple[int, float | None]:
        """Total tokens and cost (USD, None when no message has a known price)."""
        with self._reading():
            row = self._db.execute(
                "SELECT coalesce(sum(json_extract(usage, '$.prompt_tokens') "
                "+ json_extract(usage, '$.completion_tokens')), 0), sum(cost) "
                "FROM messages WHERE conversation_id = ? "
                "AND (usage IS NOT NULL OR cost IS NOT NULL)",  # from messages_costs alone
                (conversation_id,),
            ).fetchone()
        return int(row[0]), (None if row[1] is None else float(row[1]))

    def integrity_ok(self) -> bool:
        with self._lock:
            return bool(self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


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


def _damaged(error: sqlite3.DatabaseError) -> bool:
    return "malformed" in str(error) or "not a database" in str(error)


def _disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


def _writable(path: Path) -> bool:
    """access() also says no on a read-only filesystem, even to root."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _explain_open(error: sqlite3.DatabaseError, path: Path) -> str:
    if not _writable(path):
        return f"{path} is on a read-only disk or folder; Chinwag cannot save. Nothing was lost."
    if "full" in str(error) or _disk_full(path):
        return _explain(sqlite3.OperationalError("database or disk is full"), path)
    return f"Cannot open the history database {path}: {error}"


def _explain(error: sqlite3.DatabaseError, path: Path) -> str:
    text = str(error)
    if "full" in text:
        return f"The disk holding {path} is full; free some space. Nothing saved was lost."
    if "readonly" in text:
        return f"{path} is read-only; Chinwag cannot save. Nothing saved was lost."
    if "locked" in text or "busy" in text:
        return f"{path} is busy in another program; try again. Nothing saved was lost."
    return f"Saving to {path} failed: {text}"
