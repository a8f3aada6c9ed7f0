"""Network faults between Chinwag and a real model server, injected by a local proxy.

Every call goes through the real ChatService, LiteLLMBackend and litellm to the real
llama.cpp server; the proxy in between fails requests on purpose. Each fault must end in a
retry that succeeds or a clear error on the message with the partial text kept, and a
retry happens only before the first token.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

import pytest

from chinwag.core.llm.backend import Cancel, Retrying, StreamError, StreamEvent, TextDelta
from chinwag.core.store import Store
from chinwag.core.types import Message, MessageStatus
from tests.resilience.conftest import (
    FAST_RETRIES,
    Harness,
    Upstream,
    build_chat,
    proxied_provider,
)
from tests.support.fault_proxy import Fault, FaultProxy

pytestmark = pytest.mark.local_model

PROMPT = "Write a long story about a cat who learns to sail."


def send(harness: Harness, cancel: Cancel | None = None) -> tuple[Message, list[StreamEvent]]:
    events: list[StreamEvent] = []
    reply = harness.chat.send(harness.conversation.id, PROMPT, cancel, events.append)
    stored = harness.store.get_message(reply.id)
    assert (stored.status, stored.text, stored.error) == (reply.status, reply.text, reply.error)
    return reply, events


def retries(events: list[StreamEvent]) -> list[Retrying]:
    return [e for e in events if isinstance(e, Retrying)]


def with_options(store: Store, proxy: FaultProxy, upstream: Upstream, **options: Any) -> Harness:
    provider = proxied_provider(proxy, upstream.model)
    return build_chat(store, provider, FAST_RETRIES | options, upstream.model)


def assert_one_clear_line(error: str | None) -> None:
    assert error, "a failed message must say why"
    assert "\n" not in error and "Traceback" not in error and len(error) < 300


# -- failures before the first token: retried --------------------------------------------


def test_server_errors_are_retried_until_the_call_succeeds(
    harness: Harness, proxy: FaultProxy
) -> None:
    proxy.plan = [Fault("status", status=500), Fault("status", status=503)]
    reply, events = send(harness)
    assert reply.status == MessageStatus.COMPLETE and reply.text
    assert [x.status for x in proxy.exchanges] == [500, 503, 200]
    assert [r.attempt for r in retries(events)] == [1, 2]
    assert reply.text == proxy.exchanges[-1].forwarded_text


def test_429_waits_as_long_as_retry_after_says(harness: Harness, proxy: FaultProxy) -> None:
    proxy.plan = [Fault("status", status=429, retry_after=0.7)]
    reply, events = send(harness)
    assert reply.status == MessageStatus.COMPLETE
    assert [r.wait for r in retries(events)] == [0.7]  # not the 0.05 s backoff
    refused, accepted = proxy.exchanges
    assert refused.finished_at is not None
    assert accepted.started_at - refused.finished_at >= 0.65


def test_retry_after_is_capped_by_retry_max_wait(
    store: Store, proxy: FaultProxy, upstream: Upstream
) -> None:
    harness = with_options(store, proxy, upstream, retry_max_wait=1)
    proxy.plan = [Fault("status", status=429, retry_after=30)]
    reply, events = send(harness)
    assert reply.status == MessageStatus.COMPLETE
    assert [r.wait for r in retries(events)] == [1.0]


def test_backoff_doubles_between_retry_min_wait_and_retry_max_wait(
    store: Store, proxy: FaultProxy, upstream: Upstream
) -> None:
    harness = with_options(
        store, proxy, upstream, retry_multiplier=0.3, retry_min_wait=0, retry_max_wait=1
    )
    proxy.plan = [Fault("status", status=500)] * 3
    reply, events = send(harness)
    assert reply.status == MessageStatus.COMPLETE
    assert [r.wait for r in retries(events)] == pytest.approx([0.3, 0.6, 1.0])
    gaps = [b.started_at - (a.finished_at or 0) for a, b in itertools.pairwise(proxy.exchanges)]
    assert all(gap >= wait - 0.05 for gap, wait in zip(gaps, [0.3, 0.6, 1.0], strict=True))

    harness = with_options(
        store, proxy, upstream, retry_multiplier=0.01, retry_min_wait=1, retry_max_wait=1
    )
    proxy.plan = [Fault("status", status=500)]
    _, events = send(harness)
    assert [r.wait for r in retries(events)] == [1.0]


def test_giving_up_after_num_retries_leaves_a_clear_error(
    store: Store, proxy: FaultProxy, upstream: Upstream
) -> None:
    harness = with_options(store, proxy, upstream, num_retries=2)
    proxy.plan = [Fault("status", status=500, body="the GPU caught fire")] * 5
    reply, events = send(harness)
    assert reply.status == MessageStatus.ERROR and reply.text == ""
    assert len(proxy.exchanges) == 3 and len(retries(events)) == 2
    assert_one_clear_line(reply.error)
    assert "the GPU caught fire" in (reply.error or "")


def test_a_client_error_is_not_retried(harness: Harness, proxy: FaultProxy) -> None:
    proxy.plan = [Fault("status", status=400, body="bad request: no such model")]
    reply, events = send(harness)
    assert reply.status == MessageStatus.ERROR
    assert len(proxy.exchanges) == 1 and retries(events) == []
    assert "no such model" in (reply.error or "")


def test_a_refused_connection_is_retried_until_the_server_listens(
    store: Store, upstream: Upstream
) -> None:
    with FaultProxy(upstream.base_url, upstream_key=upstream.api_key) as proxy:  # bound, closed
        harness = build_chat(
            store, proxied_provider(proxy, upstream.model), FAST_RETRIES, upstream.model
        )
        events: list[StreamEvent] = []

        def on_event(event: StreamEvent) -> None:
            events.append(event)
            if isinstance(event, Retrying):
                proxy.start()

        reply = harness.chat.send(harness.conversation.id, PROMPT, None, on_event)
    assert reply.status == MessageStatus.COMPLETE and reply.text
    first_failure = retries(events)[0].error
    assert "connect" in first_failure.lower()
    assert len(proxy.exchanges) == 1  # the refused attempt never reached the proxy


def test_a_server_that_never_listens_ends_in_a_clear_error(
    store: Store, upstream: Upstream
) -> None:
    with FaultProxy(upstream.base_url, upstream_key=upstream.api_key) as proxy:
        harness = build_chat(
            store,
            proxied_provider(proxy, upstream.model),
            FAST_RETRIES | {"num_retries": 2},
            upstream.model,
        )
        reply, events = send(harness)
    assert reply.status == MessageStatus.ERROR and reply.text == ""
    assert len(retries(events)) == 2
    assert_one_clear_line(reply.error)
    assert "connect" in (reply.error or "").lower()


def test_a_reset_connection_is_retried(harness: Harness, proxy: FaultProxy) -> None:
    proxy.plan = [Fault("reset")]
    reply, events = send(harness)
    assert reply.status == MessageStatus.COMPLETE and reply.text
    assert len(retries(events)) == 1


def test_a_stream_that_stalls_before_the_first_token_times_out_and_is_retried(
    store: Store, proxy: FaultProxy, upstream: Upstream
) -> None:
    harness = with_options(store, proxy, upstream, timeout=6)
    proxy.plan = [Fault("stall", after_events=0, seconds=40)]
    started = time.monotonic()
    reply, events = send(harness)
    assert reply.status == MessageStatus.COMPLETE and reply.text, (events, proxy.exchanges)
    assert "timed out" in retries(events)[0].error.lower()
    assert proxy.exchanges[1].started_at - started < 30  # gave up on the stall, not waited out


def test_a_connection_dropped_before_the_first_token_is_retried(
    harness: Harness, proxy: FaultProxy
) -> None:
    proxy.plan = [Fault("drop", after_events=0)]
    reply, events = send(harness)
    assert reply.status == MessageStatus.COMPLETE and reply.text
    assert len(retries(events)) == 1


# -- failures after the first token: never retried, partial text kept ---------------------


def test_a_connection_dropped_mid_stream_keeps_the_partial_text(
    harness: Harness, proxy: FaultProxy
) -> None:
    proxy.plan = [Fault("drop", after_events=6)]
    reply, events = send(harness)
    assert reply.status == MessageStatus.ERROR
    assert len(proxy.exchanges) == 1 and retries(events) == []
    forwarded = proxy.exchanges[0].forwarded_text
    assert forwarded and reply.text == forwarded
    assert_one_clear_line(reply.error)
    assert [e for e in events if isinstance(e, StreamError)]


def test_a_stream_that_stalls_mid_reply_times_out_and_keeps_the_partial_text(
    store: Store, proxy: FaultProxy, upstream: Upstream
) -> None:
    harness = with_options(store, proxy, upstream, timeout=6)
    proxy.plan = [Fault("stall", after_events=6, seconds=40)]
    reply, events = send(harness)
    assert reply.status == MessageStatus.ERROR
    assert len(proxy.exchanges) == 1 and retries(events) == []
    assert reply.text and reply.text == proxy.exchanges[0].forwarded_text
    assert "timed out" in (reply.error or "").lower()
    assert_one_clear_line(reply.error)


def test_malformed_server_sent_events_end_in_an_error_with_the_partial_text(
    harness: Harness, proxy: FaultProxy
) -> None:
    proxy.plan = [Fault("malformed", after_events=6)]
    reply, events = send(harness)
    assert reply.status == MessageStatus.ERROR
    assert len(proxy.exchanges) == 1 and retries(events) == []
    forwarded = proxy.exchanges[0].forwarded_text
    assert forwarded and reply.text.startswith(forwarded)
    assert_one_clear_line(reply.error)


# -- cancel --------------------------------------------------------------------------------


def test_cancel_closes_the_http_stream_within_100_ms_and_keeps_the_text(
    store: Store, proxy: FaultProxy, upstream: Upstream
) -> None:
    harness = with_options(store, proxy, upstream)
    store.update_conversation(harness.conversation.id, model_settings={"temperature": 0.0})
    cancel = Cancel()
    enough = threading.Event()
    seen: list[str] = []

    def on_event(event: StreamEvent) -> None:
        if isinstance(event, TextDelta):
            seen.append(event.text)
            if len(seen) >= 4:
                enough.set()

    result: list[Message] = []
    worker = threading.Thread(
        target=lambda: result.append(
            harness.chat.send(harness.conversation.id, PROMPT, cancel, on_event)
        )
    )
    worker.start()
    assert enough.wait(120), "the model never produced four tokens"
    cancelled_at = time.monotonic()
    cancel.set()
    worker.join(30)
    assert not worker.is_alive()
    (exchange,) = proxy.exchanges
    deadline = time.monotonic() + 5
    while exchange.client_closed_at is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert exchange.client_closed_at is not None, "the HTTP stream was never closed"
    closed_after = exchange.client_closed_at - cancelled_at
    assert closed_after < 0.1, f"stream closed {closed_after * 1000:.0f} ms after cancel"
    reply = result[0]
    assert reply.status == MessageStatus.CANCELLED
    assert reply.text and exchange.forwarded_text.startswith(reply.text)
    assert reply.text == "".join(seen)
    assert store.get_message(reply.id).status == MessageStatus.CANCELLED
