"""Assistants and their blocks (named texts an assistant, or one conversation, keeps)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from chinwag.core.store.connection import Connection, now
from chinwag.core.types import Assistant, Block


class AssistantTable:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def create(self, assistant: Assistant, blocks: dict[str, str] | None = None) -> Assistant:
        with self.connection.transaction() as db:
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
        with self.connection.reading() as db:
            row = db.execute("SELECT * FROM assistants WHERE id = ?", (assistant_id,)).fetchone()
        if row is None:
            raise KeyError(assistant_id)
        return _assistant(row)

    def find(self, id_or_name: str) -> Assistant:
        with self.connection.reading() as db:
            row = db.execute(
                "SELECT * FROM assistants WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
                (id_or_name, id_or_name, id_or_name),
            ).fetchone()
        if row is None:
            raise KeyError(id_or_name)
        return _assistant(row)

    def all(self) -> list[Assistant]:
        with self.connection.reading() as db:
            rows = db.execute("SELECT * FROM assistants ORDER BY created_at").fetchall()
        return [_assistant(row) for row in rows]

    def update(self, assistant_id: str, **fields: Any) -> Assistant:
        unknown = set(fields) - {"name", "system_prompt", "model", "model_settings"}
        if unknown:
            raise ValueError(f"cannot update {', '.join(sorted(unknown))}")
        if "model_settings" in fields and fields["model_settings"] is not None:
            fields["model_settings"] = json.dumps(fields["model_settings"])
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.connection.transaction() as db:
            cursor = db.execute(
                f"UPDATE assistants SET {assignments}, updated_at = ? WHERE id = ?",
                [*fields.values(), now(), assistant_id],
            )
            if cursor.rowcount == 0:
                raise KeyError(assistant_id)
        return self.get(assistant_id)

    def delete(self, assistant_id: str) -> None:
        with self.connection.transaction() as db:
            used = db.execute(
                "SELECT count(*) FROM conversations WHERE agent_id = ?", (assistant_id,)
            ).fetchone()[0]
            if used:
                raise ValueError(f"{used} conversation(s) still belong to this assistant")
            if db.execute("DELETE FROM assistants WHERE id = ?", (assistant_id,)).rowcount == 0:
                raise KeyError(assistant_id)

    # -- blocks ---------------------------------------------------------------------------

    def blocks(self, assistant_id: str) -> list[Block]:
        with self.connection.reading() as db:
            rows = db.execute(
                "SELECT * FROM blocks WHERE assistant_id = ? ORDER BY label", (assistant_id,)
            ).fetchall()
        return [_block(row) for row in rows]

    def conversation_blocks(self, conversation_id: str) -> list[Block]:
        """What a conversation sees: its isolated copies, else the assistant's shared blocks."""
        with self.connection.reading() as db:
            rows = db.execute(
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
        with self.connection.transaction() as db:
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
                (value, now(), row["id"]),
            )
            return _block(row).model_copy(update={"value": value})

    def isolate(self, conversation_id: str, assistant_id: str, labels: list[str]) -> list[str]:
        """Copy the assistant's blocks with these labels into the conversation."""
        shared = {b.label: b for b in self.blocks(assistant_id)}
        missing = [label for label in labels if label not in shared]
        if missing:
            raise KeyError(f"the assistant has no block {', '.join(missing)}")
        with self.connection.transaction() as db:
            copies = [
                Block(label=label, value=shared[label].value, conversation_id=conversation_id)
                for label in dict.fromkeys(labels)
            ]
            for block in copies:
                _insert_block(db, block)
        return [block.id for block in copies]


def _insert_block(db: sqlite3.Connection, block: Block) -> None:
    db.execute(
        "INSERT INTO blocks (id, assistant_id, conversation_id, label, value, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (block.id, block.assistant_id, block.conversation_id, block.label, block.value,
         now(), now()),
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
