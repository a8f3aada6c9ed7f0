"""Chinwag's domain objects in Letta's shapes (and Letta's message content in Chinwag's)."""

from __future__ import annotations

from typing import Any

from chinwag.core.types import (
    ContentPart,
    Conversation,
    ImagePart,
    Message,
    MessageStatus,
    Role,
    TextPart,
)
from chinwag.server.adapter import Assistant
from chinwag.server.letta_schemas import (
    ImageContent,
    LettaConversation,
    LettaStopReason,
    LettaUsageStatistics,
    UserContent,
)


def conversation(c: Conversation) -> LettaConversation:
    """Letta's `summary` is Chinwag's summary; Letta's `description` is the title."""
    return LettaConversation(
        id=c.id,
        agent_id=c.agent_id,
        archived=c.archived,
        created_at=c.created_at,
        updated_at=c.updated_at,
        description=c.title,
        summary=c.summary,
        model=c.model,
        model_settings=c.model_settings,
        in_context_message_ids=c.in_context_message_ids,
        isolated_block_ids=c.isolated_block_ids,
    )


def content_parts(content: str | list[UserContent]) -> list[ContentPart]:
    if isinstance(content, str):
        return [TextPart(text=content)]
    parts: list[ContentPart] = []
    for part in content:
        if isinstance(part, ImageContent):
            parts.append(ImagePart(media_type=part.source.media_type, data=part.source.data))
        else:
            parts.append(TextPart(text=part.text))
    return parts


def _user_content(message: Message) -> str | list[dict[str, Any]]:
    if not any(isinstance(p, ImagePart) for p in message.content):
        return message.text
    return [
        {"type": "text", "text": p.text}
        if isinstance(p, TextPart)
        else {
            "type": "image",
            "source": {"type": "base64", "media_type": p.media_type, "data": p.data},
        }
        for p in message.content
    ]


def messages(message: Message, include_err: bool = False) -> list[dict[str, Any]]:
    """One stored message as Letta messages: a reply may carry reasoning and text."""
    base: dict[str, Any] = {"id": message.id, "date": message.created_at.isoformat()}
    if message.role == Role.USER:
        return [base | {"message_type": "user_message", "content": _user_content(message)}]
    if message.role == Role.SYSTEM:
        return [base | {"message_type": "system_message", "content": message.text}]
    failed = message.status == MessageStatus.ERROR
    if failed and not include_err and not message.text:
        return []
    found: list[dict[str, Any]] = []
    if message.reasoning:
        found.append(
            base
            | {
                "message_type": "reasoning_message",
                "reasoning": message.reasoning,
                "source": "reasoner_model",
            }
        )
    if message.text or (failed and include_err):
        reply = base | {"message_type": "assistant_message", "content": message.text}
        if failed and include_err:
            reply["is_err"] = True
        found.append(reply)
    return found


def stop_reason(reply: Message) -> LettaStopReason:
    if reply.status == MessageStatus.CANCELLED:
        return LettaStopReason(stop_reason="cancelled")
    if reply.status == MessageStatus.ERROR:
        return LettaStopReason(stop_reason="llm_api_error")
    return LettaStopReason(stop_reason="end_turn")


def usage(reply: Message, run_id: str) -> LettaUsageStatistics:
    u = reply.usage
    if u is None:
        return LettaUsageStatistics(run_ids=[run_id])
    return LettaUsageStatistics(
        prompt_tokens=u.prompt_tokens,
        completion_tokens=u.completion_tokens,
        total_tokens=u.prompt_tokens + u.completion_tokens,
        cached_input_tokens=u.cache_read_tokens,
        cache_write_tokens=u.cache_write_tokens,
        reasoning_tokens=u.reasoning_tokens,
        run_ids=[run_id],
    )


def agent(a: Assistant, context_window: int | None) -> dict[str, Any]:
    """Letta's AgentState, with what Chinwag's assistants have (no tools, blocks or sources)."""
    model = a.model or ""
    return {
        "id": a.id,
        "name": a.name,
        "description": a.description,
        "agent_type": "letta_v1_agent",
        "system": a.system,
        "model": a.model,
        "llm_config": {
            "model": model.partition("/")[2] or model,
            "handle": a.model,
            "model_endpoint_type": "openai",
            "context_window": context_window or 8192,
        },
        "memory": {"blocks": []},
        "blocks": [],
        "sources": [],
        "tags": [],
        "tools": [],
        "metadata": None,
    }
