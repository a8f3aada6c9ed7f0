"""The usage ledger's table: one row per model call, totals by SQL, per-conversation budgets."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

from chinwag.core.store.connection import Connection
from chinwag.core.types import Usage
from chinwag.core.usage.ledger import (
    CallRecord,
    Grouping,
    UsageTotals,
    stamp,
)

# Days are the user's days: local time (SQLite reads the process's time zone).
_GROUP_SQL: dict[str, str] = {
    "day": "date(created_at, 'localtime')",
    "provider": "provider",
    "model": "model",
    "usage-id": "usage_id",
    "conversation": "coalesce(conversation_id, '-')",
}
_TOKENS = (
    "prompt_tokens",
    "completion_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
)


class UsageTable:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def record(self, record: CallRecord) -> None:
        usage = record.usage
        with self.connection.transaction() as db:
            db.execute(
                "INSERT INTO usage_records (id, created_at, conversation_id, message_id, "
                "usage_id, provider, model, router, prompt_tokens, completion_tokens, "
                "cache_read_tokens, cache_write_tokens, reasoning_tokens, cost, latency_ms, "
                "outcome, retries, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?)",
                (record.id, stamp(record.created_at), record.conversation_id,
                 record.message_id, record.usage_id, record.provider, record.model,
                 record.router, usage.prompt_tokens, usage.completion_tokens,
                 usage.cache_read_tokens, usage.cache_write_tokens, usage.reasoning_tokens,
                 record.cost, record.latency_ms, record.outcome, record.retries,
                 record.error),
            )  # fmt: skip

    def records(
        self,
        since: date | None = None,
        conversation_id: str | None = None,
        provider: str | None = None,
        usage_id: str | None = None,
    ) -> list[CallRecord]:
        where, params = _filters(since, conversation_id, provider, usage_id)
        with self.connection.reading() as db:
            rows = db.execute(
                f"SELECT * FROM usage_records {where} ORDER BY created_at, rowid", params
            ).fetchall()
        return [_record(row) for row in rows]

    def totals(
        self,
        by: Grouping,
        since: date | None = None,
        conversation_id: str | None = None,
    ) -> list[UsageTotals]:
        """Sums per grouping value, oldest day first or largest spend first."""
        key = _GROUP_SQL[by]
        where, params = _filters(since, conversation_id, None, None)
        tokens = ", ".join(f"sum({name})" for name in _TOKENS)
        order = "key" if by == "day" else "sum(coalesce(cost, 0)) DESC, count(*) DESC, key"
        with self.connection.reading() as db:
            rows = db.execute(
                f"SELECT {key} AS key, count(*), {tokens}, coalesce(sum(cost), 0), "
                "sum(cost IS NULL), sum(outcome = 'error'), sum(outcome = 'cancelled'), "
                f"sum(retries), sum(latency_ms) FROM usage_records {where} "
                f"GROUP BY {key} ORDER BY {order}",
                params,
            ).fetchall()
        return [_totals(row) for row in rows]

    def spent(
        self,
        conversation_id: str | None = None,
        provider: str | None = None,
        since: datetime | None = None,
    ) -> float:
        """USD of the priced calls matching every given filter."""
        clauses, params = [], []
        if conversation_id is not None:
            clauses.append("conversation_id = ?")
            params.append(conversation_id)
        if provider is not None:
            clauses.append("provider = ?")
            params.append(provider)
        if since is not None:
            clauses.append("created_at >= ?")
            params.append(stamp(since))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.connection.reading() as db:
            row = db.execute(
                f"SELECT coalesce(sum(cost), 0) FROM usage_records {where}", params
            ).fetchone()
        return float(row[0])

    # -- per-conversation budgets ---------------------------------------------------------

    def budget_of(self, conversation_id: str) -> float | None:
        with self.connection.reading() as db:
            row = db.execute(
                "SELECT max_budget_per_task FROM conversation_budgets WHERE conversation_id = ?",
                (conversation_id,),
            ).fetchone()
        return None if row is None else float(row[0])

    def set_budget(self, conversation_id: str, budget: float | None) -> None:
        """Set (or with None, clear) the conversation's budget in USD; KeyError if unknown."""
        if budget is not None and budget < 0:
            raise ValueError("a budget cannot be negative")
        with self.connection.transaction() as db:
            found = db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,))
            if found.fetchone() is None:
                raise KeyError(conversation_id)
            if budget is None:
                db.execute(
                    "DELETE FROM conversation_budgets WHERE conversation_id = ?", (conversation_id,)
                )
            else:
                db.execute(
                    "INSERT INTO conversation_budgets (conversation_id, max_budget_per_task) "
                    "VALUES (?, ?) ON CONFLICT (conversation_id) "
                    "DO UPDATE SET max_budget_per_task = excluded.max_budget_per_task",
                    (conversation_id, budget),
                )


def _filters(
    since: date | None,
    conversation_id: str | None,
    provider: str | None,
    usage_id: str | None,
) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if since is not None:
        clauses.append("date(created_at, 'localtime') >= ?")
        params.append(since.isoformat())
    for column, value in (
        ("conversation_id", conversation_id),
        ("provider", provider),
        ("usage_id", usage_id),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _record(row: sqlite3.Row) -> CallRecord:
    return CallRecord(
        id=row["id"],
        created_at=datetime.fromisoformat(row["created_at"]),
        conversation_id=row["conversation_id"],
        message_id=row["message_id"],
        usage_id=row["usage_id"],
        provider=row["provider"],
        model=row["model"],
        router=row["router"],
        usage=Usage(**{name: row[name] for name in _TOKENS}),
        cost=row["cost"],
        latency_ms=row["latency_ms"],
        outcome=row["outcome"],
        retries=row["retries"],
        error=row["error"],
    )


def _totals(row: sqlite3.Row) -> UsageTotals:
    values = list(row)
    return UsageTotals(
        key=str(values[0]),
        calls=values[1],
        **dict(zip(_TOKENS, values[2:7], strict=True)),
        cost=float(values[7]),
        unpriced_calls=values[8],
        errors=values[9],
        cancelled=values[10],
        retries=values[11],
        latency_ms=float(values[12]),
    )
