"""OpenHands POST /api/conversations/{conversation_id}/generate_title, real local model."""

from __future__ import annotations

import uuid

import httpx

from chinwag.core.types import Conversation, Message, Role
from tests.api.conftest import Api


def talk(api: Api) -> str:
    store = api.services.store
    conversation = store.create_conversation(Conversation())
    store.add_message(
        Message.of_text(conversation.id, Role.USER, "How do I bake sourdough bread at home?")
    )
    store.add_message(
        Message.of_text(conversation.id, Role.ASSISTANT, "Feed a starter, mix, proof, bake hot.")
    )
    return conversation.id


def path(conversation_id: str) -> str:
    return f"/api/conversations/{conversation_id}/generate_title"


def test_a_title_is_generated_within_max_length(api: Api, http: httpx.Client) -> None:
    conversation_id = talk(api)
    default = http.post(path(conversation_id), json={})
    assert default.status_code == 200, default.text
    title = default.json()["title"]
    assert 0 < len(title) <= 50
    short = http.post(path(conversation_id), json={"max_length": 12}).json()["title"]
    assert 0 < len(short) <= 12
    # returned, not stored: the caller decides
    assert api.services.store.get_conversation(conversation_id).title is None


def test_the_llm_override_picks_a_chinwag_model(api: Api, http: httpx.Client) -> None:
    conversation_id = talk(api)
    handle = api.services.catalog.default_handle()
    chosen = http.post(
        path(conversation_id), json={"llm": {"model": handle, "temperature": 0}, "max_length": 30}
    )
    assert chosen.status_code == 200 and 0 < len(chosen.json()["title"]) <= 30
    unknown = http.post(path(conversation_id), json={"llm": {"model": "nope/none"}})
    assert unknown.status_code == 404


def test_invalid_input_is_a_422_with_located_details(api: Api, http: httpx.Client) -> None:
    conversation_id = talk(api)
    for body, field in [
        ({"max_length": 0}, "max_length"),
        ({"max_length": 201}, "max_length"),
        ({"max_length": "long"}, "max_length"),
        ({"llm": {"model": "local/x", "api_key": "sk-mine"}}, "api_key"),
        ({"llm": {"model": "local/x", "base_url": "http://example.com"}}, "base_url"),
        ({"surprise": 1}, "surprise"),
    ]:
        response = http.post(path(conversation_id), json=body)
        assert response.status_code == 422, body
        detail = response.json()["detail"]
        assert all({"loc", "msg", "type"} <= set(d) for d in detail)
        assert any(d["loc"][-1] == field for d in detail), detail
    not_a_uuid = http.post(path("not-a-uuid"), json={})
    assert not_a_uuid.status_code == 422
    assert not_a_uuid.json()["detail"][0]["loc"] == ["path", "conversation_id"]


def test_an_unknown_conversation_is_a_404(http: httpx.Client) -> None:
    response = http.post(path(str(uuid.uuid4())), json={})
    assert response.status_code == 404 and response.json() == {"detail": "conversation not found"}
