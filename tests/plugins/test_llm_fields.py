"""Each LLMConfig field, seen on the wire: the production backend drives litellm against a
local server speaking the provider's real format, and the test reads what arrived."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from chinwag.core.llm.backend import (
    Cancel,
    ChatRequest,
    Done,
    Notice,
    StreamEvent,
    TextDelta,
    UsageEvent,
)
from chinwag.core.llm.config import LLMConfig
from chinwag.core.llm.fields import SAMPLING
from chinwag.core.llm.litellm_backend import LiteLLMBackend
from tests.plugins.wire import Recorded, Reply, WireServer, anthropic_messages_sse, openai_chat_sse

KEY = SecretStr("sk-fields-test-0a1b2c3d4e5f")
HELLO = [{"role": "user", "content": "Hello"}]
WORDS = ["Fine ", "thanks"]


def call(
    reply: Reply,
    messages: list[dict[str, Any]] = HELLO,
    json_routes: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    **fields: Any,
) -> tuple[Recorded, list[StreamEvent]]:
    """One call through the backend; the request the server saw and the events yielded."""
    with WireServer(reply, json_routes=json_routes) as server:
        config = LLMConfig(api_key=KEY, base_url=server.url, num_retries=0, **fields)
        request = ChatRequest(config=config, messages=messages, extra=extra or {})
        events = list(LiteLLMBackend().stream(request, Cancel()))
        [recorded] = server.requests
    return recorded, events


def openai(**fields: Any) -> dict[str, Any]:
    recorded, events = call(openai_chat_sse(WORDS), model="openai/gpt-4o-mini", **fields)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Fine thanks"
    return recorded.body


def anthropic(model: str = "claude-sonnet-4-20250514", **fields: Any) -> dict[str, Any]:
    recorded, events = call(anthropic_messages_sse(WORDS), model=f"anthropic/{model}", **fields)
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "Fine thanks"
    return recorded.body


def test_top_p_reaches_openai() -> None:
    assert openai(top_p=0.9)["top_p"] == 0.9


def test_top_k_reaches_anthropic() -> None:
    body = anthropic(top_k=40, reasoning_effort="none")
    assert body["top_k"] == 40


def test_top_p_left_at_one_is_not_sent() -> None:
    assert "top_p" not in openai()


def test_a_message_over_max_message_chars_is_clipped_head_and_tail() -> None:
    messages = [
        {"role": "system", "content": "Short."},
        {"role": "user", "content": [{"type": "text", "text": "abcdefghijk"}]},
        {"role": "assistant", "content": "0123456789"},
        {"role": "user", "content": "ABCDEFGHIJK"},
    ]
    recorded, _ = call(
        openai_chat_sse(WORDS), messages, model="openai/gpt-4o-mini", max_message_chars=10
    )
    sent = [m["content"] for m in recorded.body["messages"]]
    clipped = "abcde\n[... 1 characters cut ...]\nghijk"
    assert sent == [
        "Short.",
        [{"type": "text", "text": clipped}],
        "0123456789",  # exactly at the limit: whole
        "ABCDE\n[... 1 characters cut ...]\nGHIJK",
    ]


WHOLE_REPLY = {
    "id": "chatcmpl-whole",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4o-mini",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "All at once"},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
}


def test_stream_false_sends_one_request_and_yields_the_whole_reply() -> None:
    recorded, events = call(
        openai_chat_sse(WORDS),
        json_routes={"/chat/completions": WHOLE_REPLY},
        model="openai/gpt-4o-mini",
        stream=False,
    )
    assert not recorded.body.get("stream")
    assert "stream_options" not in recorded.body
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["All at once"]
    [usage] = [e.usage for e in events if isinstance(e, UsageEvent)]
    assert (usage.prompt_tokens, usage.completion_tokens) == (5, 3)
    assert isinstance(events[-1], Done)


def test_stream_unset_or_true_streams() -> None:
    assert openai()["stream"] is True
    assert openai(stream=True)["stream"] is True


def test_claude_gets_thinking_with_the_budget_kept_under_max_tokens() -> None:
    body = anthropic(extended_thinking_budget=2048, max_output_tokens=4096)
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert body["max_tokens"] == 4096
    assert not SAMPLING & body.keys()  # Anthropic refuses them next to thinking
    default = anthropic()  # budget 200000: cut to the model's output limit
    assert default["thinking"]["budget_tokens"] == default["max_tokens"] - 1


def test_no_thinking_when_the_output_limit_leaves_no_room_for_it() -> None:
    model = "anthropic/claude-sonnet-4-20250514"
    test, _ = call(anthropic_messages_sse(WORDS), model=model, extra={"max_tokens": 1})
    assert "thinking" not in test.body  # a connection test's one token
    assert test.body["max_tokens"] == 1
    title = anthropic(max_output_tokens=32)
    assert "thinking" not in title
    assert title["max_tokens"] == 32


def test_reasoning_effort_none_sends_no_thinking() -> None:
    body = anthropic(reasoning_effort="none")
    assert "thinking" not in body
    assert "temperature" not in body  # a reasoning model: the provider's default


def test_an_openai_reasoning_model_gets_reasoning_effort() -> None:
    recorded, _ = call(openai_chat_sse(WORDS), model="openai/o3-mini", reasoning_effort="medium")
    assert recorded.body["reasoning_effort"] == "medium"
    assert "temperature" not in recorded.body  # the provider's default on a reasoning model


def test_a_plain_openai_model_gets_no_reasoning_effort_and_temperature_zero() -> None:
    body = openai()
    assert "reasoning_effort" not in body
    assert body["temperature"] == 0
    assert openai(temperature=0.7)["temperature"] == 0.7


CHAT = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "First"},
    {"role": "assistant", "content": "Ok"},
    {"role": "user", "content": "Second"},
]


def anthropic_cache_marks(**fields: Any) -> tuple[Any, list[Any]]:
    recorded, _ = call(
        anthropic_messages_sse(WORDS),
        CHAT,
        model="anthropic/claude-sonnet-4-20250514",
        reasoning_effort="none",
        **fields,
    )
    system = [block.get("cache_control") for block in recorded.body["system"]]
    turns = [
        [block.get("cache_control") for block in message["content"]]
        if isinstance(message["content"], list)
        else [None]
        for message in recorded.body["messages"]
    ]
    return system, turns


def test_caching_prompt_marks_the_system_prompt_and_the_last_user_turn() -> None:
    system, turns = anthropic_cache_marks()
    assert system == [{"type": "ephemeral"}]
    assert turns == [[None], [None], [{"type": "ephemeral"}]]


def test_caching_prompt_off_marks_nothing() -> None:
    system, turns = anthropic_cache_marks(caching_prompt=False)
    assert system == [None]
    assert turns == [[None], [None], [None]]


def test_openrouter_attribution_comes_from_the_config_not_litellm() -> None:
    recorded, _ = call(
        openai_chat_sse(WORDS),
        model="openrouter/openai/gpt-4o-mini",
        openrouter_site_url="https://chinwag.example/",
        openrouter_app_name="Chinwag",
    )
    assert recorded.headers["http-referer"] == "https://chinwag.example/"
    assert recorded.headers["x-title"] == "Chinwag"
    defaults, _ = call(openai_chat_sse(WORDS), model="openrouter/openai/gpt-4o-mini")
    assert (defaults.headers["http-referer"], defaults.headers["x-title"]) == (
        "https://docs.all-hands.dev/",
        "OpenHands",
    )


PICTURE = [
    {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
        ],
    }
]


def test_disable_vision_drops_images_and_says_so() -> None:
    recorded, events = call(
        openai_chat_sse(WORDS), PICTURE, model="openai/gpt-4o-mini", disable_vision=True
    )
    [message] = recorded.body["messages"]
    assert message["content"] == [{"type": "text", "text": "What is this?"}]
    assert [e.text for e in events if isinstance(e, Notice)] == [
        "1 image(s) not sent: vision is off for this model"
    ]
    recorded, events = call(openai_chat_sse(WORDS), PICTURE, model="openai/gpt-4o-mini")
    assert recorded.body["messages"][0]["content"][1]["type"] == "image_url"
    assert not any(isinstance(e, Notice) for e in events)
