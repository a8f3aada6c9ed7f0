"""Export and import of one conversation: lossless JSON (schema in docs/export-format.md)
and readable Markdown. Keys are never part of a conversation, so never part of an export.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from chinwag.core.store import Store, transfer
from chinwag.core.types import ContentPart, MessageStatus, Role, Usage, new_id, utcnow

FORMAT = "chinwag.conversation"
VERSION = 1


class InvalidExport(ValueError):
    """The file is not a Chinwag conversation export this version can read."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportBlock(_Strict):
    id: str
    label: str = Field(min_length=1)
    value: str
    created_at: datetime
    updated_at: datetime


class ExportAssistant(_Strict):
    id: str
    name: str
    system_prompt: str
    model: str | None
    model_settings: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
    blocks: list[ExportBlock]


class ExportMessage(_Strict):
    id: str
    parent_id: str | None
    seq: int = Field(ge=0)
    role: Role
    content: list[ContentPart]
    reasoning: str
    status: MessageStatus
    error: str | None
    model: str | None
    usage: Usage | None
    cost: float | None
    latency_ms: float | None
    pinned: bool
    created_at: datetime
    updated_at: datetime


class ExportCompaction(_Strict):
    id: str
    mode: str
    model: str | None
    summary: str
    context_start_before: int = Field(ge=0)
    context_start_after: int = Field(ge=0)
    first_kept_id: str | None
    last_evicted_id: str
    num_messages_before: int = Field(ge=0)
    num_messages_after: int = Field(ge=0)
    created_at: datetime


class ExportConversation(_Strict):
    id: str
    agent_id: str
    title: str | None
    title_set_by_user: bool
    summary: str | None
    model: str | None
    model_settings: dict[str, Any] | None
    system_prompt: str | None
    pinned: bool
    archived: bool
    context_start: int = Field(ge=0)
    leaf_id: str | None
    compiled_system: str | None
    created_at: datetime
    updated_at: datetime
    isolated_blocks: list[ExportBlock]


class ConversationExport(_Strict):
    format: Literal["chinwag.conversation"]
    version: Literal[1]
    exported_at: datetime
    conversation: ExportConversation
    assistant: ExportAssistant
    messages: list[ExportMessage]
    compactions: list[ExportCompaction]

    @model_validator(mode="after")
    def _consistent(self) -> ConversationExport:
        seqs = {m.id: m.seq for m in self.messages}
        if len(seqs) != len(self.messages):
            raise ValueError("two messages share an id")
        if len(set(seqs.values())) != len(self.messages):
            raise ValueError("two messages share a seq")
        for m in self.messages:
            if m.parent_id is not None and seqs.get(m.parent_id, m.seq) >= m.seq:
                raise ValueError(f"message {m.id} has a missing or later parent {m.parent_id}")
        leaf = self.conversation.leaf_id
        if (leaf is None) != (not self.messages) or (leaf is not None and leaf not in seqs):
            raise ValueError("conversation.leaf_id does not name one of the messages")
        for c in self.compactions:
            if c.last_evicted_id not in seqs or (c.first_kept_id and c.first_kept_id not in seqs):
                raise ValueError(f"compaction {c.id} names a message that is not in the file")
        if self.conversation.agent_id != self.assistant.id:
            raise ValueError("conversation.agent_id is not the assistant's id")
        return self


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def export_data(store: Store, conversation_id: str) -> ConversationExport:
    rows = transfer.dump(store, conversation_id)
    conversation = rows["conversation"]
    assistant = rows["assistant"] or {
        "id": conversation["agent_id"], "name": conversation["agent_id"], "system_prompt": "",
        "model": None, "model_settings": None,
        "created_at": conversation["created_at"], "updated_at": conversation["created_at"],
    }  # fmt: skip
    return ConversationExport(
        format=FORMAT,
        version=VERSION,
        exported_at=utcnow(),
        conversation=ExportConversation.model_validate(
            conversation
            | {"model_settings": _loads(conversation["model_settings"])}
            | {"isolated_blocks": rows["isolated_blocks"]}
        ),
        assistant=ExportAssistant.model_validate(
            assistant
            | {"model_settings": _loads(assistant["model_settings"])}
            | {"blocks": rows["assistant_blocks"]}
        ),
        messages=[
            ExportMessage.model_validate(
                m | {"content": json.loads(m["content"]), "usage": _loads(m["usage"])}
            )
            for m in rows["messages"]
        ],
        compactions=[ExportCompaction.model_validate(c) for c in rows["compactions"]],
    )


def to_json(store: Store, conversation_id: str) -> str:
    return export_data(store, conversation_id).model_dump_json(indent=2)


def parse(text: str) -> ConversationExport:
    """The export in text, or InvalidExport saying plainly what is wrong."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidExport(f"not JSON ({error})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InvalidExport(f'not a Chinwag conversation export (no "format": "{FORMAT}")')
    if raw.get("version") != VERSION:
        raise InvalidExport(
            f"export version {raw.get('version')!r} is not supported (this Chinwag reads {VERSION})"
        )
    try:
        return ConversationExport.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise InvalidExport(f"{where}: {first['msg']} ({error.error_count()} problem(s))") from None


def import_data(store: Store, data: ConversationExport) -> str:
    """Add the conversation; fresh ids when its ids are taken. Returns the conversation id."""
    message_ids = [m.id for m in data.messages]
    remap: dict[str, str] = {}
    conversation_id = data.conversation.id
    if transfer.ids_in_use(store, conversation_id, message_ids):
        conversation_id = new_id()
        remap = {old: new_id() for old in message_ids}

    def mid(old: str | None) -> str | None:
        return None if old is None else remap.get(old, old)

    def iso(value: datetime) -> str:
        return value.isoformat()

    def dumped(model: BaseModel, exclude: set[str]) -> dict[str, Any]:
        row = model.model_dump(exclude=exclude)
        for key, value in row.items():
            if isinstance(value, datetime):
                row[key] = iso(value)
        return row

    c = data.conversation
    conversation = dumped(c, {"isolated_blocks"}) | {
        "id": conversation_id,
        "leaf_id": mid(c.leaf_id),
        "model_settings": json.dumps(c.model_settings) if c.model_settings is not None else None,
    }
    a = data.assistant
    assistant = dumped(a, {"blocks"}) | {
        "model_settings": json.dumps(a.model_settings) if a.model_settings is not None else None
    }
    messages = []
    for m in data.messages:
        row = dumped(m, {"content", "usage"})
        parts = [p.model_dump() for p in m.content]
        row |= {
            "id": mid(m.id),
            "parent_id": mid(m.parent_id),
            "role": m.role.value,
            "status": m.status.value,
            "content": json.dumps(parts),
            "usage": m.usage.model_dump_json() if m.usage else None,
            "_parts": parts,
        }
        messages.append(row)
    compactions = [
        dumped(x, set()) | {
            "id": new_id() if remap else x.id,
            "first_kept_id": mid(x.first_kept_id),
            "last_evicted_id": mid(x.last_evicted_id),
        }
        for x in data.compactions
    ]  # fmt: skip
    blocks = [dumped(b, set()) | ({"id": new_id()} if remap else {}) for b in c.isolated_blocks]
    transfer.load(
        store,
        {
            "conversation": conversation,
            "assistant": assistant,
            "assistant_blocks": [dumped(b, set()) for b in a.blocks],
            "isolated_blocks": blocks,
            "messages": messages,
            "compactions": compactions,
        },
    )
    return conversation_id
