"""`chinwag usage` and `chinwag budget` as real processes, after real local-model calls."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from chinwag.core.store import Store
from chinwag.core.system import settings as settings_file
from chinwag.core.types import Usage
from chinwag.core.usage.ledger import CallRecord


def test_usage_after_a_local_chat(with_model: Path, cli: Any) -> None:
    settings, _ = settings_file.load()
    settings.auto_title = False  # one model call: the loaded CI machine is slow enough
    settings_file.save(settings)
    chat = cli("chat", "--json", "Say hi", timeout=600)
    assert chat.code == 0, chat.stderr
    conversation_id = chat.json()["conversation_id"]
    assert chat.json()["model"].startswith("local/")

    by_provider = cli("usage", "--by", "provider", "--json")
    assert by_provider.code == 0, by_provider.stderr
    rows = {row["key"]: row for row in by_provider.json()["rows"]}
    local = rows["local"]
    assert local["calls"] == 1
    assert local["prompt_tokens"] > 0 and local["completion_tokens"] > 0
    assert local["cost"] == 0.0 and local["unpriced_calls"] == 0  # free, and known to be

    by_usage = cli("usage", "--by", "usage-id", "--json").json()
    assert "chat" in {row["key"] for row in by_usage["rows"]}
    assert by_usage["total"]["calls"] == local["calls"]

    mine = cli("usage", "--by", "conversation", "--conversation", conversation_id, "--json")
    assert [row["key"] for row in mine.json()["rows"]] == [conversation_id]

    text = cli("usage", "--by", "day")
    assert text.code == 0
    assert date.today().isoformat() in text.stdout and "TOTAL" in text.stdout.upper()

    future = cli("usage", "--since", "2999-01-01")
    assert future.code == 0 and "No model calls recorded since 2999-01-01" in future.stdout
    bad = cli("usage", "--since", "yesterday-ish")
    assert bad.code == 2 and "not a date" in bad.stderr


def test_usage_totals_equal_the_ledger_and_show_unknown_prices(home: Path, cli: Any) -> None:
    store = Store(home / "chinwag.db")
    costs = [0.25, None, 0.125, 0.0]
    for index, cost in enumerate(costs):
        store.usage.record(
            CallRecord(
                usage_id="chat",
                provider="openai" if index < 3 else "local",
                model="openai/gpt-4o" if index != 1 else "openai/mystery",
                usage=Usage(prompt_tokens=10 * (index + 1), completion_tokens=index),
                cost=cost,
                latency_ms=5,
                outcome="ok",
            )
        )
    store.close()
    result = cli("usage", "--by", "model", "--json").json()
    rows = {row["key"]: row for row in result["rows"]}
    assert rows["openai/mystery"]["cost"] is None  # unknown, not $0
    assert rows["openai/gpt-4o"]["cost"] == 0.375
    assert result["total"]["calls"] == 4
    assert result["total"]["prompt_tokens"] == 100
    assert result["total"]["cost"] == 0.375 and result["total"]["unpriced_calls"] == 1
    text = cli("usage", "--by", "model").stdout
    assert "unknown" in text and "$0.375000 + 1 unpriced" in text


def test_budget_cli_sets_and_shows_limits(home: Path, cli: Any) -> None:
    store = Store(home / "chinwag.db")
    conversation_id = store.create_conversation().id
    store.close()
    assert cli("budget", "set", "--conversation", conversation_id, "0.5").code == 0
    assert cli("budget", "set", "--provider", "openai", "20").code == 0
    assert cli("budget", "set", "--default", "1").code == 0
    shown = cli("budget", "show", "--json").json()
    assert shown == {
        "default_per_conversation": 1.0,
        "monthly": {"openai": {"budget": 20.0, "spent_this_month": 0.0}},
    }
    store = Store(home / "chinwag.db")
    assert store.usage.budget_of(conversation_id) == 0.5
    store.close()
    assert cli("budget", "clear", "--provider", "openai").code == 0
    settings, _ = settings_file.load()
    assert settings.monthly_budgets == {} and settings.max_budget_per_task == 1.0
    assert cli("budget", "set", "--default", "-3").code == 2
    assert cli("budget", "set", "--provider", "nope", "3").code == 2
    assert cli("budget", "set", "--conversation", "no-such-id", "3").code == 2


def test_a_cancelled_local_reply_is_recorded_as_cancelled(with_model: Path) -> None:
    from chinwag.app import build
    from chinwag.core.llm.backend import Cancel, StreamEvent, TextDelta
    from chinwag.core.types import MessageStatus

    services = build()
    try:
        conversation_id = services.store.create_conversation().id
        cancel = Cancel()

        def stop_at_first_text(event: StreamEvent) -> None:
            if isinstance(event, TextDelta):
                cancel.set()  # before the next event is read: no race with the reply's end

        reply = services.chat.send(
            conversation_id, "Tell me a long story.", cancel=cancel, on_event=stop_at_first_text
        )
        records = services.store.usage.records(conversation_id=conversation_id)
    finally:
        services.close()
    assert reply.status == MessageStatus.CANCELLED
    assert [(r.usage_id, r.outcome, r.message_id) for r in records] == [
        ("chat", "cancelled", reply.id)
    ]
    assert records[0].provider == "local" and records[0].latency_ms > 0
