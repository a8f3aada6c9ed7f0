"""The official `openai` client against /v1/models and /v1/chat/completions."""

from __future__ import annotations

import openai
import pytest
from openai import OpenAI

from tests.api.conftest import Api


@pytest.fixture
def client(api: Api) -> OpenAI:
    return OpenAI(base_url=f"{api.url}/v1", api_key=api.token, max_retries=0)


def local_model(client: OpenAI) -> str:
    handles = [m.id for m in client.models.list()]
    local = [h for h in handles if h.startswith("local/")]
    assert local, handles
    return local[0]


def test_models_lists_every_reachable_model_by_handle(client: OpenAI, api: Api) -> None:
    listed = {m.id: m for m in client.models.list()}
    expected = {m.handle for m in api.services.catalog.models()}
    assert set(listed) == expected
    assert all(m.object == "model" and m.owned_by == m.id.split("/")[0] for m in listed.values())


def test_a_completion_is_answered_by_the_local_model(client: OpenAI) -> None:
    model = local_model(client)
    completion = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": "Say hello in one short sentence."}],
        max_tokens=24,
    )
    assert completion.object == "chat.completion"
    assert completion.model == model
    choice = completion.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content and choice.message.content.strip()
    assert choice.finish_reason in {"stop", "length"}
    assert completion.usage is not None and completion.usage.completion_tokens > 0


def test_a_streamed_completion_arrives_in_chunks_with_usage_last(client: OpenAI) -> None:
    stream = client.chat.completions.create(
        model=local_model(client),
        messages=[{"role": "user", "content": "Count from one to five."}],
        max_tokens=32,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.strip()
    assert sum(1 for c in chunks if c.choices and c.choices[0].delta.content) > 1
    assert any(c.choices and c.choices[0].finish_reason for c in chunks)
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens > 0


def test_unknown_models_and_unsupported_parameters_are_refused(client: OpenAI) -> None:
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(
            model="nope/none", messages=[{"role": "user", "content": "hi"}]
        )
    with pytest.raises(openai.UnprocessableEntityError, match="tools"):
        client.chat.completions.create(
            model=local_model(client),
            messages=[{"role": "user", "content": "hi"}],
            tools=[{"type": "function", "function": {"name": "f", "parameters": {}}}],
        )


def test_completions_are_not_stored_as_conversations(client: OpenAI, api: Api) -> None:
    before = len(api.services.store.list_conversations(include_archived=True))
    client.chat.completions.create(
        model=local_model(client), messages=[{"role": "user", "content": "Hi"}], max_tokens=4
    )
    assert len(api.services.store.list_conversations(include_archived=True)) == before
