"""The one interface every LLM backend implements, and the events it streams."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from chinwag.core.llm.config import LLMConfig
from chinwag.core.types import Usage


class ChatRequest(BaseModel):
    config: LLMConfig
    messages: list[dict[str, Any]] = Field(description="OpenAI chat format")
    extra: dict[str, Any] = Field(default_factory=dict, description="mapped model settings")
    # For the ledger and budgets (backends may ignore them):
    handle: str | None = Field(default=None, description="provider/model-name that is called")
    conversation_id: str | None = None
    message_id: str | None = Field(default=None, description="the reply this call writes")
    router: str | None = Field(default=None, description="the router that chose `handle`, if any")


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


class Notice(BaseModel):
    """Something the request left out that the person should be told (e.g. images dropped
    because `disable_vision` is set); front ends show it, the reply goes on."""

    kind: Literal["notice"] = "notice"
    text: str


class Done(BaseModel):
    kind: Literal["done"] = "done"
    finish_reason: str | None = None


class StreamError(BaseModel):
    kind: Literal["error"] = "error"
    message: str


StreamEvent = TextDelta | ReasoningDelta | UsageEvent | Retrying | Notice | Done | StreamError


class Cancel:
    """Set from any thread. Callbacks registered by the backend (closing the HTTP stream) run
    in the setting thread at once, so a cancel does not wait for the consumer to poll."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def set(self) -> None:
        with self._lock:
            self._event.set()
            callbacks = list(self._callbacks)
        for callback in callbacks:
            with contextlib.suppress(Exception):  # a failing closer must not break the cancel
                callback()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)

    def on_set(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Run `callback` when cancelled (now, if already); returns a function to unregister."""
        with self._lock:
            already = self._event.is_set()
            if not already:
                self._callbacks.append(callback)
        if already:
            callback()

        def remove() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return remove


class Backend(Protocol):
    def stream(self, request: ChatRequest, cancel: Cancel) -> Iterator[StreamEvent]: ...
