"""The ledger, budgets, routers and completion logs, end to end through `app.build()`:
a "remote" OpenAI speaking its real wire format on 127.0.0.1, and the real local model."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from chinwag import app
from chinwag.core.llm.litellm_import import import_litellm
from chinwag.core.system import settings as settings_file
from chinwag.core.system.keys import KeyStore
from chinwag.core.types import Conversation, ImagePart, MessageStatus, TextPart
from tests.plugins.wire import WireServer, openai_chat_sse

pytestmark = pytest.mark.keyring

KEY = "sk-ledger-test-0c1d2e3f4a5b6c7d8e9f"
WORDS = ["Hel", "lo ", "there"]  # the server reports 7 prompt and 3 completion tokens
PIXEL = (  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
    "AAAABJRU5ErkJggg=="
)


def configure(**fields: Any) -> None:
    settings, _ = settings_file.load()
    for name, value in fields.items():
        setattr(settings, name, value)
    settings_file.save(settings)


@pytest.fixture
def remote(keys: KeyStore) -> Iterator[WireServer]:
    """OpenAI on 127.0.0.1 with a key in the real keyring; titles off unless a test asks."""
    with WireServer(openai_chat_sse(WORDS)) as server:
        keys.set("openai", SecretStr(KEY))
        configure(provider_options={"openai": {"base_url": server.url}}, auto_title=False)
        yield server


def chat_calls(server: WireServer) -> list[Any]:
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


def new_conversation(services: app.Services, model: str) -> str:
    return services.store.create_conversation(Conversation(model=model, title="t")).id


def litellm_price(model: str, prompt: int, completion: int) -> float:
    prices = import_litellm().model_cost[model]
    rates = prices["input_cost_per_token"], prices["output_cost_per_token"]
    return float(prompt * rates[0] + completion * rates[1])


def test_each_call_is_recorded_with_litellms_price(remote: WireServer) -> None:
    configure(auto_title=True)  # the title call is recorded too, under its own usage id
    services = app.build()
    try:
        conversation_id = services.store.create_conversation(Conversation(model="openai/gpt-4o")).id
        first = services.chat.send(conversation_id, "Say hello")
        second = services.chat.send(conversation_id, "Again")
        records = services.store.usage.records(conversation_id=conversation_id)
        by_provider = services.store.usage.totals("provider")
    finally:
        services.close()
    assert [r.usage_id for r in records] == ["chat", "title", "chat"]
    expected = litellm_price("gpt-4o", 7, 3)
    for record in records:
        assert (record.provider, record.model, record.outcome) == ("openai", "openai/gpt-4o", "ok")
        assert (record.usage.prompt_tokens, record.usage.completion_tokens) == (7, 3)
        assert record.cost == pytest.approx(expected)
        assert record.latency_ms > 0 and record.retries == 0
    assert [r.message_id for r in records if r.usage_id == "chat"] == [first.id, second.id]
    assert first.cost == pytest.approx(expected)  # the message shows what the ledger holds
    assert [t.key for t in by_provider] == ["openai"]
    assert by_provider[0].calls == 3
    assert by_provider[0].cost == pytest.approx(3 * expected)


def test_an_unknown_price_stays_unknown_and_overrides_win(
    remote: WireServer, provider_options: Callable[[dict[str, Any]], None]
) -> None:
    services = app.build()
    try:
        unknown = new_conversation(services, "openai/a-model-litellm-has-no-price-for")
        reply = services.chat.send(unknown, "Say hello")
        [record] = services.store.usage.records(conversation_id=unknown)
        [totals] = services.store.usage.totals("model")
    finally:
        services.close()
    assert reply.status == MessageStatus.COMPLETE
    assert reply.cost is None and record.cost is None  # unknown, not free
    assert (totals.cost, totals.unpriced_calls) == (0, 1)

    provider_options({"openai": {"base_url": remote.url, "input_cost_per_token": 0.001}})
    services = app.build()
    try:
        priced = new_conversation(services, "openai/gpt-4o")
        services.chat.send(priced, "Say hello")
        [record] = services.store.usage.records(conversation_id=priced)
    finally:
        services.close()
    output_rate = import_litellm().model_cost["gpt-4o"]["output_cost_per_token"]
    assert record.cost == pytest.approx(7 * 0.001 + 3 * output_rate)


def test_failures_record_their_outcome_and_retries(
    keys: KeyStore, provider_options: Callable[[dict[str, Any]], None]
) -> None:
    keys.set("openai", SecretStr(KEY))
    with WireServer(openai_chat_sse(WORDS), refuse_with=503) as server:
        provider_options({"openai": {"base_url": server.url, "num_retries": 2,
                                     "retry_min_wait": 0, "retry_max_wait": 0}})  # fmt: skip
        configure(auto_title=False)
        services = app.build()
        try:
            conversation_id = new_conversation(services, "openai/gpt-4o")
            reply = services.chat.send(conversation_id, "Say hello")
            [record] = services.store.usage.records(conversation_id=conversation_id)
        finally:
            services.close()
    assert reply.status == MessageStatus.ERROR
    assert (record.outcome, record.retries) == ("error", 2)
    assert record.cost is None and record.error and KEY not in record.error
    assert len(chat_calls(server)) == 3


def test_a_conversation_budget_stops_paid_calls_and_offers_the_local_model(
    remote: WireServer, with_model: Path
) -> None:
    services = app.build()
    try:
        conversation_id = new_conversation(services, "openai/gpt-4o")
        services.store.usage.set_budget(conversation_id, 0.00001)
        first = services.chat.send(conversation_id, "Say hello")
        stopped = services.chat.send(conversation_id, "Again")
        local = services.budgets.local_model()
        other = new_conversation(services, "openai/gpt-4o")  # no budget of its own
        elsewhere = services.chat.send(other, "Say hello")
        limit = services.budgets.limit_of(conversation_id)
        spent = services.store.usage.spent(conversation_id=conversation_id)
    finally:
        services.close()
    assert first.status == MessageStatus.COMPLETE
    assert stopped.status == MessageStatus.ERROR
    assert stopped.error is not None and stopped.error.startswith("Budget reached")
    assert "max_budget_per_task" in stopped.error
    assert local is not None and local.startswith("local/") and local in stopped.error
    assert elsewhere.status == MessageStatus.COMPLETE
    assert len(chat_calls(remote)) == 2  # the stopped call never left the machine
    assert limit == 0.00001
    assert spent >= limit


def test_a_monthly_provider_budget_holds_across_conversations(remote: WireServer) -> None:
    configure(monthly_budgets={"openai": 0.00001})
    services = app.build()
    try:
        first = services.chat.send(new_conversation(services, "openai/gpt-4o"), "Say hello")
        stopped = services.chat.send(new_conversation(services, "openai/gpt-4o"), "Hi")
    finally:
        services.close()
    assert first.status == MessageStatus.COMPLETE
    assert stopped.status == MessageStatus.ERROR
    assert stopped.error is not None and "openai has cost $" in stopped.error
    assert "monthly budget" in stopped.error
    assert len(chat_calls(remote)) == 1


def test_budget_fallback_router_moves_to_the_local_model(
    remote: WireServer, with_model: Path
) -> None:
    configure(routers={"budget_fallback": {"primary": "openai/gpt-4o"}})
    services = app.build()
    try:
        conversation_id = new_conversation(services, "router/budget_fallback")
        services.store.usage.set_budget(conversation_id, 0.00001)
        paid = services.chat.send(conversation_id, "Say hello")
        free = services.chat.send(conversation_id, "Say hello again")
        records = services.store.usage.records(conversation_id=conversation_id)
    finally:
        services.close()
    assert paid.model == "openai/gpt-4o" and paid.status == MessageStatus.COMPLETE
    assert free.status == MessageStatus.COMPLETE, free.error
    assert free.model is not None and free.model.startswith("local/") and free.text
    assert [(r.model, r.router) for r in records] == [
        ("openai/gpt-4o", "budget_fallback"),
        (free.model, "budget_fallback"),
    ]
    assert records[1].cost == 0.0  # the local model is known to be free
    assert len(chat_calls(remote)) == 1


def test_vision_router_sends_images_to_the_vision_model(
    remote: WireServer, with_model: Path
) -> None:
    services = app.build()
    local = services.budgets.local_model()
    services.close()
    assert local is not None
    configure(routers={"vision": {"default": local, "vision_model": "openai/gpt-4o"}})
    services = app.build()
    try:
        conversation_id = new_conversation(services, "router/vision")
        text = services.chat.send(conversation_id, "Say hi")
        picture = services.chat.send(
            conversation_id, [TextPart(text="What is this?"), ImagePart(data=PIXEL)]
        )
        records = services.store.usage.records(conversation_id=conversation_id)
    finally:
        services.close()
    assert text.model == local and text.status == MessageStatus.COMPLETE
    assert picture.model == "openai/gpt-4o" and picture.status == MessageStatus.COMPLETE
    [sent] = chat_calls(remote)
    parts = sent.body["messages"][-1]["content"]
    assert any(part.get("type") == "image_url" for part in parts)
    assert [r.router for r in records] == ["vision", "vision"]


def test_logged_completions_hold_request_and_response_but_no_key(
    keys: KeyStore, provider_options: Callable[[dict[str, Any]], None], home: Path
) -> None:
    keys.set("openai", SecretStr(KEY))
    configure(auto_title=False)
    logging = {"log_completions": True, "log_completions_folder": "logs/completions",
               "extra_headers": {"X-Api-Key": KEY, "X-Trace": "visible"}}  # fmt: skip
    with WireServer(openai_chat_sse(WORDS)) as ok_server:
        provider_options({"openai": {"base_url": ok_server.url, **logging}})
        services = app.build()
        try:
            services.chat.send(new_conversation(services, "openai/gpt-4o"), "Say hello")
        finally:
            services.close()
    with WireServer(openai_chat_sse(WORDS), refuse_with=401) as refusing:
        provider_options({"openai": {"base_url": refusing.url, **logging}})
        services = app.build()
        try:
            services.chat.send(new_conversation(services, "openai/gpt-4o"), "Say hello")
        finally:
            services.close()
    files = sorted((home / "logs" / "completions").glob("*.json"))
    assert len(files) == 2
    entries = [json.loads(path.read_text()) for path in files]
    assert all(entry["usage_id"] == "chat" for entry in entries)
    outcomes = sorted(entry["response"]["outcome"] for entry in entries)
    assert outcomes == ["error", "ok"]
    ok = next(e for e in entries if e["response"]["outcome"] == "ok")
    assert ok["response"]["text"] == "".join(WORDS)
    assert ok["request"]["messages"][-1]["content"] == "Say hello"
    assert ok["request"]["config"]["extra_headers"]["X-Trace"] == "visible"
    for path in files:
        text = path.read_text()
        assert KEY not in text and KEY[10:] not in text
    assert refusing.requests and KEY in refusing.requests[0].headers["authorization"]
