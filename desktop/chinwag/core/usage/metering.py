"""Every model call runs through here: budget check before, ledger row and log after.

The call builder (core/llm/calls.py) runs each call it prepares through `Meter.run`, so
chat, titles, summaries, routers, the connection test and the local API, on the built-in
backend or a plugin's, are all counted the same way, and a reached budget stops any of them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from chinwag.core.llm.backend import (
    Backend,
    Cancel,
    ChatRequest,
    Done,
    ReasoningDelta,
    Retrying,
    StreamError,
    StreamEvent,
    TextDelta,
    UsageEvent,
)
from chinwag.core.store import Store
from chinwag.core.types import Usage
from chinwag.core.usage import completion_log
from chinwag.core.usage.budgets import Budgets
from chinwag.core.usage.ledger import CallRecord, Outcome
from chinwag.core.usage.pricing import price

log = logging.getLogger(__name__)


class Meter:
    def __init__(self, store: Store, budgets: Budgets) -> None:
        self.store = store
        self.budgets = budgets

    def run(self, backend: Backend, request: ChatRequest, cancel: Cancel) -> Iterator[StreamEvent]:
        """The backend's events, unless a budget stops the call; recorded however it ends."""
        if request.handle is not None:
            try:
                problem = self.budgets.problem(request.handle, request.conversation_id)
            except Exception as error:  # unreadable ledger: no paid call on an unchecked budget
                log.exception("could not check the budget")
                problem = f"Could not check the budget before a paid call ({error})."
            if problem is not None:
                yield StreamError(message=problem)
                return
        call = _Call()
        try:
            for event in backend.stream(request, cancel):
                call.see(event, request)
                if isinstance(event, UsageEvent) and event.cost is None:
                    event = UsageEvent(usage=event.usage, cost=call.cost)  # the message's too
                yield event
        finally:  # also when the consumer stops early (a cancel, an error it raised)
            call.end()
            self.record(request, call)

    def record(self, request: ChatRequest, call: _Call) -> None:
        """Write the call to the ledger and the log; a failed write never fails a reply."""
        handle = request.handle or request.config.model
        record = CallRecord(
            conversation_id=request.conversation_id,
            message_id=request.message_id,
            usage_id=request.config.usage_id,
            provider=handle.partition("/")[0],
            model=handle,
            router=request.router,
            usage=call.usage or Usage(),
            cost=call.cost,
            latency_ms=call.latency_ms,
            outcome=call.outcome,
            retries=call.retries,
            error=call.error,
        )
        try:
            self.store.usage.record(record)
        except Exception:
            log.exception("could not write the usage ledger")
        if request.config.log_completions:
            try:
                completion_log.write(request, call.response())
            except Exception:  # a log is a diagnostic: it never fails the reply
                log.exception("could not write the completion log")


class _Call:
    """What one call produced, gathered from its events."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.latency_ms = 0.0
        self.text: list[str] = []
        self.reasoning: list[str] = []
        self.usage: Usage | None = None
        self.cost: float | None = None
        self.retries = 0
        self.done = False
        self.error: str | None = None
        self.outcome: Outcome = "cancelled"

    def see(self, event: StreamEvent, request: ChatRequest) -> None:
        if isinstance(event, TextDelta):
            self.text.append(event.text)
        elif isinstance(event, ReasoningDelta):
            self.reasoning.append(event.text)
        elif isinstance(event, UsageEvent):
            self.usage = event.usage
            # A plugin backend may not price its calls: price them here the same way.
            self.cost = event.cost if event.cost is not None else price(request.config, event.usage)
        elif isinstance(event, Retrying):
            self.retries += 1
        elif isinstance(event, StreamError):
            self.error = completion_log.redact_text(
                event.message, completion_log.secrets_of(request)
            )
        elif isinstance(event, Done):
            self.done = True

    def end(self) -> None:
        self.latency_ms = (time.perf_counter() - self.started) * 1000
        if self.error is not None:
            self.outcome = "error"
        elif self.done:
            self.outcome = "ok"
        else:  # stopped before the end: a cancel, or a consumer that went away
            self.outcome = "cancelled"

    def response(self) -> dict[str, Any]:
        return {
            "text": "".join(self.text),
            "reasoning": "".join(self.reasoning),
            "usage": self.usage.model_dump() if self.usage else None,
            "cost": self.cost,
            "latency_ms": round(self.latency_ms, 1),
            "outcome": self.outcome,
            "retries": self.retries,
            "error": self.error,
        }
