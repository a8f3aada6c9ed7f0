"""The built-in summarizers: `all` and `sliding_window`, each also as a `self_compact_` mode.

The core picks the model (the conversation's own for `self_compact_*`, the summarizer
model for the others) and hands it over as `complete`; this plugin decides what leaves
the window and how to ask for the summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from chinwag.api import (
    CompactionSettings,
    Complete,
    ContextWindow,
    RegisterSummarizer,
    SummaryRequest,
    hookimpl,
    last_boundary,
    sliding_window_cut,
)

DEFAULT_PROMPT = (
    "Summarize the conversation below so it can continue without it. Keep names, facts, "
    "decisions, numbers and open questions; write plain prose in the third person."
)
ACKNOWLEDGEMENT = "Understood. I will reply with the summary only, and nothing else."


def transcript_text(request: SummaryRequest) -> str:
    """The evicted messages as text, keeping the newest when they exceed the budget."""
    lines = [f"{m['role']}: {m['text']}" for m in request.transcript]
    text = "\n".join(lines)
    if len(text) > request.budget_chars:
        text = "…" + text[-request.budget_chars :]
    return text


def extractive(request: SummaryRequest) -> str:
    """The first sentence of each message: a summary when the model gives none."""
    firsts = [f"{m['role']}: {m['text'].strip().split('. ')[0][:160]}" for m in request.transcript]
    previous = [request.previous_summary] if request.previous_summary else []
    return "\n".join(previous + firsts)


def ask(request: SummaryRequest, complete: Complete) -> str:
    prompt = request.prompt or DEFAULT_PROMPT
    if request.clip_chars:
        prompt += f" Use at most {request.clip_chars} characters."
    messages = [{"role": "system", "content": prompt}]
    if request.prompt_acknowledgement:
        messages.append({"role": "assistant", "content": ACKNOWLEDGEMENT})
    body = transcript_text(request)
    if request.previous_summary:
        body = f"Summary of what came before:\n{request.previous_summary}\n\n{body}"
    messages.append({"role": "user", "content": body})
    try:
        summary = complete(messages).strip()
    except Exception:
        summary = ""
    return summary or extractive(request)


@dataclass(frozen=True)
class SummarizeAll:
    """Every finished turn leaves the window (an unanswered last message stays)."""

    mode: str = "all"

    def cut(self, window: ContextWindow, settings: CompactionSettings) -> int:
        return last_boundary(window.messages)

    def summarize(self, request: SummaryRequest, complete: Complete) -> str:
        return ask(request, complete)


@dataclass(frozen=True)
class SlidingWindow:
    """The newest turns that fit in (1 - percentage) of the window stay."""

    mode: str = "sliding_window"

    def cut(self, window: ContextWindow, settings: CompactionSettings) -> int:
        cut = sliding_window_cut(window, settings.sliding_window_percentage)
        return -1 if cut is None else cut

    def summarize(self, request: SummaryRequest, complete: Complete) -> str:
        return ask(request, complete)


@hookimpl
def register_summarizers(register: RegisterSummarizer) -> None:
    register(SummarizeAll())
    register(SlidingWindow())
    register(SummarizeAll(mode="self_compact_all"))
    register(SlidingWindow(mode="self_compact_sliding_window"))
