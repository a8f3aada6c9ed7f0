"""The usage ledger's cost: what metering adds to each model call (budget check, ledger row,
completion log) and how long `chinwag usage` totals take over 10k and 100k recorded calls.

The backend here is an in-process one that streams a few events at once, so the figure
is the meter alone, not the model. Goal: under 2 ms a call; totals under 100 ms at 100k.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks._common import emit, summary

CALLS = 300
SIZES = [10_000, 100_000]


class InstantBackend:
    def stream(self, request: Any, cancel: Any) -> Iterator[Any]:
        from chinwag.core.llm.backend import Done, TextDelta, UsageEvent
        from chinwag.core.types import Usage

        yield TextDelta(text="hello")
        yield UsageEvent(usage=Usage(prompt_tokens=7, completion_tokens=3), cost=0.0001)
        yield Done()


def per_call(services: Any, wrapped: bool, conversation_id: str | None) -> list[float]:
    from chinwag.core.llm.backend import Cancel, ChatRequest
    from chinwag.core.llm.config import LLMConfig
    from chinwag.core.usage.metering import Meter

    backend = InstantBackend()
    meter = Meter(services.store, services.budgets)
    stream = (lambda r, c: meter.run(backend, r, c)) if wrapped else backend.stream
    request = ChatRequest(
        config=LLMConfig(model="openai/gpt-4o", usage_id="chat"),
        messages=[{"role": "user", "content": "hi"}],
        handle="openai/gpt-4o",
        conversation_id=conversation_id,
    )
    times = []
    for _ in range(CALLS):
        started = time.perf_counter()
        for _event in stream(request, Cancel()):
            pass
        times.append((time.perf_counter() - started) * 1000)
    return times


def fill(store: Any, count: int) -> None:
    """Bulk rows through the store's connection and schema, spread over 90 days."""
    from chinwag.core.usage.ledger import stamp

    now = datetime.now(UTC)
    rows = [
        (f"r{i}", stamp(now - timedelta(minutes=i * 90 * 24 * 60 // count)), f"c{i % 200}",
         ("chat", "title", "summarizer")[i % 3], ("openai", "anthropic", "local")[i % 3],
         ("openai/gpt-4o", "anthropic/claude", "local/small")[i % 3], 100, 20,
         None if i % 7 == 0 else 0.001, 50.0)
        for i in range(count)
    ]  # fmt: skip
    with store.connection.transaction() as db:
        db.executemany(
            "INSERT INTO usage_records (id, created_at, conversation_id, usage_id, provider, "
            "model, prompt_tokens, completion_tokens, cost, latency_ms, outcome) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok')",
            rows,
        )


def main() -> None:
    result: dict[str, Any] = {"calls": CALLS}
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CHINWAG_HOME"] = folder
        from chinwag import app
        from chinwag.core.store import Store

        services = app.build()
        conversation_id = services.store.create_conversation().id
        services.store.usage.set_budget(conversation_id, 1000.0)  # checked on every call
        bare = per_call(services, wrapped=False, conversation_id=conversation_id)
        metered = per_call(services, wrapped=True, conversation_id=conversation_id)
        result["bare_ms"] = summary(bare, 3)
        result["metered_ms"] = summary(metered, 3)
        result["overhead_ms_median"] = round(
            result["metered_ms"]["median"] - result["bare_ms"]["median"], 3
        )
        services.close()
        for size in SIZES:
            store = Store(Path(folder) / f"ledger-{size}.db")
            fill(store, size)
            timings: dict[str, Any] = {}
            for by in ("day", "provider", "model", "usage-id", "conversation"):
                runs = []
                for _ in range(5):
                    started = time.perf_counter()
                    store.usage.totals(by)  # type: ignore[arg-type]
                    runs.append((time.perf_counter() - started) * 1000)
                timings[by] = summary(runs, 1)
            started = time.perf_counter()
            store.usage.spent(provider="openai", since=datetime.now(UTC) - timedelta(days=30))
            timings["monthly_spent_ms"] = round((time.perf_counter() - started) * 1000, 2)
            result[f"totals_{size}"] = timings
            store.close()
    emit(result)


if __name__ == "__main__":
    main()
