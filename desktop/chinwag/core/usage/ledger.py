"""The usage ledger's records and totals: one `CallRecord` per model call.

Totals are computed from the records (never kept alongside them), so they always equal
the sum of the calls. The ledger is the one record of what calls cost: the SDK's
in-memory `Metrics` and registry are not kept, since every figure they gave is a query here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from chinwag.core.types import Usage, new_id

Outcome = Literal["ok", "cancelled", "error"]
Grouping = Literal["day", "provider", "model", "usage-id", "conversation"]
GROUPINGS: tuple[Grouping, ...] = ("day", "provider", "model", "usage-id", "conversation")


def stamp(moment: datetime) -> str:
    """A UTC time as fixed-width ISO text, so text order is time order (and SQLite reads it)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class CallRecord(BaseModel):
    id: str = Field(default_factory=new_id)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    conversation_id: str | None = None
    message_id: str | None = None
    usage_id: str
    provider: str
    model: str = Field(description="the handle that answered, provider/model-name")
    router: str | None = Field(None, description="the router that chose the model, if any")
    usage: Usage = Field(default_factory=Usage)
    cost: float | None = Field(None, ge=0, description="USD; None when no price is known")
    latency_ms: float = Field(ge=0)
    outcome: Outcome
    retries: int = Field(0, ge=0)
    error: str | None = None


class UsageTotals(BaseModel):
    """One row of `chinwag usage`: every call whose grouping value is `key`."""

    key: str
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0
    cost: float = Field(0.0, description="USD of the calls with a known price")
    unpriced_calls: int = Field(0, description="calls whose price is unknown (not in `cost`)")
    errors: int = 0
    cancelled: int = 0
    retries: int = 0
    latency_ms: float = 0.0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def cost_text(self) -> str:
        """Known spend, and how many calls had no price (those are not in the figure)."""
        if self.unpriced_calls == self.calls:
            return "unknown"
        text = f"${self.cost:.6f}"
        return f"{text} + {self.unpriced_calls} unpriced" if self.unpriced_calls else text

    def add(self, record: CallRecord) -> None:
        self.calls += 1
        self.prompt_tokens += record.usage.prompt_tokens
        self.completion_tokens += record.usage.completion_tokens
        self.cache_read_tokens += record.usage.cache_read_tokens
        self.cache_write_tokens += record.usage.cache_write_tokens
        self.reasoning_tokens += record.usage.reasoning_tokens
        if record.cost is None:
            self.unpriced_calls += 1
        else:
            self.cost += record.cost
        self.errors += record.outcome == "error"
        self.cancelled += record.outcome == "cancelled"
        self.retries += record.retries
        self.latency_ms += record.latency_ms
