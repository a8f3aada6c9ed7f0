"""Settings' "Test connection" is a model call like any other: metered and budgeted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from chinwag import app
from chinwag.core.system import settings as settings_file
from chinwag.core.system.keys import KeyStore
from chinwag.core.types import Conversation, MessageStatus
from tests.plugins.wire import WireServer, openai_chat_sse

pytestmark = pytest.mark.keyring

KEY = "sk-connection-test-1a2b3c4d5e6f7a8b9c"


@pytest.fixture
def openai(keys: KeyStore) -> Iterator[WireServer]:
    """OpenAI on 127.0.0.1 with a key in the real keyring, and a monthly budget of $0.00001."""
    with WireServer(openai_chat_sse(["OK"])) as server:
        keys.set("openai", SecretStr(KEY))
        settings, _ = settings_file.load()
        settings.provider_options = {"openai": {"base_url": server.url}}
        settings.monthly_budgets = {"openai": 0.00001}
        settings.auto_title = False
        settings_file.save(settings)
        yield server


def test_a_connection_test_is_recorded_in_the_ledger(openai: WireServer) -> None:
    services = app.build()
    try:
        problem = services.calls.test_connection("openai")
        [record] = services.store.usage.records()
    finally:
        services.close()
    assert problem == ""
    [sent] = openai.requests
    assert sent.body["max_tokens"] == 1
    assert (record.usage_id, record.provider, record.outcome) == ("connection-test", "openai", "ok")
    assert record.conversation_id is None
    assert (record.usage.prompt_tokens, record.usage.completion_tokens) == (7, 1)


def test_a_reached_budget_stops_a_connection_test(openai: WireServer) -> None:
    services = app.build()
    try:
        conversation_id = services.store.create_conversation(Conversation(model="openai/gpt-4o")).id
        spent = services.chat.send(conversation_id, "Say hello")
        problem = services.calls.test_connection(services.catalog.providers["openai"])
        calls = len(services.store.usage.records())
    finally:
        services.close()
    assert spent.status == MessageStatus.COMPLETE  # it spent more than the monthly budget
    assert problem.startswith("Budget reached") and "monthly budget" in problem
    assert len(openai.requests) == 1  # the stopped test never left the machine
    assert calls == 1
