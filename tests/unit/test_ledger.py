"""The usage ledger in the real SQLite store: records, totals by SQL, Metrics semantics."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chinwag.core.store import Store
from chinwag.core.types import Conversation, Usage
from chinwag.core.usage.ledger import GROUPINGS, CallRecord, Grouping, UsageTotals


def _record(conversation_id: str | None, **fields: object) -> CallRecord:
    values: dict[str, object] = {
        "conversation_id": conversation_id,
        "usage_id": "chat",
        "provider": "openai",
        "model": "openai/gpt-4o",
        "usage": Usage(prompt_tokens=10, completion_tokens=5),
        "cost": 0.001,
        "latency_ms": 100.0,
        "outcome": "ok",
    }
    return CallRecord.model_validate(values | fields)


@pytest.fixture
def filled(store: Store) -> tuple[Store, list[CallRecord]]:
    a = store.create_conversation(Conversation(title="a")).id
    b = store.create_conversation(Conversation(title="b")).id
    yesterday = datetime.now(UTC) - timedelta(days=1)
    records = [
        _record(a),
        _record(a, usage_id="title", usage=Usage(prompt_tokens=3, completion_tokens=2)),
        _record(a, cost=None, provider="openai_compatible", model="openai_compatible/mine"),
        _record(b, provider="local", model="local/small", cost=0.0, latency_ms=40.0),
        _record(b, outcome="error", error="503", retries=2, usage=Usage(), cost=None),
        _record(None, usage_id="api", created_at=yesterday, cost=0.5),
        _record(b, outcome="cancelled", usage=Usage(prompt_tokens=7, reasoning_tokens=4)),
    ]
    for record in records:
        store.usage.record(record)
    return store, records


@pytest.mark.parametrize("by", GROUPINGS)
def test_totals_equal_the_sum_of_the_records(
    filled: tuple[Store, list[CallRecord]], by: Grouping
) -> None:
    store, records = filled
    totals = store.usage.totals(by)
    expected = UsageTotals(key="all")
    for record in store.usage.records():
        expected.add(record)
    summed = UsageTotals(key="all")
    for row in totals:
        for name, value in row.model_dump(exclude={"key"}).items():
            setattr(summed, name, getattr(summed, name) + value)
    assert summed.model_dump() == pytest.approx(expected.model_dump())
    assert summed.calls == len(records)
    assert summed.cost == pytest.approx(sum(r.cost or 0 for r in records))
    assert summed.unpriced_calls == 2


def test_records_round_trip_and_unknown_cost_stays_unknown(
    filled: tuple[Store, list[CallRecord]],
) -> None:
    store, records = filled
    stored = {r.id: r for r in store.usage.records()}
    for record in records:
        assert stored[record.id].model_dump(exclude={"created_at"}) == record.model_dump(
            exclude={"created_at"}
        )
    unpriced = [r for r in stored.values() if r.cost is None]
    assert len(unpriced) == 2  # NULL in SQLite, None here: never a 0
    by_provider = {t.key: t for t in store.usage.totals("provider")}
    assert by_provider["openai_compatible"].cost == 0
    assert by_provider["openai_compatible"].unpriced_calls == 1
    assert by_provider["local"].cost == 0 and by_provider["local"].unpriced_calls == 0


def test_groupings_since_and_outcomes(filled: tuple[Store, list[CallRecord]]) -> None:
    store, records = filled
    days = store.usage.totals("day")
    assert [d.key for d in days] == sorted(d.key for d in days)
    assert sum(d.calls for d in days) == len(records)
    today = store.usage.totals("day", since=date.today())
    assert sum(d.calls for d in today) == len(records) - 1  # yesterday's call left out
    by_usage = {t.key: t.calls for t in store.usage.totals("usage-id")}
    assert by_usage == {"chat": 5, "title": 1, "api": 1}
    chat = next(t for t in store.usage.totals("usage-id") if t.key == "chat")
    assert (chat.errors, chat.cancelled, chat.retries) == (1, 1, 2)
    conversations = {t.key for t in store.usage.totals("conversation")}
    assert "-" in conversations  # a call outside any conversation (the local API)


def test_spent_by_conversation_provider_and_time(filled: tuple[Store, list[CallRecord]]) -> None:
    store, records = filled
    a = records[0].conversation_id
    assert store.usage.spent(conversation_id=a) == pytest.approx(0.002)
    assert store.usage.spent(provider="openai") == pytest.approx(0.503)
    since = datetime.now(UTC) - timedelta(hours=1)
    assert store.usage.spent(provider="openai", since=since) == pytest.approx(0.003)


def test_budgets_per_conversation(store: Store) -> None:
    conversation = store.create_conversation()
    assert store.usage.budget_of(conversation.id) is None
    store.usage.set_budget(conversation.id, 0.25)
    assert store.usage.budget_of(conversation.id) == 0.25
    store.usage.set_budget(conversation.id, None)
    assert store.usage.budget_of(conversation.id) is None
    with pytest.raises(KeyError):
        store.usage.set_budget("no-such-conversation", 1.0)
    with pytest.raises(ValueError):
        store.usage.set_budget(conversation.id, -1)
    store.usage.set_budget(conversation.id, 1.0)
    store.delete_conversation(conversation.id)  # its budget goes with it; its spend stays
    assert store.usage.budget_of(conversation.id) is None


def test_ledger_rows_outlive_their_conversation(store: Store) -> None:
    conversation = store.create_conversation()
    store.usage.record(_record(conversation.id))
    store.delete_conversation(conversation.id)
    assert store.usage.spent(provider="openai") == pytest.approx(0.001)


def test_the_monthly_budget_counts_from_the_first_local_day_of_the_month() -> None:
    from chinwag.core.usage.budgets import month_start

    start = month_start(datetime(2026, 3, 17, 15, 30, tzinfo=UTC))
    assert (start.day, start.hour, start.minute, start.second) == (1, 0, 0, 0)
    assert start.utcoffset() is not None  # an aware local time, compared in UTC by the ledger
    assert start <= datetime(2026, 3, 17, 15, 30, tzinfo=UTC)
