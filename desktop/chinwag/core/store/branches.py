"""The chosen branch of a conversation: the path from a root down to its leaf.

`branch_messages` (see migrations.m005) holds the chosen branch of each conversation, so
reading it is one range of a narrow table; a leaf it does not hold (another process moved
it, or an old file) is read by walking up the tree instead. These functions take the
sqlite3 connection of the caller's transaction or snapshot: a leaf and its stored branch
must be read as of one commit.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

# The ids from a leaf up to its root: one branch of a conversation (parameter: the leaf id).
# Only for a branch that is not stored in branch_messages.
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


def leaf_of(db: sqlite3.Connection, conversation_id: str) -> str | None:
    """The chosen branch's newest message; None for an empty or unknown conversation."""
    row = db.execute(
        "SELECT leaf_id FROM conversations WHERE id = ?", (conversation_id,)
    ).fetchone()
    return row["leaf_id"] if row else None


def path_rows(
    db: sqlite3.Connection,
    conversation_id: str,
    leaf_id: str | None,
    columns: str = "m.*",
    where: str = "1",
    params: tuple[Any, ...] = (),
    offset: int = 0,
    limit: int | None = None,
) -> list[sqlite3.Row]:
    """The messages from the root down to leaf_id: one branch, oldest first. `where`
    may test the branch's columns seq and pinned."""
    branch, branch_params = _branch_cte(db, conversation_id, leaf_id)
    # Chosen and sorted by (id, seq) first, then read: sorting whole rows, text and all,
    # to keep a page of them was slower than reading the whole branch.
    rows = db.execute(
        f"{branch}, chosen(id, seq) AS (SELECT id, seq FROM branch WHERE {where} "
        "ORDER BY seq LIMIT ? OFFSET ?) "
        f"SELECT {columns} FROM chosen JOIN messages m ON m.id = chosen.id ORDER BY chosen.seq",
        (*branch_params, *params, -1 if limit is None else limit, offset),
    ).fetchall()
    return list(rows)


def context_rows(
    db: sqlite3.Connection, conversation: sqlite3.Row, columns: str = "m.*"
) -> list[sqlite3.Row]:
    """What the model sees of a conversation row (id, leaf_id, context_start): the branch
    from the compaction point on, and every pinned message."""
    # Filtered in SQL: at 10k messages, handing every row of the branch to Python to
    # keep the last few cost 150-200 ms per reply (benchmarks/history.py).
    return path_rows(
        db,
        conversation["id"],
        conversation["leaf_id"],
        columns,
        "seq >= ? OR pinned",
        (conversation["context_start"],),
    )


def outline(
    db: sqlite3.Connection, conversation_id: str, leaf_id: str | None
) -> list[tuple[str, int, int]]:
    """(id, characters, line breaks) of each message on the branch, in order."""
    cursor = db.cursor()
    cursor.row_factory = None  # plain tuples: 10,000 Rows cost more than the query
    if is_stored(db, conversation_id, leaf_id):
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
    found: list[tuple[str, int, int]] = rows
    return found


def length(db: sqlite3.Connection, conversation_id: str, leaf_id: str | None) -> int:
    """How many messages the branch to leaf_id holds."""
    if is_stored(db, conversation_id, leaf_id):
        row = db.execute(
            "SELECT count(*) FROM branch_messages WHERE conversation_id = ?", (conversation_id,)
        ).fetchone()
    else:
        row = db.execute(
            f"{PATH_CTE} SELECT count(*) FROM path JOIN messages m ON m.id = path.id", (leaf_id,)
        ).fetchone()
    return int(row[0])


def _branch_cte(
    db: sqlite3.Connection, conversation_id: str, leaf_id: str | None
) -> tuple[str, tuple[str, ...]]:
    """SQL defining `branch(id, seq, pinned)`, the path to leaf_id, and its parameters:
    a range of branch_messages when that holds this branch, else a walk up the tree."""
    if is_stored(db, conversation_id, leaf_id):
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


def is_stored(db: sqlite3.Connection, conversation_id: str, leaf_id: str | None) -> bool:
    """Whether branch_messages ends at this leaf: its rows always form a path from a
    root, so then they are the whole branch."""
    row = db.execute(
        "SELECT message_id FROM branch_messages WHERE conversation_id = ? "
        "ORDER BY seq DESC LIMIT 1",
        (conversation_id,),
    ).fetchone()
    return (row[0] if row else None) == leaf_id


def keep(db: sqlite3.Connection, conversation_id: str, leaf_id: str | None) -> None:
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
