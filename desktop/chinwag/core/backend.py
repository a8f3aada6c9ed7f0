"""The one interface every LLM backend implements, and the events it streams."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from chinwag.core.llm_config import LLMConfig
from chinwag.core.models import Usage


class ChatRequest(BaseModel):
    config: LLMConfig
    messages: list[dict[str, Any]] = Field(description="OpenAI chat format")
    extra: dict[str, Any] = Field(default_factory=dict, description="mapped model settings")


class TextDelta(BaseModel):
    kind: Literal["text"] = "text"
    text: str


class ReasoningDelta(BaseModel):
    kind: Literal["reasoning"] = "reasoning"
    text: str


class UsageEvent(BaseModel):
    kind: Literal["usage"] = "usage"
    usage: Usage
    cost: float | None = None


class Retrying(BaseModel):
    kind: Literal["retrying"] = "retrying"
    attempt: int
    wait: float
    error: str


class Done(BaseModel):
    kind: Literal["done"] = "done"
    finish_reason: str | None = None


class StreamError(BaseModel):
    kind: Literal["error"] = "error"
    message: str


StreamEvent = TextDelta | ReasoningDelta | UsageEvent | Retrying | Done | StreamError


class Cancel:
    """Set from any thread; the backend checks it between chunks and closes the stream."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)


class Backend(Protocol):
    def stream(self, request: ChatRequest, cancel: Cancel) -> Iterator[StreamEvent]: ...
