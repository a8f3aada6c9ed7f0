"""Retry-After as servers send it: seconds or an HTTP date, on whichever attribute litellm
kept the headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from chinwag.core.llm.config import LLMConfig
from chinwag.core.llm.retry import backoff_seconds, retry_after


class Headers:
    def __init__(self, **items: str) -> None:
        self._items = {k.replace("_", "-"): v for k, v in items.items()}

    def items(self) -> list[tuple[str, str]]:
        return list(self._items.items())


class LitellmError(Exception):
    def __init__(self, headers: Headers | None) -> None:
        super().__init__("rate limited")
        self.status_code = 429
        self.litellm_response_headers = headers


def test_seconds_and_http_dates_are_both_understood() -> None:
    assert retry_after(LitellmError(Headers(Retry_After="3"))) == 3.0
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert retry_after(LitellmError(Headers(retry_after=when))) == pytest.approx(30, abs=2)
    assert retry_after(LitellmError(Headers(retry_after="soon"))) is None
    assert retry_after(LitellmError(None)) is None


def test_the_server_hint_is_kept_within_the_configured_bounds() -> None:
    config = LLMConfig(model="x", retry_min_wait=2, retry_max_wait=10)
    assert backoff_seconds(config, 1, LitellmError(Headers(retry_after="0"))) == 2
    assert backoff_seconds(config, 1, LitellmError(Headers(retry_after="60"))) == 10
    assert backoff_seconds(config, 1, LitellmError(Headers(retry_after="4.5"))) == 4.5
