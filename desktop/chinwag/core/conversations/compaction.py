"""Compaction after Letta: move the context window forward and summarize what left it.

Nothing is deleted. A compaction records a marker (the `compactions` table) and moves the
conversation's `context_start`; every message stays listable and searchable. The window
rules are here (pure functions); the summarizers, one per mode, come from plugins through
`register_summarizers` and turn the evicted messages into text with a model the core picks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from chinwag.core.types import Message, Role

MODES: tuple[str, ...] = (  # the built-in ones; a summarizer plugin may add more
    "all",
    "sliding_window",
    "self_compact_all",
    "self_compact_sliding_window",
)
EVICTION_STEP = 0.1  # how much more of the window each sliding-window attempt evicts


class CompactionSettings(BaseModel):
    """Letta's CompactionRequest.compaction_settings."""

    model_config = ConfigDict(extra="forbid")

    mode: str = Field(  # which modes exist depends on the plugins: the compactor checks
        default="sliding_window", pattern=r"^[a-z][a-z0-9_]*$", description="a summarizer's mode"
    )
    clip_chars: int | None = Field(default=2000, ge=1, description="longest summary; None: no clip")
    model: str | None = Field(default=None, description="summarizer model for all/sliding_window")
    model_settings: dict[str, Any] | None = None
    prompt: str | None = Field(default=None, description="None: the mode's default prompt")
    prompt_acknowledgement: bool = False
    sliding_window_percentage: float = Field(
        default=0.3,
        gt=0,
        lt=1,
        description="share of the context window the summary frees at least",
    )


class CompactionResult(BaseModel):
    """Letta's CompactionResponse, plus the mode that actually ran (a fallback shows)."""

    num_messages_before: int
    num_messages_after: int
    summary: str
    mode: str


class SummaryRequest(BaseModel):
    """What a summarizer gets: the messages leaving the window, oldest first."""

    transcript: list[dict[str, str]] = Field(description="[{'role': ..., 'text': ...}]")
    previous_summary: str | None = None
    prompt: str | None = None
    prompt_acknowledgement: bool = False
    clip_chars: int | None = None
    budget_chars: int = Field(description="the most transcript text the model can take")


Complete = Callable[[list[dict[str, Any]]], str]
"""Call the chosen summarizer model with OpenAI-format messages; returns its text."""


@runtime_checkable
class Summarizer(Protocol):
    """What `register_summarizers` registers: one per compaction mode."""

    mode: str

    def cut(self, window: ContextWindow, settings: CompactionSettings) -> int:
        """Index into window.messages of the first message that stays; -1: none fits."""
        ...

    def summarize(self, request: SummaryRequest, complete: Complete) -> str: ...


class ContextWindow(BaseModel):
    """The in-context messages and their estimated token counts, for choosing a cut."""

    messages: list[Message]
    tokens: list[int]
    context_window: int = Field(description="the model's window in tokens")
    overhead: int = Field(default=0, description="tokens taken by the system prompt and the reply")


def estimate_tokens(text: str) -> int:
    """A deliberately high estimate (3 characters a token, 4 per message) without a tokenizer."""
    return math.ceil(len(text) / 3) + 4


def is_boundary(messages: Sequence[Message], cut: int) -> bool:
    """A cut before messages[cut] never splits a turn: an assistant reply ends what leaves."""
    return (
        0 < cut < len(messages)
        and messages[cut - 1].role == Role.ASSISTANT
        and messages[cut].role != Role.ASSISTANT
    )


def last_boundary(messages: Sequence[Message]) -> int:
    """`all`: evict every finished turn; an unanswered last user message stays. 0: none."""
    if messages and messages[-1].role == Role.ASSISTANT:
        return len(messages)
    for cut in range(len(messages) - 1, 0, -1):
        if is_boundary(messages, cut):
            return cut
    return 0


def sliding_window_cut(window: ContextWindow, percentage: float) -> int | None:
    """The first kept index so that the newest messages fit in (1 - percentage) of the window.

    Starts by evicting `percentage` of the messages and evicts a further step at each
    attempt (EVICTION_STEP of the messages, or one message in a long history, so a long
    history keeps as many recent turns as fit instead of losing them all), moving each cut
    forward to the next turn boundary. None: no cut fits, so the caller falls back to `all`.
    """
    messages, count = window.messages, len(window.messages)
    goal = (1 - percentage) * window.context_window - window.overhead
    suffix = [0] * (count + 1)  # suffix[i]: tokens of messages[i:]
    for i in range(count - 1, -1, -1):
        suffix[i] = suffix[i + 1] + window.tokens[i]
    step = min(EVICTION_STEP, 1 / count) if count else EVICTION_STEP
    fraction = percentage
    while fraction <= 1 + 1e-9:
        cut = max(1, math.ceil(fraction * count - 1e-9))
        while cut < count and not is_boundary(messages, cut):
            cut += 1
        if cut >= count:
            return None
        if suffix[cut] <= goal:
            return cut
        fraction += step
    return None


def clip(text: str, clip_chars: int | None) -> str:
    """A summary no longer than clip_chars, cut at a word where one is near."""
    text = text.strip()
    if clip_chars is None or len(text) <= clip_chars:
        return text
    if clip_chars <= 1:
        return text[:clip_chars]
    head = text[: clip_chars - 1]
    space = head.rfind(" ")
    if space > clip_chars * 0.6:
        head = head[:space]
    return head.rstrip() + "…"
