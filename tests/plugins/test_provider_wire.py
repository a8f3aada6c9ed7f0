"""Each provider plugin, driven through litellm as in production, against a local server
speaking that provider's wire format: the request it sends (path, key header taken from
the real keyring, mapped model settings) and the reply streamed into the conversation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from chinwag import app
from chinwag.core.system.keys import KeyStore
from chinwag.core.types import Conversation, MessageStatus
from tests.plugins.wire import (
    Reply,
    WireServer,
    anthropic_messages_sse,
    bedrock_converse_stream,
    gemini_sse,
    ollama_chat_ndjson,
    openai_chat_sse,
)

pytestmark = pytest.mark.keyring

KEY = "sk-wire-test-5f2c9a1e7b3d4c6a8e0f"
WORDS = ["Hel", "lo ", "there"]
SSE = "text/event-stream"


@dataclass
class Case:
    provider: str
    model: str
    settings: dict[str, Any]
    path: str
    body: dict[str, Any]
    auth: tuple[str, str] | None = ("authorization", f"Bearer {KEY}")
    reply: Callable[[list[str]], Reply] = openai_chat_sse
    content_type: str = SSE
    options: dict[str, Any] = field(default_factory=dict)
    base_suffix: str = ""
    reasoning: str = ""
    json_routes: dict[str, Any] = field(default_factory=dict)


def anthropic_with_thinking(words: list[str]) -> Reply:
    return anthropic_messages_sse(words, thinking="Let me think.")


def gemini_with_thought(words: list[str]) -> Reply:
    return gemini_sse(words, thought="Thinking it over.")


CASES = [
    Case(
        "openai",
        "o3-mini",
        {
            "reasoning": {"reasoning_effort": "low"},
            "response_format": {"type": "json_schema", "json_schema": {"name": "r"}},
            "strict": True,
        },
        "/chat/completions",
        {
            "reasoning_effort": "low",
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "r", "strict": True},
            },
        },
    ),
    Case(
        "openai",
        "gpt-4o-mini",
        {"max_output_tokens": 50, "temperature": 0.2, "parallel_tool_calls": True},
        "/chat/completions",
        {"max_tokens": 50, "temperature": 0.2},
    ),
    Case(
        "anthropic",
        "claude-sonnet-4-5",
        {"thinking": {"type": "enabled", "budget_tokens": 2048}, "max_output_tokens": 4096},
        "/v1/messages",
        {"thinking": {"type": "enabled", "budget_tokens": 2048}, "max_tokens": 4096},
        auth=("x-api-key", KEY),
        reply=anthropic_with_thinking,
        reasoning="Let me think.",
    ),
    Case(
        "anthropic",
        "claude-opus-4-5",
        {"effort": "high", "temperature": 0.5},
        "/v1/messages",
        {"output_config": {"effort": "high"}, "temperature": 0.5},
        auth=("x-api-key", KEY),
        reply=anthropic_messages_sse,
    ),
    Case(
        "google_ai",
        "gemini-2.5-flash",
        {
            "thinking_config": {"include_thoughts": True, "thinking_budget": 1024},
            "response_schema": {"type": "json_object"},
            "max_output_tokens": 40,
        },
        "/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
        {
            "generationConfig": {
                "max_output_tokens": 40,
                "response_mime_type": "application/json",
                "thinkingConfig": {"includeThoughts": True, "thinkingBudget": 1024},
            }
        },
        auth=("x-goog-api-key", KEY),
        reply=gemini_with_thought,
        reasoning="Thinking it over.",
    ),
    Case(
        "azure",
        "gpt-4o",
        {"temperature": 0.5, "response_format": {"type": "json_object"}},
        "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        {"temperature": 0.5, "response_format": {"type": "json_object"}},
        auth=("api-key", KEY),
        options={"api_version": "2024-10-21"},
    ),
    Case("xai", "grok-3", {"max_output_tokens": 30}, "/chat/completions", {"max_tokens": 30}),
    Case(
        "zai",
        "glm-4.6",
        {"thinking": {"type": "enabled", "clear_thinking": False}},
        "/chat/completions",
        {"thinking": {"type": "enabled", "clear_thinking": False}},
    ),
    Case(
        "groq",
        "llama-3.3-70b-versatile",
        {"temperature": 0.1},
        "/chat/completions",
        {"temperature": 0.1},
    ),
    Case(
        "deepseek",
        "deepseek-chat",
        {"max_output_tokens": 20},
        "/chat/completions",
        {"max_tokens": 20},
    ),
    Case(
        "together",
        "meta-llama/Llama-3.3-70B-Instruct-Turbo",
        {"temperature": 0.3},
        "/chat/completions",
        {"model": "meta-llama/Llama-3.3-70B-Instruct-Turbo", "temperature": 0.3},
    ),
    Case(
        "openrouter",
        "anthropic/claude-sonnet-4.5",
        {"max_output_tokens": 10},
        "/chat/completions",
        {"model": "anthropic/claude-sonnet-4.5", "max_tokens": 10},
    ),
    Case(
        "sglang",
        "qwen2.5",
        {"reasoning": {"reasoning_effort": "high"}, "tool_call_parser": "qwen25"},
        "/v1/chat/completions",
        {"reasoning_effort": "high"},
        base_suffix="/v1",
    ),
    Case(
        "openai_compatible",
        "my-model",
        {"temperature": 0.7},
        "/v1/chat/completions",
        {"model": "my-model", "temperature": 0.7},
        base_suffix="/v1",
    ),
    Case(
        "ollama",
        "llama3.2",
        {"temperature": 0.4, "max_output_tokens": 33},
        "/api/chat",
        {"model": "llama3.2", "options": {"temperature": 0.4, "num_predict": 33}},
        auth=None,
        reply=ollama_chat_ndjson,
        content_type="application/x-ndjson",
        # litellm asks Ollama about the model first
        json_routes={"/api/show": {"model_info": {"llama.context_length": 8192}}},
    ),
    Case(
        "bedrock",
        "anthropic.claude-3-5-sonnet-20240620-v1:0",
        {"max_output_tokens": 40, "temperature": 0.2},
        "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream",
        {"inferenceConfig": {"temperature": 0.2, "maxTokens": 40}},
        reply=bedrock_converse_stream,
        content_type="application/vnd.amazon.eventstream",
        options={"aws_region_name": "us-east-1"},
    ),
]


def _subset(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    return all(actual.get(k) == v for k, v in expected.items())


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.provider}-{c.model}")
def test_provider_sends_its_wire_request_and_the_reply_streams_into_the_conversation(
    case: Case, keys: KeyStore, provider_options: Callable[[dict[str, Any]], None]
) -> None:
    with WireServer(case.reply(WORDS), case.content_type, case.json_routes) as server:
        options = {"base_url": server.url + case.base_suffix, **case.options}
        provider_options({case.provider: options})
        services = app.build()
        try:
            provider = services.plugins.providers[case.provider]
            if provider.key_name:
                keys.set(provider.key_name, _secret(KEY))
            conversation = services.store.create_conversation(
                Conversation(
                    model=f"{case.provider}/{case.model}",
                    model_settings=case.settings,
                    title="Wire test",
                    title_set_by_user=True,  # so no automatic title call joins the request log
                )
            )
            reply = services.chat.send(conversation.id, "Say hello")
            stored = services.store.list_messages(conversation.id)[-1]
        finally:
            services.close()

    calls = [r for r in server.requests if r.path.split("?")[0] not in case.json_routes]
    assert [r.path for r in calls] == [case.path]
    request = calls[0]
    if case.auth is not None:
        name, value = case.auth
        assert request.headers.get(name) == value
    assert _subset(case.body, request.body), request.body
    assert "parallel_tool_calls" not in request.body  # no tools, so never sent
    assert reply.error is None
    assert (stored.status, stored.text) == (MessageStatus.COMPLETE, "".join(WORDS))
    assert stored.reasoning == case.reasoning


def _secret(value: str) -> Any:
    from pydantic import SecretStr

    return SecretStr(value)
