"""A router that asks a model before it picks one: its question is a metered call too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from chinwag import app
from chinwag.core.system import settings as settings_file
from chinwag.core.system.keys import KeyStore
from chinwag.core.types import Conversation, MessageStatus
from tests.plugins import folder
from tests.plugins.wire import WireServer, openai_chat_sse

pytestmark = pytest.mark.keyring

KEY = "sk-router-question-0f1e2d3c4b5a6978"
QUESTION = "Is this message small talk? Answer yes or no."

ASKING_ROUTER = f'''
from typing import Any

from chinwag.core.llm.routing import RouterLLM, RouterSpec, RoutingContext
from chinwag.hookspecs import hookimpl


class Asking(RouterLLM):
    """Small talk to the small model, the rest to the large one, as a judge model says."""

    def select_llm(self, messages: list[dict[str, Any]]) -> str:
        assert self.context.ask is not None
        question = [*messages, {{"role": "user", "content": {QUESTION!r}}}]
        answer = self.context.ask(self.llms_for_routing["large"], question)
        return "small" if answer.lower().startswith("yes") else "large"

    @classmethod
    def build(cls, context: RoutingContext) -> "Asking":
        llms = {{"large": "openai/gpt-4o", "small": "openai/gpt-4o-mini"}}
        return cls(router_name="asking", llms_for_routing=llms, context=context)


@hookimpl
def register_routers(register):
    register(RouterSpec("asking", "asks gpt-4o which model answers", Asking.build))
'''


@pytest.fixture
def openai(keys: KeyStore, home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WireServer]:
    folder.install(monkeypatch, "chinwag_asking_router", ASKING_ROUTER)
    with WireServer(openai_chat_sse(["Yes", ", it is."])) as server:
        keys.set("openai", SecretStr(KEY))
        settings, _ = settings_file.load()
        settings.provider_options = {"openai": {"base_url": server.url}}
        settings.auto_title = False
        settings_file.save(settings)
        yield server


def test_a_routers_question_is_sent_metered_and_its_answer_picks_the_model(
    openai: WireServer,
) -> None:
    services = app.build()
    try:
        conversation_id = services.store.create_conversation(Conversation(model="router/asking")).id
        reply = services.chat.send(conversation_id, "Nice weather today!")
        records = services.store.usage.records(conversation_id=conversation_id)
    finally:
        services.close()
    assert reply.status == MessageStatus.COMPLETE, reply.error
    assert reply.model == "openai/gpt-4o-mini"  # the judge said yes: small talk
    question, answer = openai.requests
    assert question.body["model"] == "gpt-4o"
    assert question.body["messages"][-1]["content"] == QUESTION
    assert answer.body["model"] == "gpt-4o-mini"
    assert [(r.usage_id, r.model, r.router) for r in records] == [
        ("router", "openai/gpt-4o", None),
        ("chat", "openai/gpt-4o-mini", "asking"),
    ]
