"""When and how long to wait before retrying a model call (OpenHands' exponential backoff)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from chinwag.core.llm.config import LLMConfig

RETRYABLE_STATUS = {408, 409, 429}


def is_retryable(error: BaseException) -> bool:
    """Connection failures, timeouts, 429 and 5xx: transient by nature. 4xx otherwise: not."""
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return status in RETRYABLE_STATUS or status >= 500
    if isinstance(error, ConnectionError | TimeoutError):
        return True
    name = type(error).__name__
    return any(word in name for word in ("Connection", "Timeout", "ServiceUnavailable"))


def retry_after(error: BaseException) -> float | None:
    """The server's Retry-After, in seconds, when it sent one (a number or an HTTP date).

    litellm keeps the real response headers on `litellm_response_headers`; its `response`
    is often a stand-in without them, so every place is looked at.
    """
    for headers in (
        getattr(error, "litellm_response_headers", None),
        getattr(error, "headers", None),
        getattr(getattr(error, "response", None), "headers", None),
    ):
        items = headers.items() if headers is not None and hasattr(headers, "items") else []
        value = next((v for k, v in items if str(k).lower() == "retry-after"), None)
        if value is None:
            continue
        try:
            return max(float(value), 0.0)
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(str(value))
        except (TypeError, ValueError):
            continue
        return max((when - datetime.now(UTC)).total_seconds(), 0.0)
    return None


def backoff_seconds(config: LLMConfig, attempt: int, error: BaseException | None = None) -> float:
    """Wait before retry `attempt` (1-based), within [retry_min_wait, retry_max_wait]."""
    server_hint = retry_after(error) if error is not None else None
    wait = server_hint if server_hint is not None else config.retry_multiplier * 2 ** (attempt - 1)
    return float(min(max(wait, config.retry_min_wait), config.retry_max_wait))
