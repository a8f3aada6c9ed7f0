"""Cost, token usage and latency per LLM, with the OpenHands SDK `Metrics` semantics."""

from __future__ import annotations

import time

from pydantic import BaseModel, Field


class TokenUsage(BaseModel):
    model: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0
    context_window: int = 0
    per_turn_token: int = 0
    response_id: str = ""

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            model=self.model or other.model,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
            reasoning_tokens=self.reasoning_tokens + other.reasoning_tokens,
            context_window=max(self.context_window, other.context_window),
            per_turn_token=other.per_turn_token,
            response_id=self.response_id,
        )


class Cost(BaseModel):
    model: str
    cost: float = Field(ge=0)
    timestamp: float = Field(default_factory=time.time)


class ResponseLatency(BaseModel):
    model: str
    latency: float = Field(ge=0, description="seconds")
    response_id: str = ""


class MetricsSnapshot(BaseModel):
    model_name: str = "default"
    accumulated_cost: float = Field(0.0, ge=0)
    max_budget_per_task: float | None = None
    accumulated_token_usage: TokenUsage | None = None


class Metrics(MetricsSnapshot):
    costs: list[Cost] = Field(default_factory=list)
    response_latencies: list[ResponseLatency] = Field(default_factory=list)
    token_usages: list[TokenUsage] = Field(default_factory=list)

    def add_cost(self, value: float) -> None:
        if value < 0:
            raise ValueError("Added cost cannot be negative.")
        self.accumulated_cost += value
        self.costs.append(Cost(model=self.model_name, cost=value))

    def add_response_latency(self, value: float, response_id: str = "") -> None:
        self.response_latencies.append(
            ResponseLatency(model=self.model_name, latency=max(0.0, value), response_id=response_id)
        )

    def add_token_usage(self, usage: TokenUsage) -> None:
        self.token_usages.append(usage)
        current = self.accumulated_token_usage or TokenUsage(model=self.model_name)
        self.accumulated_token_usage = current + usage

    def merge(self, other: Metrics) -> None:
        self.accumulated_cost += other.accumulated_cost
        self.costs += other.costs
        self.response_latencies += other.response_latencies
        self.token_usages += other.token_usages
        if other.accumulated_token_usage is not None:
            current = self.accumulated_token_usage or TokenUsage(model=self.model_name)
            self.accumulated_token_usage = current + other.accumulated_token_usage

    def get_snapshot(self) -> MetricsSnapshot:
        return MetricsSnapshot.model_validate(
            self.model_dump(include=set(MetricsSnapshot.model_fields))
        )

    def deep_copy(self) -> Metrics:
        return self.model_copy(deep=True)

    def diff(self, baseline: Metrics) -> Metrics:
        """What happened since `baseline` (an earlier deep copy of this object)."""
        result = Metrics(model_name=self.model_name, max_budget_per_task=self.max_budget_per_task)
        result.accumulated_cost = self.accumulated_cost - baseline.accumulated_cost
        result.costs = self.costs[len(baseline.costs) :]
        result.response_latencies = self.response_latencies[len(baseline.response_latencies) :]
        for usage in self.token_usages[len(baseline.token_usages) :]:
            result.add_token_usage(usage)
        return result
