import pytest

from chinwag.core.llm.config import LLMConfig
from chinwag.core.llm.retry import backoff_seconds, is_retryable


class HTTPError(Exception):
    def __init__(self, status: int, retry_after: str | None = None) -> None:
        super().__init__(f"status {status}")
        self.status_code = status
        self.response = type(
            "R", (), {"headers": {"retry-after": retry_after} if retry_after else {}}
        )()


@pytest.mark.parametrize("status,retry", [(429, True), (500, True), (503, True), (408, True),
                                          (400, False), (401, False), (404, False)])  # fmt: skip
def test_transient_statuses_are_retried(status: int, retry: bool) -> None:
    assert is_retryable(HTTPError(status)) is retry


def test_connection_failures_are_retried_and_bugs_are_not() -> None:
    assert is_retryable(ConnectionRefusedError())
    assert is_retryable(TimeoutError())
    assert not is_retryable(ValueError("bad"))


def test_backoff_grows_exponentially_within_bounds() -> None:
    config = LLMConfig(retry_multiplier=1, retry_min_wait=2, retry_max_wait=10)
    assert [backoff_seconds(config, n) for n in range(1, 6)] == [2, 2, 4, 8, 10]


def test_retry_after_from_the_server_wins_but_is_capped() -> None:
    config = LLMConfig(retry_multiplier=1, retry_min_wait=0, retry_max_wait=30)
    assert backoff_seconds(config, 1, HTTPError(429, "7")) == 7
    assert backoff_seconds(config, 1, HTTPError(429, "3600")) == 30
    assert backoff_seconds(config, 1, HTTPError(429, "soon")) == 1
