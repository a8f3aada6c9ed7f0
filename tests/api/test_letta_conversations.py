"""The official `letta-client` against the Letta Conversations endpoints, real local model."""

from __future__ import annotations

import threading
import time

import letta_client
import pytest
from letta_client import Letta
from letta_client.types import Conversation
from letta_client.types.agents import AssistantMessage, LettaResponse, UserMessage

from chinwag.core.conversations.branches import Branches
from chinwag.core.store import Store
from chinwag.core.types import DEFAULT_ASSISTANT_ID, Assistant, Message, MessageStatus, Role
from chinwag.core.types import Conversation as StoredConversation
from tests.api.conftest import Api


@pytest.fixture
def letta(api: Api) -> Letta:
    return Letta(base_url=api.url, api_key=api.token, max_retries=0)


@pytest.fixture
def agent_id(letta: Letta) -> str:
    agents = list(letta.agents.list())
    assert DEFAULT_ASSISTANT_ID in [a.id for a in agents]  # the built-in assistant is listed
    return DEFAULT_ASSISTANT_ID


def test_the_built_in_assistant_is_an_agent(letta: Letta, agent_id: str) -> None:
    agent = letta.agents.retrieve(agent_id)
    assert agent.id == agent_id and agent.name == "Assistant"
    assert agent.llm_config.handle and agent.llm_config.handle.startswith("local/")
    with pytest.raises(letta_client.NotFoundError):
        letta.agents.retrieve("agent-nope")


def test_an_agent_created_through_the_api_is_a_chinwag_assistant(letta: Letta, api: Api) -> None:
    agent = letta.agents.create(name="helper", system="Answer in French.")
    assert agent.name == "helper"
    assert letta.agents.retrieve(agent.id).id == agent.id
    stored = api.services.store.assistants.get(agent.id)
    assert (stored.name, stored.system_prompt) == ("helper", "Answer in French.")


def test_create_retrieve_update_list_delete(letta: Letta, agent_id: str, api: Api) -> None:
    created = letta.conversations.create(agent_id=agent_id, summary="first try")
    assert isinstance(created, Conversation)
    assert created.agent_id == agent_id and created.summary == "first try"
    assert created.created_at is not None and created.in_context_message_ids == []

    # the app sees the same conversation
    assert api.services.store.get_conversation(created.id).summary == "first try"

    fetched = letta.conversations.retrieve(created.id)
    assert fetched.id == created.id

    updated = letta.conversations.update(created.id, summary="renamed", description="A title")
    assert (updated.summary, updated.description) == ("renamed", "A title")
    assert api.services.store.get_conversation(created.id).title == "A title"

    other = letta.conversations.create(agent_id=agent_id)
    listed = [c.id for c in letta.conversations.list(agent_id=agent_id, order="asc")]
    assert listed.index(created.id) < listed.index(other.id)
    assert [c.id for c in letta.conversations.list(summary_search="renam")] == [created.id]

    letta.conversations.update(other.id, archived=True)
    assert other.id not in [c.id for c in letta.conversations.list()]
    assert [c.id for c in letta.conversations.list(archive_status="archived")] == [other.id]

    letta.conversations.delete(created.id)
    with pytest.raises(letta_client.NotFoundError):
        letta.conversations.retrieve(created.id)
    with pytest.raises(KeyError):
        api.services.store.get_conversation(created.id)


def test_unknown_agents_models_and_unsupported_parameters_get_4xx(
    letta: Letta, agent_id: str
) -> None:
    with pytest.raises(letta_client.NotFoundError):
        letta.conversations.create(agent_id="agent-nope")
    with pytest.raises(letta_client.BadRequestError, match="model"):
        letta.conversations.create(agent_id=agent_id, model="nope/none")
    with pytest.raises(letta_client.BadRequestError, match="context_window_limit"):
        letta.conversations.create(agent_id=agent_id, context_window_limit=1000)
    with pytest.raises(letta_client.UnprocessableEntityError):
        letta.conversations.create(
            agent_id=agent_id, model_settings={"provider_type": "openai", "temperature": 9}
        )
    conversation = letta.conversations.create(agent_id=agent_id)
    with pytest.raises(letta_client.BadRequestError, match="override_model"):
        letta.conversations.messages.create(
            conversation.id, input="hi", streaming=False, override_model="local/x"
        )


def test_settings_are_checked_against_the_model_of_the_conversations_assistant(
    letta: Letta, api: Api
) -> None:
    bot = api.services.store.assistants.create(Assistant(name="Remote", model="openai/gpt-4o"))
    settings = {"provider_type": "openai", "temperature": 0.5}
    created = letta.conversations.create(agent_id=bot.id, model_settings=settings)
    stored = api.services.store.get_conversation(created.id)
    assert stored.model is None and stored.model_settings == settings
    with pytest.raises(letta_client.UnprocessableEntityError):  # the assistant's provider's
        letta.conversations.update(created.id, model_settings={"provider_type": "local"})


# A small model can ramble to the end of its context; replies in these tests stay short.
SHORT = {"provider_type": "local", "max_output_tokens": 40}


def test_send_without_streaming_answers_and_stores_both_messages(
    letta: Letta, agent_id: str, api: Api
) -> None:
    conversation = letta.conversations.create(agent_id=agent_id, model_settings=SHORT)
    assert conversation.api_model_settings is not None
    # letta-client 1.12.1 always reads this endpoint as a stream; its generic `post`
    # parses the non-streaming JSON into the typed LettaResponse
    response = letta.post(
        f"/v1/conversations/{conversation.id}/messages",
        body={"input": "Say hello in one short sentence.", "streaming": False},
        cast_to=LettaResponse,
    )
    assert response.stop_reason.stop_reason == "end_turn"
    replies = [m for m in response.messages if isinstance(m, AssistantMessage)]
    assert len(replies) == 1 and isinstance(replies[0].content, str) and replies[0].content.strip()
    assert response.usage.completion_tokens and response.usage.completion_tokens > 0

    stored = api.services.store.list_messages(conversation.id)
    assert [m.role for m in stored] == [Role.USER, Role.ASSISTANT]
    assert stored[1].id == replies[0].id and stored[1].text == replies[0].content

    listed = list(letta.conversations.messages.list(conversation.id, order="asc"))
    assert (
        isinstance(listed[0], UserMessage)
        and listed[0].content == "Say hello in one short sentence."
    )
    assert isinstance(listed[1], AssistantMessage) and listed[1].id == stored[1].id
    newest_first = list(letta.conversations.messages.list(conversation.id))
    assert [m.id for m in newest_first] == [listed[1].id, listed[0].id]
    only_replies = list(
        letta.conversations.messages.list(
            conversation.id, include_return_message_types=["assistant_message"]
        )
    )
    assert [m.id for m in only_replies] == [stored[1].id]


def test_send_streaming_tokens_yields_letta_messages_then_stop_and_usage(
    letta: Letta, agent_id: str, api: Api
) -> None:
    conversation = letta.conversations.create(agent_id=agent_id, model_settings=SHORT)
    stream = letta.conversations.messages.create(
        conversation.id, input="Count from one to five.", stream_tokens=True
    )
    chunks = list(stream)
    kinds = [c.message_type for c in chunks]
    assert kinds.count("assistant_message") > 1
    assert kinds[-2:] == ["stop_reason", "usage_statistics"]
    text = "".join(c.content for c in chunks if c.message_type == "assistant_message")
    stored = api.services.store.list_messages(conversation.id)[-1]
    assert stored.text == text and stored.status == MessageStatus.COMPLETE
    assert {c.id for c in chunks if c.message_type == "assistant_message"} == {stored.id}
    assert [c.seq_id for c in chunks] == list(range(1, len(chunks) + 1))

    # the finished run can be read again from any point
    again = list(letta.conversations.messages.stream(conversation.id, starting_after=2))
    assert [c.seq_id for c in again] == [c.seq_id for c in chunks[2:]]


def test_streamed_chunks_carry_the_reply_id_on_a_branched_conversation(
    letta: Letta, agent_id: str, api: Api
) -> None:
    conversation = letta.conversations.create(agent_id=agent_id, model_settings=SHORT)
    store = api.services.store
    asked = store.add_message(Message.of_text(conversation.id, Role.USER, "Name a colour."))
    store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, "Blue."))
    Branches(store).edit(asked.id, "Name a fruit.")  # a second branch; the first stays stored
    stream = letta.conversations.messages.create(
        conversation.id, input="Count from one to three.", stream_tokens=True
    )
    chunks = list(stream)
    reply = store.list_messages(conversation.id)[-1]
    assert reply.role == Role.ASSISTANT and reply.text
    assert {c.id for c in chunks if c.message_type == "assistant_message"} == {reply.id}
    listed = list(letta.conversations.messages.list(conversation.id))
    assert listed[0].id == reply.id  # the id a client saw streaming is the one it can list


def test_cancel_stops_a_running_reply_and_keeps_its_partial_text(
    letta: Letta, agent_id: str, api: Api
) -> None:
    conversation = letta.conversations.create(agent_id=agent_id)
    assert letta.conversations.cancel(conversation.id) == {}
    seen: list[str] = []
    cancelled: dict[str, object] = {}

    def read() -> None:
        stream = letta.conversations.messages.create(
            conversation.id,
            input="Write a very long story about a dragon, at least five paragraphs.",
            stream_tokens=True,
        )
        for chunk in stream:
            seen.append(chunk.message_type or "")
            if seen.count("assistant_message") == 3 and not cancelled:
                cancelled.update(letta.conversations.cancel(conversation.id))

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(timeout=120)
    assert not reader.is_alive()
    assert len(cancelled) == 1 and next(iter(cancelled.values())) == "cancelled"
    assert seen[-2:] == ["stop_reason", "usage_statistics"]
    reply = api.services.store.list_messages(conversation.id)[-1]
    assert reply.status == MessageStatus.CANCELLED and reply.text


def test_compact_and_recompile_go_through_the_core(letta: Letta, agent_id: str, api: Api) -> None:
    conversation = letta.conversations.create(agent_id=agent_id, summary="Earlier: greetings.")
    store = api.services.store
    for i in range(3):
        store.add_message(Message.of_text(conversation.id, Role.USER, f"question {i}"))
        store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, f"answer {i}"))
    result = letta.conversations.messages.compact(
        conversation.id, compaction_settings={"mode": "all", "clip_chars": 80}
    )
    assert result.num_messages_before == 6
    assert result.num_messages_after < result.num_messages_before
    assert len(result.summary) <= 80
    assert store.count_messages(conversation.id) == 6  # compaction deletes nothing

    system = letta.conversations.recompile(conversation.id)
    assert isinstance(system, str)
    assert result.summary.splitlines()[0] in system  # the new summary is in the system prompt
    assert result.summary in (store.compiled_system(conversation.id) or "")


def test_a_second_send_while_one_runs_is_a_409(letta: Letta, agent_id: str) -> None:
    conversation = letta.conversations.create(agent_id=agent_id)
    stream = letta.conversations.messages.create(
        conversation.id, input="Write a long poem about the sea.", stream_tokens=True
    )
    first = next(iter(stream))
    assert first.message_type == "assistant_message"
    with pytest.raises(letta_client.ConflictError):
        letta.conversations.messages.create(conversation.id, input="hi", streaming=False)
    letta.conversations.cancel(conversation.id)
    stream.close()
    time.sleep(0.1)


def test_what_another_process_writes_to_the_store_is_served(
    letta: Letta, agent_id: str, api: Api
) -> None:
    """The desktop app opens the same SQLite file; its writes show up over the API."""
    app_store = Store(api.services.store.path)  # a second connection, as the app's
    try:
        conversation = app_store.create_conversation(StoredConversation(title="From the app"))
        app_store.add_message(Message.of_text(conversation.id, Role.USER, "typed in the window"))
    finally:
        app_store.close()
    served = letta.conversations.retrieve(conversation.id)
    assert served.description == "From the app"
    listed = list(letta.conversations.messages.list(conversation.id))
    assert [(m.message_type, m.content) for m in listed] == [
        ("user_message", "typed in the window")
    ]
