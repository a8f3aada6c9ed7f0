"""Compact a conversation: plan the cut, summarize what leaves, record the marker.

plan → summarize → apply are separate so the desktop app can preview the summary and
what leaves the context before applying; `compact` runs all three.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from chinwag.core.conversations.assistants import Assistants
from chinwag.core.conversations.compaction import (
    CompactionResult,
    CompactionSettings,
    ContextWindow,
    Summarizer,
    SummaryRequest,
    clip,
    estimate_tokens,
)
from chinwag.core.llm.calls import Calls
from chinwag.core.llm.catalog import Catalog
from chinwag.core.store import Store
from chinwag.core.types import Compaction, Message


def reserve_tokens(context_window: int) -> int:
    """Room kept for the answer when judging whether a request fits."""
    return min(256, context_window // 8)


class CompactionError(RuntimeError):
    pass


class CompactionPlan(BaseModel):
    conversation_id: str
    mode: str  # the mode that will run (sliding_window may fall back to all)
    requested_mode: str
    model: str
    evicted: list[Message]
    kept: list[Message]
    context_start_before: int
    settings: CompactionSettings


class Compactor:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        assistants: Assistants,
        calls: Calls,
        summarizers: Sequence[Any],
        threshold: float = 0.9,
        summarizer_model: str | None = None,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.assistants = assistants
        self.calls = calls
        self.summarizers: dict[str, Summarizer] = {
            s.mode: s for s in summarizers if isinstance(s, Summarizer)
        }
        self.threshold = threshold
        self.summarizer_model = summarizer_model

    # -- measuring ------------------------------------------------------------------------

    def handle_of(self, conversation_id: str) -> str:
        conversation = self.store.get_conversation(conversation_id)
        return self.assistants.model_of(conversation, self.catalog)

    def window(self, conversation_id: str) -> ContextWindow:
        conversation = self.store.get_conversation(conversation_id)
        in_context = set(conversation.in_context_message_ids)
        messages = [m for m in self.store.list_messages(conversation_id) if m.id in in_context]
        system = self.assistants.system_of(conversation)
        size = self.calls.context_window(self.handle_of(conversation_id))
        return ContextWindow(
            messages=messages,
            tokens=[estimate_tokens(m.text) for m in messages],
            context_window=size,
            overhead=estimate_tokens(system) + reserve_tokens(size),
        )

    def needs_compaction(self, conversation_id: str) -> bool:
        """Would the next request take more than `threshold` of the model's window?"""
        window = self.window(conversation_id)
        used = sum(window.tokens) + window.overhead
        return len(window.messages) > 1 and used > self.threshold * window.context_window

    # -- plan, summarize, apply -----------------------------------------------------------

    def plan(self, conversation_id: str, settings: CompactionSettings) -> CompactionPlan:
        full = self.window(conversation_id)
        # Pinned messages never leave: they are cut around, and their tokens stay counted.
        pinned = [m for m in full.messages if m.pinned]
        unpinned = [i for i, m in enumerate(full.messages) if not m.pinned]
        window = full.model_copy(
            update={
                "messages": [full.messages[i] for i in unpinned],
                "tokens": [full.tokens[i] for i in unpinned],
                "overhead": full.overhead + sum(estimate_tokens(m.text) for m in pinned),
            }
        )
        summarizer = self._summarizer(settings.mode)
        cut = summarizer.cut(window, settings)
        mode = settings.mode
        if cut < 0:  # the sliding window found no cut that fits: summarize everything
            mode = "self_compact_all" if settings.mode.startswith("self_") else "all"
            cut = self._summarizer(mode).cut(window, settings)
        conversation = self.store.get_conversation(conversation_id)
        if mode.startswith("self_"):
            model = self.handle_of(conversation_id)
        else:
            model = settings.model or self.summarizer_model or self._cheap_model(conversation_id)
        return CompactionPlan(
            conversation_id=conversation_id,
            mode=mode,
            requested_mode=settings.mode,
            model=model,
            evicted=window.messages[:cut],
            kept=sorted(pinned + window.messages[cut:], key=full.messages.index),
            context_start_before=conversation.context_start,
            settings=settings,
        )

    def summarize(self, plan: CompactionPlan) -> str:
        conversation = self.store.get_conversation(plan.conversation_id)
        window = self.calls.context_window(plan.model)
        settings = plan.settings
        request = SummaryRequest(
            transcript=[{"role": m.role.value, "text": m.text} for m in plan.evicted if m.text],
            previous_summary=conversation.summary,
            prompt=settings.prompt,
            prompt_acknowledgement=settings.prompt_acknowledgement,
            clip_chars=settings.clip_chars,
            budget_chars=max(200, (window // 2 - reserve_tokens(window)) * 3),
        )
        max_tokens = max(32, min(reserve_tokens(window), (settings.clip_chars or 4000) // 3))

        def complete(messages: list[dict[str, Any]]) -> str:
            return self.calls.complete(
                plan.model, "summarizer", messages, model_settings=settings.model_settings,
                conversation_id=plan.conversation_id, max_output_tokens=max_tokens,
            )  # fmt: skip

        summary = self._summarizer(plan.mode).summarize(request, complete)
        return clip(summary, settings.clip_chars)

    def apply(self, plan: CompactionPlan, summary: str) -> CompactionResult:
        """Move the window past the evicted messages and record the marker; deletes nothing."""
        before = len(plan.evicted) + len(plan.kept)
        summary = clip(summary, plan.settings.clip_chars)
        if not plan.evicted:
            return CompactionResult(
                num_messages_before=before, num_messages_after=before,
                summary=self.store.get_conversation(plan.conversation_id).summary or "",
                mode=plan.mode,
            )  # fmt: skip
        last_evicted = self.store.seq_of(plan.evicted[-1].id)
        self.store.compactions.record(
            Compaction(
                conversation_id=plan.conversation_id,
                mode=plan.mode,
                model=plan.model,
                summary=summary,
                context_start_before=plan.context_start_before,
                context_start_after=last_evicted + 1,
                first_kept_id=plan.kept[0].id if plan.kept else None,
                last_evicted_id=plan.evicted[-1].id,
                num_messages_before=before,
                num_messages_after=len(plan.kept),
            )
        )
        self.assistants.recompile(plan.conversation_id)
        return CompactionResult(
            num_messages_before=before,
            num_messages_after=len(plan.kept),
            summary=summary,
            mode=plan.mode,
        )

    def compact(
        self, conversation_id: str, settings: CompactionSettings | None = None
    ) -> CompactionResult:
        plan = self.plan(conversation_id, settings or CompactionSettings())
        summary = self.summarize(plan) if plan.evicted else ""
        return self.apply(plan, summary)

    # -- helpers --------------------------------------------------------------------------

    def _summarizer(self, mode: str) -> Summarizer:
        summarizer = self.summarizers.get(mode)
        if summarizer is None:
            known = ", ".join(sorted(self.summarizers)) or "none (is chinwag_summarizers loaded?)"
            raise CompactionError(f"no summarizer for mode {mode!r}; available: {known}")
        return summarizer

    def _cheap_model(self, conversation_id: str) -> str:
        """The cheapest model of the conversation's provider; its own model when unpriced."""
        handle = self.handle_of(conversation_id)
        provider = self.calls.resolve(handle).provider
        priced = [m for m in provider.list_models() if m.input_cost_per_token is not None]
        if not priced:
            return handle
        cheapest = min(priced, key=lambda m: m.input_cost_per_token or 0.0)
        return provider.handle(cheapest.name)
