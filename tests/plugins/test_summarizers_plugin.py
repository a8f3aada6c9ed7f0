"""The built-in summarizers load through the entry-point group like any plugin."""

from __future__ import annotations

from chinwag.core.conversations.compaction import (
    MODES,
    CompactionSettings,
    ContextWindow,
    Summarizer,
    SummaryRequest,
)
from chinwag.core.types import Message, Role
from chinwag.plugins import load_plugins


def test_every_compaction_mode_has_a_summarizer_from_the_plugin() -> None:
    host = load_plugins()
    record = next(r for r in host.records if r.name == "summarizers")
    assert record.status == "ok" and sorted(record.summarizers) == sorted(MODES)
    assert all(isinstance(s, Summarizer) for s in host.summarizers)


def test_a_summarizer_asks_with_the_prompt_and_falls_back_when_the_model_fails() -> None:
    host = load_plugins()
    summarizer = next(s for s in host.summarizers if s.mode == "all")
    window = ContextWindow(
        messages=[Message.of_text("c", r, t) for r, t in
                  [(Role.USER, "Plan a trip to Oslo."), (Role.ASSISTANT, "Fly on Friday.")]],
        tokens=[10, 10], context_window=100,
    )  # fmt: skip
    assert summarizer.cut(window, CompactionSettings(mode="all")) == 2
    request = SummaryRequest(
        transcript=[{"role": "user", "text": "Plan a trip to Oslo."}],
        prompt="Summarize tersely.", prompt_acknowledgement=True, budget_chars=500,
    )  # fmt: skip
    seen: list[list[dict[str, str]]] = []

    def answer(messages: list[dict[str, str]]) -> str:
        seen.append(messages)
        return " A trip to Oslo. "

    assert summarizer.summarize(request, answer) == "A trip to Oslo."
    assert seen[0][0]["content"].startswith("Summarize tersely.")
    assert seen[0][1]["role"] == "assistant"  # the acknowledgement

    def fail(messages: list[dict[str, str]]) -> str:
        raise RuntimeError("no model")

    assert "Plan a trip to Oslo" in summarizer.summarize(request, fail)
