"""Storage failures stated for a person: what happened, where the data is, what to do."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A storage problem stated for a person: what happened and where the data is."""


def damaged(error: sqlite3.DatabaseError) -> bool:
    return "malformed" in str(error) or "not a database" in str(error)


def disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


def writable(path: Path) -> bool:
    """access() also says no on a read-only filesystem, even to root."""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def explain_open(error: sqlite3.DatabaseError, path: Path) -> str:
    if not writable(path):
        return f"{path} is on a read-only disk or folder; Chinwag cannot save. Nothing was lost."
    if "full" in str(error) or disk_full(path):
        return explain(sqlite3.OperationalError("database or disk is full"), path)
    return f"Cannot open the history database {path}: {error}"


def explain(error: sqlite3.DatabaseError, path: Path) -> str:
    text = str(error)
    if "full" in text:
        return f"The disk holding {path} is full; free some space. Nothing saved was lost."
    if "readonly" in text:
        return f"{path} is read-only; Chinwag cannot save. Nothing saved was lost."
    if "locked" in text or "busy" in text:
        return f"{path} is busy in another program; try again. Nothing saved was lost."
    return f"Saving to {path} failed: {text}"
