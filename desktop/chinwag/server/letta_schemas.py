"""Letta request and response bodies, with Letta's field names and types.

Request bodies forbid unknown fields (422 names the field); fields Letta has but Chinwag
cannot honour are declared so that the routes can refuse them with a 400 that says why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MessageType = Literal[
    "system_message",
    "user_message",
    "assistant_message",
    "reasoning_message",
    "hidden_reasoning_message",
    "tool_call_message",
    "tool_return_message",
    "approval_request_message",
    "approval_response_message",
    "summary_message",
    "event_message",
]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LettaConversation(BaseModel):
    """Represents a conversation on an agent for concurrent messaging."""

    id: str
    agent_id: str
    archived: bool | None = None
    archived_at: datetime | None = None
    context_window_limit: int | None = None
    created_at: datetime | None = None
    created_by_id: str | None = None
    description: str | None = None
    in_context_message_ids: list[str] | None = None
    isolated_block_ids: list[str] | None = None
    last_message_at: datetime | None = None
    last_updated_by_id: str | None = None
    model: str | None = None
    model_settings: dict[str, Any] | None = None
    summary: str | None = None
    updated_at: datetime | None = None


class ConversationCreate(Request):
    context_window_limit: int | None = None
    description: str | None = None
    hidden: bool = False
    model: str | None = None
    model_settings: dict[str, Any] | None = None
    summary: str | None = None


class ConversationUpdate(Request):
    archived: bool | None = None
    context_window_limit: int | None = None
    description: str | None = None
    last_message_at: datetime | None = None
    model: str | None = None
    model_settings: dict[str, Any] | None = None
    summary: str | None = None


class CompactionSettings(Request):
    clip_chars: int | None = None
    mode: str = "sliding_window"  # a registered summarizer's: built-in or a plugin's
    model: str | None = None
    model_settings: dict[str, Any] | None = None
    prompt: str | None = None
    prompt_acknowledgement: bool | None = None
    sliding_window_percentage: float | None = Field(None, ge=0, le=1)


class CompactionRequest(Request):
    agent_id: str | None = None
    compaction_settings: CompactionSettings | None = None


class RecompileRequest(Request):
    agent_id: str | None = None
    compaction_settings: CompactionSettings | None = None


class CompactionResponse(BaseModel):
    num_messages_after: int
    num_messages_before: int
    summary: str


# -- messages -----------------------------------------------------------------------------


class TextContent(Request):
    type: Literal["text"] = "text"
    text: str


class Base64Source(Request):
    type: Literal["base64"] = "base64"
    media_type: str
    data: str
    detail: str | None = None


class ImageContent(Request):
    type: Literal["image"] = "image"
    source: Base64Source


UserContent = Annotated[TextContent | ImageContent, Field(discriminator="type")]


class MessageCreate(Request):
    type: Literal["message"] | None = None
    role: Literal["user", "system", "assistant"]
    content: str | list[UserContent]
    name: str | None = None
    otid: str | None = None
    sender_id: str | None = None
    batch_item_id: str | None = None
    group_id: str | None = None


class SendMessageRequest(Request):
    agent_id: str | None = None
    assistant_message_tool_kwarg: str | None = None
    assistant_message_tool_name: str | None = None
    background: bool = False
    client_skills: list[dict[str, Any]] | None = None
    client_tools: list[dict[str, Any]] | None = None
    enable_thinking: str | None = None
    include_compaction_messages: bool = False
    include_pings: bool = False
    include_return_message_types: list[MessageType] | None = None
    input: str | list[UserContent] | None = None
    max_steps: int = Field(50, ge=1)
    messages: list[MessageCreate] | None = None
    override_model: str | None = None
    override_system: str | None = None
    return_logprobs: bool = False
    return_token_ids: bool = False
    stream_tokens: bool = False
    streaming: bool = True
    top_logprobs: int | None = None
    use_assistant_message: bool = True


class StreamRequest(Request):
    agent_id: str | None = None
    batch_size: int | None = None
    include_pings: bool | None = None
    otid: str | None = None
    poll_interval: float | None = Field(None, gt=0, le=60)
    run_id: str | None = None
    starting_after: int = 0


class LettaStopReason(BaseModel):
    message_type: Literal["stop_reason"] = "stop_reason"
    stop_reason: Literal["end_turn", "error", "llm_api_error", "cancelled"]


class LettaUsageStatistics(BaseModel):
    message_type: Literal["usage_statistics"] = "usage_statistics"
    completion_tokens: int = 0
    prompt_tokens: int = 0
    total_tokens: int = 0
    cached_input_tokens: int | None = None
    cache_write_tokens: int | None = None
    reasoning_tokens: int | None = None
    step_count: int = 1
    run_ids: list[str] | None = None


class LettaResponse(BaseModel):
    messages: list[dict[str, Any]]
    stop_reason: LettaStopReason
    usage: LettaUsageStatistics


# -- agents -------------------------------------------------------------------------------


class AgentCreate(BaseModel):
    """Letta's create-agent body is large; Chinwag reads the name and system prompt."""

    model_config = ConfigDict(extra="allow")

    name: str | None = None
    system: str | None = None
