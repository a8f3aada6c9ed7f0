"""Every kind of model call carries the provider's options, seen on the wire.

Chat, titles, compaction summaries, the connection test and the OpenAI gateway are all
built by the one call builder; a local server speaking the OpenAI wire format records
what each sent: Azure's `api-version` query and a third-party plugin's own header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from chinwag import app
from chinwag.core.conversations.compaction import CompactionSettings
from chinwag.core.conversations.titles import TitleRequest
from chinwag.core.system import settings as settings_file
from chinwag.core.system.keys import KeyStore
from chinwag.core.types import Conversation, Message, MessageStatus, Role
from chinwag.server.app import create_app
from chinwag.server.auth import server_token
from chinwag.server.run import ServerThread
from tests.plugins import folder
from tests.plugins.wire import Recorded, WireServer, openai_chat_sse

pytestmark = pytest.mark.keyring

KEY = "sk-options-test-8d7c6b5a4f3e2d1c0b9a"
WORDS = ["A ", "short ", "answer"]

TEAM_PLUGIN = """
from typing import Any

from chinwag.core.llm.provider import ModelInfo, Provider, ProviderOptions
from chinwag.hookspecs import hookimpl


class TeamOptions(ProviderOptions):
    team: str = "blue"

    def to_litellm(self) -> dict[str, Any]:
        return {"extra_headers": {"X-Team": self.team}}


@hookimpl
def register_providers(register):
    register(Provider(
        id="teamed", display_name="Teamed", options_type=TeamOptions,
        litellm_prefix="openai", key_name="teamed",
        list_models=lambda: [ModelInfo(name="talker")],
    ))
"""


@dataclass
class Target:
    provider: str
    model: str
    options: dict[str, Any]
    seen: Callable[[Recorded], str | None]  # the option as it reached the wire
    expected: str


def api_version(request: Recorded) -> str | None:
    query = request.path.partition("?")[2]
    return dict(p.partition("=")[::2] for p in query.split("&") if p).get("api-version")


TARGETS = [
    Target("azure", "gpt-4o", {"api_version": "2024-10-21"}, api_version, "2024-10-21"),
    Target("teamed", "talker", {"team": "green"}, lambda r: r.headers.get("x-team"), "green"),
]


@pytest.fixture
def team_plugin(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A third-party provider in the plugins folder, as a user installs one."""
    folder.install(monkeypatch, "chinwag_teamed", TEAM_PLUGIN)


@pytest.fixture
def server() -> Iterator[WireServer]:
    with WireServer(openai_chat_sse(WORDS)) as wire:
        yield wire


def configure(target: Target, server: WireServer, keys: KeyStore) -> None:
    keys.set(target.provider, SecretStr(KEY))
    settings, _ = settings_file.load()
    options = {"base_url": server.url, **target.options}
    settings.provider_options = {target.provider: options}
    settings.auto_title = settings.auto_compact = False  # each call made on purpose below
    settings_file.save(settings)


def through_the_gateway(services: app.Services, keys: KeyStore, handle: str) -> None:
    token = server_token(keys)
    thread = ServerThread(create_app(services, token)).start()
    try:
        response = httpx.post(
            f"{thread.url}/v1/chat/completions",
            headers={"Authorization": f"Bearer {token.get_secret_value()}"},
            json={"model": handle, "messages": [{"role": "user", "content": "Hi"}]},
            timeout=60,
        )
    finally:
        thread.stop()
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("target", TARGETS, ids=[t.provider for t in TARGETS])
def test_every_kind_of_call_carries_the_providers_options(
    target: Target, server: WireServer, keys: KeyStore, team_plugin: None
) -> None:
    configure(target, server, keys)
    handle = f"{target.provider}/{target.model}"
    seen: dict[str, str | None] = {}
    services = app.build()

    def record(purpose: str, make_call: Callable[[], Any]) -> None:
        server.requests.clear()
        make_call()
        [request] = server.requests
        seen[purpose] = target.seen(request)

    try:
        conversation_id = services.store.create_conversation(Conversation(model=handle)).id
        record("chat", lambda: services.chat.send(conversation_id, "Tell me about the sea."))
        assert services.store.list_messages(conversation_id)[-1].status == MessageStatus.COMPLETE
        request = TitleRequest(model=handle)
        record("title", lambda: services.titler.generate(conversation_id, request, handle))
        for text in ("More, please.", "And the tides?"):
            services.store.add_message(Message.of_text(conversation_id, Role.USER, text))
        compaction = CompactionSettings(mode="all", model=handle)
        record("summary", lambda: services.compactor.compact(conversation_id, compaction))
        record("connection test", lambda: services.calls.test_connection(target.provider))
        record("gateway", lambda: through_the_gateway(services, keys, handle))
        usage_ids = [r.usage_id for r in services.store.usage.records()]
    finally:
        services.close()
    assert seen == dict.fromkeys(
        ["chat", "title", "summary", "connection test", "gateway"], target.expected
    )
    assert sorted(usage_ids) == sorted(["chat", "title", "summarizer", "connection-test", "api"])
