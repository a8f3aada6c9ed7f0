"""History, settings and logs are created readable by the user only: 0600 files, 0700
folders, whatever the umask lets others read."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.store import Store
from chinwag.core.store.migrations import MIGRATIONS


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The common 022: without care, every file would be readable by every user."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_cli_creates_home_logs_history_and_settings_for_the_user_only(
    home: Path, cli: Any
) -> None:
    assert not home.exists()
    run = cli("budget", "set", "--default", "2")  # writes settings.json through the app
    assert run.code == 0, run.stderr
    assert cli("conversations", "create", "--title", "t").code == 0
    assert mode(home) == 0o700
    assert mode(home / "logs") == 0o700
    assert mode(home / "logs" / "chinwag.log") == 0o600
    assert mode(home / "settings.json") == 0o600
    assert mode(home / "chinwag.db") == 0o600


def test_the_history_its_wal_and_shm_are_the_user_s_only(home: Path) -> None:
    store = Store(home / "chinwag.db")
    try:
        store.create_conversation()
        for name in ("chinwag.db", "chinwag.db-wal", "chinwag.db-shm"):
            assert mode(home / name) == 0o600, name
    finally:
        store.close()


def test_the_copy_taken_before_a_migration_is_the_user_s_only(home: Path) -> None:
    home.mkdir(mode=0o700)
    path = home / "chinwag.db"
    with sqlite3.connect(path) as db:
        MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
    db.close()
    Store(path).close()
    backup = home / f"chinwag.db.before-v{len(MIGRATIONS)}"
    assert backup.exists() and mode(backup) == 0o600
