"""Fixtures for the resilience suite: one real llama.cpp server, a fault proxy per test,
and a ChatService whose provider calls the model through that proxy."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from chinwag.app import calls_for
from chinwag.core.conversations.chat import ChatService
from chinwag.core.llm.backend import Backend
from chinwag.core.llm.catalog import Catalog
from chinwag.core.llm.litellm_backend import LiteLLMBackend
from chinwag.core.llm.provider import Endpoint, ModelInfo, Provider
from chinwag.core.store import Store
from chinwag.core.system.keys import KeyStore
from chinwag.core.system.settings import Settings
from chinwag.core.types import Conversation
from tests.support.fault_proxy import FaultProxy


@dataclass(frozen=True)
class Upstream:
    base_url: str  # http://127.0.0.1:PORT (no /v1)
    api_key: str
    model: str


@pytest.fixture(scope="session")
def upstream(model_dir: Path) -> Iterator[Upstream]:
    """The real local model behind the real llama.cpp server, shared by the session."""
    from chinwag_local.server import LocalServer

    gguf = sorted(model_dir.glob("*.gguf"))[0]
    server = LocalServer()
    endpoint = server.endpoint(gguf)
    assert endpoint.api_key is not None
    warm_up(endpoint.base_url, endpoint.api_key.get_secret_value())
    yield Upstream(
        base_url=endpoint.base_url.removesuffix("/v1"),
        api_key=endpoint.api_key.get_secret_value(),
        model=gguf.stem,
    )
    server.stop()


def warm_up(base_url: str, key: str) -> None:
    """One tiny call, so the first test does not pay for loading the model."""
    body = json.dumps({"model": "x", "messages": [{"role": "user", "content": "hi"}],
                       "max_tokens": 1}).encode()  # fmt: skip
    request = urllib.request.Request(
        f"{base_url}/chat/completions",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()


@pytest.fixture
def proxy(upstream: Upstream) -> Iterator[FaultProxy]:
    with FaultProxy(upstream.base_url, upstream_key=upstream.api_key) as p:
        yield p.start()


CLIENT_KEY = SecretStr("sk-chinwag-test-client-key-0123456789")

MAX_TOKENS = 24  # the shared 2-core machine may give only a few tokens a second

# Small waits so the suite stays quick; the backoff shape is the production one.
FAST_RETRIES: dict[str, Any] = {
    "num_retries": 3,
    "retry_multiplier": 0.05,
    "retry_min_wait": 0,
    "retry_max_wait": 1,
    "timeout": 60,
}


def proxied_provider(proxy: FaultProxy, model: str, **fields: Any) -> Provider:
    return Provider(
        id="proxied",
        display_name="Local model through the fault proxy",
        litellm_prefix="openai",
        needs_key=False,
        list_models=lambda: [ModelInfo(name=model)],
        endpoint=lambda name: Endpoint(base_url=f"{proxy.url}/v1", api_key=CLIENT_KEY),
        **fields,
    )


@dataclass
class Harness:
    store: Store
    chat: ChatService
    conversation: Conversation


def build_chat(store: Store, provider: Provider, options: dict[str, Any], model: str) -> Harness:
    settings = Settings(provider_options={provider.id: options})
    catalog = Catalog({provider.id: provider}, KeyStore(), settings)
    backend = LiteLLMBackend()

    def backend_for(name: str) -> Backend:
        return backend

    chat = ChatService(store, catalog, calls_for(store, settings, catalog, backend_for))
    conversation = store.create_conversation(
        Conversation(
            model=provider.handle(model),
            model_settings={"temperature": 0.0, "max_output_tokens": MAX_TOKENS},
        )
    )
    return Harness(store, chat, conversation)


@pytest.fixture
def harness(store: Store, proxy: FaultProxy, upstream: Upstream) -> Harness:
    return build_chat(store, proxied_provider(proxy, upstream.model), FAST_RETRIES, upstream.model)
