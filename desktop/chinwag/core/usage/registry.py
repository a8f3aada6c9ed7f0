"""LLMs by `usage_id` ("chat", "title", "summarizer", ...), each with its own Metrics."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from chinwag.core.llm.config import LLMConfig
from chinwag.core.usage.metrics import Metrics


@dataclass
class RegisteredLLM:
    config: LLMConfig
    metrics: Metrics = field(default_factory=lambda: Metrics())


class LLMRegistry:
    def __init__(self, retry_listener: Callable[[int, int], None] | None = None) -> None:
        self.retry_listener = retry_listener
        self._by_usage: dict[str, RegisteredLLM] = {}
        self._subscribers: list[Callable[[str, LLMConfig], None]] = []
        self._lock = threading.Lock()

    def add(self, config: LLMConfig) -> RegisteredLLM:
        with self._lock:
            if config.usage_id in self._by_usage:
                raise ValueError(f"usage_id {config.usage_id!r} is already registered")
            entry = RegisteredLLM(config, Metrics(model_name=config.model))
            self._by_usage[config.usage_id] = entry
        for callback in self._subscribers:
            callback(config.usage_id, config)
        return entry

    def get(self, usage_id: str) -> RegisteredLLM:
        with self._lock:
            return self._by_usage[usage_id]

    def get_or_add(self, config: LLMConfig) -> RegisteredLLM:
        with self._lock:
            existing = self._by_usage.get(config.usage_id)
        return existing if existing is not None else self.add(config)

    def list_usage_ids(self) -> list[str]:
        with self._lock:
            return list(self._by_usage)

    def subscribe(self, callback: Callable[[str, LLMConfig], None]) -> None:
        self._subscribers.append(callback)
