"""OpenAI-compatible gateway: GET /v1/models and POST /v1/chat/completions.

Stateless on purpose: a completion is not stored as a conversation (tools calling it keep
their own history). Calls are built by Chinwag's call builder with Chinwag's keys, which
never leave the process, and are metered and budgeted like the app's own.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from chinwag.app import Services
from chinwag.core.conversations.chat import redact
from chinwag.core.llm.backend import (
    Cancel,
    Done,
    ReasoningDelta,
    StreamError,
    TextDelta,
    UsageEvent,
)
from chinwag.core.types import Usage
from chinwag.server.adapter import CallFailed, prepare_call


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant"]
    content: str | list[dict[str, Any]] | None = None


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """The subset Chinwag serves; anything else is refused by name (422), never ignored."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(description="a Chinwag model handle, provider/model-name (GET /v1/models)")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    seed: int | None = None
    stop: str | list[str] | None = None
    n: int | None = Field(None, ge=1, le=1, description="only one choice is generated")
    user: str | None = None


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def _extra(body: ChatCompletionRequest) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if body.temperature is not None:
        extra["temperature"] = body.temperature
    if body.top_p is not None:
        extra["top_p"] = body.top_p
    max_tokens = body.max_completion_tokens or body.max_tokens
    if max_tokens is not None:
        extra["max_tokens"] = max_tokens
    if body.seed is not None:
        extra["seed"] = body.seed
    if body.stop is not None:
        extra["stop"] = body.stop
    return extra


def _usage(usage: Usage | None) -> dict[str, int] | None:
    if usage is None:
        return None
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.prompt_tokens + usage.completion_tokens,
    }


def _sse(data: dict[str, Any] | str) -> str:
    return f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n"


def router(services: Services) -> APIRouter:
    api = APIRouter(tags=["OpenAI"])

    @api.get("/v1/models", response_model=ModelList)
    def list_models() -> ModelList:
        return ModelList(
            data=[ModelCard(id=m.handle, owned_by=m.provider.id) for m in services.catalog.models()]
        )

    @api.post("/v1/chat/completions", response_model=None)
    def chat_completions(body: ChatCompletionRequest) -> dict[str, Any] | StreamingResponse:
        messages = [m.model_dump(exclude_none=True) for m in body.messages]
        call = prepare_call(services, body.model, messages, _extra(body))
        config = call.request.config
        completion_id = f"chatcmpl-{uuid.uuid4().hex}"
        created = int(time.time())

        def events() -> Iterator[Any]:
            cancel = Cancel()
            try:
                yield from call.stream(cancel)
            finally:
                cancel.set()  # the client went away or the stream ended: stop the call

        if body.stream:
            include_usage = bool(body.stream_options and body.stream_options.include_usage)

            def chunks() -> Iterator[str]:
                base = {
                    "id": completion_id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": body.model,
                }
                yield _sse(base | {"choices": [_choice({"role": "assistant", "content": ""})]})
                usage: Usage | None = None
                for event in events():
                    if isinstance(event, TextDelta):
                        yield _sse(base | {"choices": [_choice({"content": event.text})]})
                    elif isinstance(event, ReasoningDelta):
                        delta = {"reasoning_content": event.text}
                        yield _sse(base | {"choices": [_choice(delta)]})
                    elif isinstance(event, UsageEvent):
                        usage = event.usage
                    elif isinstance(event, Done):
                        reason = event.finish_reason or "stop"
                        yield _sse(base | {"choices": [_choice({}, reason)]})
                    elif isinstance(event, StreamError):
                        message = redact(event.message, config)
                        yield _sse({"error": {"message": message, "type": "upstream_error"}})
                        return
                if include_usage:
                    yield _sse(base | {"choices": [], "usage": _usage(usage)})
                yield _sse("[DONE]")

            return StreamingResponse(chunks(), media_type="text/event-stream")

        text: list[str] = []
        reasoning: list[str] = []
        usage: Usage | None = None
        finish_reason = "stop"
        for event in events():
            if isinstance(event, TextDelta):
                text.append(event.text)
            elif isinstance(event, ReasoningDelta):
                reasoning.append(event.text)
            elif isinstance(event, UsageEvent):
                usage = event.usage
            elif isinstance(event, Done):
                finish_reason = event.finish_reason or "stop"
            elif isinstance(event, StreamError):
                raise CallFailed(redact(event.message, config))
        message: dict[str, Any] = {"role": "assistant", "content": "".join(text)}
        if reasoning:
            message["reasoning_content"] = "".join(reasoning)
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": body.model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
            "usage": _usage(usage),
        }

    return api


def _choice(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {"index": 0, "delta": delta, "finish_reason": finish_reason}
