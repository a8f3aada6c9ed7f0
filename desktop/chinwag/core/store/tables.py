"""Assistants with their blocks, and compaction markers: rows beside the conversations.

Each table object shares its Store's connection, lock and transactions.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chinwag.core.types import Assistant, Block, Compaction, utcnow

if TYPE_CHECKING:
    from chinwag.core.store.database import Store


def _now() -> str:
    return utcnow().isoformat()


class AssistantTable:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, assistant: Assistant, blocks: dict[str, str] | None = None) -> Assistant:
        with self.store._transaction() as db:
            db.execute(
                "INSERT INTO assistants (id, name, system_prompt, model, model_settings, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    assistant.id,
                    assistant.name,
                    assistant.system_prompt,
                    assistant.model,
                    json.dumps(assistant.model_settings) if assistant.model_settings else None,
                    assistant.created_at.isoformat(),
                    assistant.updated_at.isoformat(),
                ),
            )
            for label, value in (blocks or {}).items():
                _insert_block(db, Block(label=label, value=value, assistant_id=assistant.id))
        return self.get(assistant.id)

    def get(self, assistant_id: str) -> Assistant:
        with self.store._reading():
            row = self.store._db.execute(
                "SELECT * FROM assistants WHERE id = ?", (assistant_id,)
            ).fetchone()
        if row is None:
            raise KeyError(assistant_id)
        return _assistant(row)

    def find(self, id_or_name: str) -> Assistant:
        with self.store._reading():
            row = self.store._db.execute(
                "SELECT * FROM assistants WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
                (id_or_name, id_or_name, id_or_name),
            ).fetchone()
        if row is None:
            raise KeyError(id_or_name)
        return _assistant(row)

    def all(self) -> list[Assistant]:
        with self.store._reading():
            rows = self.store._db.execute("SELECT * FROM assistants ORDER BY created_at").fetchall()
        return [_assistant(row) for row in rows]

    def update(self, assistant_id: str, **fields: Any) -> Assistant:
        unknown = set(fields) - {"name", "system_prompt", "model", "model_settings"}
        if unknown:
            raise ValueError(f"cannot update {', '.join(sorted(unknown))}")
        if "model_settings" in fields and fields["model_settings"] is not None:
            fields["model_settings"] = json.dumps(fields["model_settings"])
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.store._transaction() as db:
            cursor = db.execute(
                f"UPDATE assistants SET {assignments}, updated_at = ? WHERE id = ?",
                [*fields.values(), _now(), assistant_id],
            )
            if cursor.rowcount == 0:
                raise KeyError(assistant_id)
        return self.get(assistant_id)

    def delete(self, assistant_id: str) -> None:
        with self.store._transaction() as db:
            used = db.execute(
                "SELECT count(*) FROM conversations WHERE agent_id = ?", (assistant_id,)
            ).fetchone()[0]
            if used:
                raise ValueError(f"{used} conversation(s) still belong to this assistant")
            if db.execute("DELETE FROM assistants WHERE id = ?", (assistant_id,)).rowcount == 0:
                raise KeyError(assistant_id)

    # -- blocks ---------------------------------------------------------------------------

    def blocks(self, assistant_id: str) -> list[Block]:
        with self.store._reading():
            rows = self.store._db.execute(
                "SELECT * FROM blocks WHERE assistant_id = ? ORDER BY label", (assistant_id,)
            ).fetchall()
        return [_block(row) for row in rows]

    def conversation_blocks(self, conversation_id: str) -> list[Block]:
        """What a conversation sees: its isolated copies, else the assistant's shared blocks."""
        with self.store._reading():
            rows = self.store._db.execute(
                "SELECT b.* FROM blocks b JOIN conversations c ON c.id = ? "
                "WHERE b.conversation_id = c.id OR (b.assistant_id = c.agent_id AND b.label NOT IN "
                "(SELECT label FROM blocks WHERE conversation_id = c.id)) ORDER BY b.label",
                (conversation_id,),
            ).fetchall()
        return [_block(row) for row in rows]

    def set_block(
        self, label: str, value: str, assistant_id: str | None = None,
        conversation_id: str | None = None,
    ) -> Block:  # fmt: skip
        """Create or replace the block `label` of an assistant or (isolated) of a conversation."""
        owner, owner_id = (
            ("assistant_id", assistant_id) if assistant_id else ("conversation_id", conversation_id)
        )
        with self.store._transaction() as db:
            row = db.execute(
                f"SELECT * FROM blocks WHERE {owner} = ? AND label = ?", (owner_id, label)
            ).fetchone()
            if row is None:
                block = Block(
                    label=label, value=value, assistant_id=assistant_id,
                    conversation_id=conversation_id,
                )  # fmt: skip
                _insert_block(db, block)
                return block
            db.execute(
                "UPDATE blocks SET value = ?, updated_at = ? WHERE id = ?",
                (value, _now(), row["id"]),
            )
            return _block(row).model_copy(update={"value": value})

    def isolate(self, conversation_id: str, assistant_id: str, labels: list[str]) -> list[str]:
        """Copy the assistant's blocks with these labels into the conversation."""
        shared = {b.label: b for b in self.blocks(assistant_id)}
        missing = [label for label in labels if label not in shared]
        if missing:
            raise KeyError(f"the assistant has no block {', '.join(missing)}")
        with self.store._transaction() as db:
            copies = [
                Block(label=label, value=shared[label].value, conversation_id=conversation_id)
                for label in dict.fromkeys(labels)
            ]
            for block in copies:
                _insert_block(db, block)
        return [block.id for block in copies]


class CompactionTable:
    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, compaction: Compaction) -> None:
        """Save the marker and move the conversation's window and summary, atomically."""
        with self.store._transaction() as db:
            _insert_compaction(db, compaction)
            db.execute(
                "UPDATE conversations SET context_start = ?, summary = ?, updated_at = ? "
                "WHERE id = ?",
                (
                    compaction.context_start_after,
                    compaction.summary,
                    _now(),
                    compaction.conversation_id,
                ),
            )

    def of(self, conversation_id: str) -> list[Compaction]:
        with self.store._reading():
            rows = self.store._db.execute(
                "SELECT * FROM compactions WHERE conversation_id = ? ORDER BY created_at, rowid",
                (conversation_id,),
            ).fetchall()
        return [
            Compaction.model_validate(
                dict(row) | {"created_at": datetime.fromisoformat(row["created_at"])}
            )
            for row in rows
        ]


def _insert_block(db: sqlite3.Connection, block: Block) -> None:
    db.execute(
        "INSERT INTO blocks (id, assistant_id, conversation_id, label, value, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (block.id, block.assistant_id, block.conversation_id, block.label, block.value,
         _now(), _now()),
    )  # fmt: skip


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


def _assistant(row: sqlite3.Row) -> Assistant:
    return Assistant(
        id=row["id"],
        name=row["name"],
        system_prompt=row["system_prompt"],
        model=row["model"],
        model_settings=json.loads(row["model_settings"]) if row["model_settings"] else None,
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def _block(row: sqlite3.Row) -> Block:
    return Block(
        id=row["id"],
        label=row["label"],
        value=row["value"],
        assistant_id=row["assistant_id"],
        conversation_id=row["conversation_id"],
    )
