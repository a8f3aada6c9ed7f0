"""Letta conversation messages: list, send (streaming or not), stream (resume), compact."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse

from chinwag.app import Services
from chinwag.core.llm.backend import ReasoningDelta, StreamError, StreamEvent, TextDelta
from chinwag.core.types import ContentPart, Message, utcnow
from chinwag.server import adapter, letta_convert
from chinwag.server.letta_conversations import find_conversation, unsupported
from chinwag.server.letta_schemas import (
    CompactionRequest,
    CompactionResponse,
    LettaResponse,
    MessageType,
    SendMessageRequest,
    StreamRequest,
)
from chinwag.server.runs import Chunk, Run, Runs

ALWAYS_SENT = {"stop_reason", "usage_statistics", "error_message", "ping"}


def _refuse_unsupported(body: SendMessageRequest) -> None:
    refused = {
        "background": body.background,
        "client_skills": bool(body.client_skills),
        "client_tools": bool(body.client_tools),
        "enable_thinking": body.enable_thinking is not None,
        "override_model": body.override_model is not None,
        "override_system": body.override_system is not None,
        "return_logprobs": body.return_logprobs,
        "return_token_ids": body.return_token_ids,
        "top_logprobs": body.top_logprobs is not None,
        "use_assistant_message": not body.use_assistant_message,
        "assistant_message_tool_name": body.assistant_message_tool_name is not None,
        "assistant_message_tool_kwarg": body.assistant_message_tool_kwarg is not None,
    }
    for name, given in refused.items():
        if given:
            raise unsupported(name)


def _user_messages(body: SendMessageRequest) -> list[list[ContentPart]]:
    if body.input is not None and body.messages:
        raise HTTPException(status_code=400, detail="give either 'input' or 'messages', not both")
    if body.input is not None:
        return [letta_convert.content_parts(body.input)]
    if not body.messages:
        raise HTTPException(status_code=400, detail="nothing to send: give 'input' or 'messages'")
    for message in body.messages:
        if message.role != "user":
            raise unsupported(f"messages[].role={message.role}", "only user messages are sent")
        if message.group_id is not None:
            raise unsupported("messages[].group_id")
    return [letta_convert.content_parts(m.content) for m in body.messages]


def _wanted(chunk: Chunk, types: list[MessageType] | None) -> bool:
    kind = chunk.get("message_type")
    return types is None or kind in ALWAYS_SENT or kind in types


def _sse(
    chunks: Iterator[Chunk | None], types: list[MessageType] | None, pings: bool
) -> Iterator[str]:
    for chunk in chunks:
        if chunk is None:
            if pings:
                ping = {"message_type": "ping", "id": f"ping-{uuid.uuid4()}", "date": _now()}
                yield f"data: {json.dumps(ping)}\n\n"
            continue
        if _wanted(chunk, types):
            yield f"data: {json.dumps(chunk)}\n\n"
    yield "data: [DONE]\n\n"


def _now() -> str:
    return utcnow().isoformat()


class Reply:
    """Turns the core's stream events into Letta chunks on a run."""

    def __init__(self, services: Services, run: Run, stream_tokens: bool) -> None:
        self.services = services
        self.run = run
        self.stream_tokens = stream_tokens
        self.reply_id: str | None = None
        self.errored = False

    def _reply_id(self) -> str:
        if self.reply_id is None:  # the core stored the reply before its first event
            last = self.services.conversations.last_message(self.run.conversation_id)
            self.reply_id = last.id if last else f"message-{uuid.uuid4()}"
        return self.reply_id

    def on_event(self, event: StreamEvent) -> None:
        if isinstance(event, StreamError):
            self.errored = True
            self.run.emit(self._error(event.message))
            return
        if not self.stream_tokens:
            return
        base = {"id": self._reply_id(), "date": _now()}
        if isinstance(event, TextDelta):
            self.run.emit(base | {"message_type": "assistant_message", "content": event.text})
        elif isinstance(event, ReasoningDelta):
            self.run.emit(
                base
                | {
                    "message_type": "reasoning_message",
                    "reasoning": event.text,
                    "source": "reasoner_model",
                }
            )

    def _error(self, message: str) -> Chunk:
        return {
            "message_type": "error_message",
            "error_type": "llm_error",
            "message": message,
            "run_id": self.run.id,
        }

    def send(self, parts: list[list[ContentPart]]) -> Message:
        cid = self.run.conversation_id
        conversations = self.services.conversations
        for earlier in parts[:-1]:
            conversations.add_user_message(cid, earlier)
        reply = conversations.send(cid, parts[-1], self.run.cancel, self.on_event)
        if reply.error and not self.errored:
            self.run.emit(self._error(reply.error))
        if not self.stream_tokens:
            for chunk in letta_convert.messages(reply):
                self.run.emit(chunk)
        self.run.emit(letta_convert.stop_reason(reply).model_dump())
        self.run.emit(letta_convert.usage(reply, self.run.id).model_dump(exclude_none=True))
        return reply


def router(services: Services, runs: Runs) -> APIRouter:
    api = APIRouter(prefix="/v1/conversations", tags=["Conversations Messages"])

    @api.get("/{conversation_id}/messages", response_model=list[dict[str, Any]])
    def list_messages(
        conversation_id: str,
        after: str | None = None,
        before: str | None = None,
        agent_id: str | None = None,
        group_id: str | None = None,
        include_err: bool = False,
        include_return_message_types: Annotated[list[MessageType] | None, Query()] = None,
        limit: int = Query(100, ge=1, le=1000),
        order: Literal["asc", "desc"] = "desc",
        order_by: Literal["created_at"] = "created_at",
    ) -> list[dict[str, Any]]:
        find_conversation(services, conversation_id)
        if group_id is not None:
            raise unsupported("group_id", "Chinwag has no agent groups")
        stored = services.conversations.messages(conversation_id)
        ids = [m.id for m in stored]
        for name, cursor in (("after", after), ("before", before)):
            if cursor is not None and cursor not in ids:
                raise HTTPException(status_code=400, detail=f"{name}: unknown message {cursor}")
        if order == "desc":
            stored.reverse()
            ids.reverse()
        if after is not None:
            stored = stored[ids.index(after) + 1 :]
        if before is not None:
            remaining = [m.id for m in stored]
            stored = stored[: remaining.index(before)] if before in remaining else []
        found = [c for m in stored for c in letta_convert.messages(m, include_err)]
        found = [c for c in found if _wanted(c, include_return_message_types)]
        return found[:limit]

    @api.post("/{conversation_id}/messages", response_model=LettaResponse)
    def send_message(
        conversation_id: str, body: SendMessageRequest
    ) -> LettaResponse | StreamingResponse:
        conversation = find_conversation(services, conversation_id)
        _refuse_unsupported(body)
        if body.agent_id is not None and body.agent_id != conversation.agent_id:
            raise HTTPException(status_code=400, detail="agent_id is not this conversation's")
        parts = _user_messages(body)
        if runs.active(conversation_id):
            raise HTTPException(
                status_code=409, detail="the conversation is busy with another reply"
            )
        stream_tokens = body.streaming and body.stream_tokens
        run = runs.start(conversation_id, lambda r: Reply(services, r, stream_tokens).send(parts))
        if body.streaming:
            return StreamingResponse(
                _follow(run, body.include_return_message_types, body.include_pings),
                media_type="text/event-stream",
            )
        run.wait()
        if run.error is not None:
            raise run.error
        reply: Message = run.result
        messages = letta_convert.messages(reply, include_err=True)
        return LettaResponse(
            messages=[m for m in messages if _wanted(m, body.include_return_message_types)],
            stop_reason=letta_convert.stop_reason(reply),
            usage=letta_convert.usage(reply, run.id),
        )

    @api.post("/{conversation_id}/stream", response_model=None)
    def resume_stream(conversation_id: str, body: StreamRequest) -> StreamingResponse:
        """Follow the conversation's most recent run (or `run_id`) from `starting_after`."""
        find_conversation(services, conversation_id)
        if body.otid is not None:
            raise unsupported("otid", "pass run_id")
        run = (
            runs.find(body.run_id)
            if body.run_id
            else next(iter(runs.of(conversation_id)[::-1]), None)
        )
        if run is None or run.conversation_id != conversation_id:
            raise HTTPException(status_code=404, detail="no run found for this conversation")
        chunks = run.follow(body.starting_after, poll=body.poll_interval or 1.0)
        return StreamingResponse(
            _sse(chunks, None, bool(body.include_pings)), media_type="text/event-stream"
        )

    @api.post("/{conversation_id}/compact", response_model=CompactionResponse)
    def compact(conversation_id: str, body: CompactionRequest | None = None) -> CompactionResponse:
        find_conversation(services, conversation_id)
        settings = body.compaction_settings if body and body.compaction_settings else None
        if settings and settings.mode not in services.conversations.compaction_modes():
            modes = ", ".join(services.conversations.compaction_modes())
            raise HTTPException(422, f"unknown compaction mode {settings.mode!r}; one of {modes}")
        result = adapter.compact(
            services, conversation_id, settings.model_dump(exclude_none=True) if settings else {}
        )
        return CompactionResponse.model_validate(result)

    return api


def _follow(run: Run, types: list[MessageType] | None, pings: bool) -> Iterator[str]:
    """The SSE of a run for the request that started it; leaving early cancels the reply."""
    try:
        yield from _sse(run.follow(), types, pings)
    finally:
        if not run.done:
            run.cancel.set()
