"""Domain types: conversations and messages, after Letta's Conversations API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


class MessageStatus(StrEnum):
    COMPLETE = "complete"
    STREAMING = "streaming"
    CANCELLED = "cancelled"  # stopped by the user; the partial text is kept
    INTERRUPTED = "interrupted"  # the process died while it streamed; found on next start
    ERROR = "error"  # the model call failed; any partial text is kept


class TextPart(BaseModel):
    type: Literal["text"] = "text"
    text: str


class ImagePart(BaseModel):
    type: Literal["image"] = "image"
    media_type: str = "image/png"
    data: str = Field(description="base64-encoded image bytes")


ContentPart = Annotated[TextPart | ImagePart, Field(discriminator="type")]


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0


class Message(BaseModel):
    id: str = Field(default_factory=new_id)
    conversation_id: str
    role: Role
    content: list[ContentPart] = Field(default_factory=list)
    reasoning: str = ""
    status: MessageStatus = MessageStatus.COMPLETE
    error: str | None = None
    model: str | None = None
    usage: Usage | None = None
    cost: float | None = Field(default=None, description="USD; None when no price is known")
    latency_ms: float | None = None
    created_at: datetime = Field(default_factory=utcnow)
    parent_id: str | None = Field(
        default=None, description="the message this one answers or follows; None at a root"
    )
    pinned: bool = Field(default=False, description="never evicted by compaction")

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.content if isinstance(p, TextPart))

    @classmethod
    def of_text(cls, conversation_id: str, role: Role, text: str, **kw: Any) -> Message:
        return cls(conversation_id=conversation_id, role=role, content=[TextPart(text=text)], **kw)


DEFAULT_ASSISTANT_ID = "assistant-default"


class Block(BaseModel):
    """Labelled context ("persona", "human") compiled into the system prompt."""

    id: str = Field(default_factory=new_id)
    label: str = Field(min_length=1, max_length=100)
    value: str = ""
    assistant_id: str | None = None
    conversation_id: str | None = Field(default=None, description="set when isolated")


class Assistant(BaseModel):
    """Letta's agent: a name, a system prompt, a default model and its context blocks."""

    id: str = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    system_prompt: str = ""
    model: str | None = None
    model_settings: dict[str, Any] | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Conversation(BaseModel):
    id: str = Field(default_factory=new_id)
    agent_id: str = DEFAULT_ASSISTANT_ID
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    title: str | None = None
    title_set_by_user: bool = False
    summary: str | None = None
    model: str | None = Field(
        default=None, description="provider/model-name; overrides the default"
    )
    model_settings: dict[str, Any] | None = None
    system_prompt: str | None = None
    pinned: bool = False
    archived: bool = False
    in_context_message_ids: list[str] = Field(default_factory=list)
    isolated_block_ids: list[str] = Field(default_factory=list)
    leaf_id: str | None = Field(default=None, description="last message of the chosen branch")
    context_start: int = Field(default=0, description="first seq inside the context window")


class Compaction(BaseModel):
    """A marker where the context window moved: what was summarized, and into what."""

    id: str = Field(default_factory=new_id)
    conversation_id: str
    mode: str
    model: str | None = None
    summary: str
    context_start_before: int
    context_start_after: int
    first_kept_id: str | None = None
    last_evicted_id: str
    num_messages_before: int
    num_messages_after: int
    created_at: datetime = Field(default_factory=utcnow)
