"""The one SQLite connection of a Store: opening, migrating, recovering, transactions.

One connection per Store, shared by threads under a lock (writes are short). Several
processes (the app, the CLI, the local API) may open the same file: WAL lets them. A
damaged file is set aside whole and a new one opened in its place, so the sqlite3
connection may change: callers take it from `transaction()`, `reading()` or `snapshot()`
each time and never keep it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from chinwag.core.store.errors import (
    StoreError,
    damaged,
    disk_full,
    explain,
    explain_open,
    writable,
)
from chinwag.core.store.migrations import MIGRATIONS
from chinwag.core.types import utcnow

# A damaged page past the first one is only found when read. Checking every page at open
# costs ~2-3 ms per MB (benchmarks/history.py's files), so it is done for files up to this
# size; a larger file is set aside at its first failing read instead.
QUICK_CHECK_MAX_BYTES = 16 << 20  # at most ~50 ms added to the start


def now() -> str:
    """The time stamp stored in created_at and updated_at columns."""
    return utcnow().isoformat()


class Connection:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.notices: list[str] = []  # things a person should be told at start-up
        # Set to the reason when the disk is full or read-only: history readable, no saving.
        self.read_only = ""
        self.lock = threading.RLock()
        self._db = self._open()

    # -- using it -------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it or nothing, disk failures as StoreError."""
        with self.lock:
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
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, for reads: a damaged page found here sets the file aside."""
        with self.lock:
            try:
                yield self._db
            except sqlite3.DatabaseError as error:
                if isinstance(error, sqlite3.IntegrityError | sqlite3.ProgrammingError):
                    raise
                raise self._store_error(error) from error

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Reads inside one read transaction, so a leaf and its stored branch are read as of
        one commit (another process may commit between two statements)."""
        with self.reading() as db:
            if db.in_transaction:
                yield db
                return
            db.execute("BEGIN")
            try:
                yield db
            finally:
                try:
                    db.execute("COMMIT")
                except sqlite3.Error:
                    self._rollback()  # never leave the connection inside a transaction

    def integrity_ok(self) -> bool:
        with self.lock:
            return bool(self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")

    def close(self) -> None:
        with self.lock:
            self._db.close()

    def _store_error(self, error: sqlite3.DatabaseError) -> StoreError:
        """The error for a person. A damaged file is moved aside (kept whole) and a new,
        empty one opened at once, so the app goes on working and nothing more is lost."""
        if not damaged(error) or self.read_only:
            return StoreError(explain(error, self.path))
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

    # -- opening, migrating, recovering ---------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            try:
                db = self._connect()
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                self._check_pages(db)
            except sqlite3.DatabaseError as error:
                if not damaged(error):
                    raise StoreError(explain_open(error, self.path)) from error
                self.notices.append(self._set_aside_damaged(error))
                db = self._connect()
            self._migrate(db)
            _recover_interrupted(db)
        except (StoreError, sqlite3.OperationalError) as error:
            if not (disk_full(self.path) or not writable(self.path)):
                if isinstance(error, StoreError):
                    raise
                raise StoreError(explain_open(error, self.path)) from error
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
        full = disk_full(self.path)
        refusal = explain_open(sqlite3.OperationalError("disk is full" if full else ""), self.path)
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
        _create_private(self.path)
        try:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA busy_timeout = 5000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.OperationalError as error:
            raise StoreError(explain_open(error, self.path)) from error
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
            _create_private(backup)
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


def _recover_interrupted(db: sqlite3.Connection) -> None:
    """A message left 'streaming' by a process that is gone was cut off: say so."""
    rows = db.execute("SELECT id, writer_pid FROM messages WHERE status = 'streaming'").fetchall()
    dead = [row["id"] for row in rows if not _pid_alive(row["writer_pid"])]
    for message_id in dead:
        db.execute(
            "UPDATE messages SET status = 'interrupted', writer_pid = NULL, updated_at = ? "
            "WHERE id = ?",
            (now(), message_id),
        )


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


def _create_private(path: Path) -> None:
    """Create `path` readable by the user only; SQLite gives its -wal and -shm the same mode.
    An unwritable disk is left for SQLite to report in its own words."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
