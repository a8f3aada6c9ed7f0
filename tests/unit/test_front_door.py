"""The front door's own rules, on the real composition root (store, plugins, catalog)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chinwag.app import Services, build
from chinwag.core.types import Assistant, Role, TextPart


@pytest.fixture
def services(with_model: Path) -> Iterator[Services]:
    built = build()
    yield built
    built.close()


def test_an_edit_of_details_reaches_what_the_model_sees(services: Services) -> None:
    conversations = services.conversations
    conversation = conversations.create()
    assert conversation.title is None and not conversation.title_set_by_user

    updated = conversations.update(conversation.id, summary="They talked of knots.")
    assert "They talked of knots." in (conversations.compiled_system(conversation.id) or "")
    assert updated.summary == "They talked of knots."

    renamed = conversations.update(conversation.id, title="Knots")
    assert renamed.title == "Knots" and renamed.title_set_by_user  # the titler keeps off it
    with pytest.raises(ValueError, match="leaf_id"):
        conversations.update(conversation.id, leaf_id=None)


def test_a_title_given_at_creation_is_the_users(services: Services) -> None:
    created = services.conversations.create(title="Boats", system_prompt="Talk like a sailor.")
    assert created.title == "Boats" and created.title_set_by_user
    assert "Talk like a sailor." in (services.conversations.compiled_system(created.id) or "")


def test_the_last_message_is_the_chosen_branchs(services: Services) -> None:
    conversations = services.conversations
    conversation = conversations.create()
    assert conversations.last_message(conversation.id) is None
    asked = conversations.add_user_message(conversation.id, [TextPart(text="Name a colour.")])
    services.store.add_message(
        asked.model_copy(update={"id": "reply-1", "role": Role.ASSISTANT, "parent_id": asked.id})
    )
    edited = conversations.edit(asked.id, "Name a fruit.")
    last = conversations.last_message(conversation.id)
    assert last is not None and last.id == edited.id
    assert [m.id for m in conversations.messages(conversation.id)] == [edited.id]


def test_a_new_conversation_gets_its_assistants_model(services: Services) -> None:
    conversations = services.conversations
    own = services.catalog.models()[-1].handle
    bot = conversations.create_assistant(Assistant(name="Own", model=own))
    assert conversations.model_for_new(assistant_id=bot.id) == own
    assert conversations.model_for_new() == services.catalog.default_handle()
    assert conversations.model_for_new("local/elsewhere", bot.id) == "local/elsewhere"
    conversation = conversations.create(bot.id)
    assert conversations.model_of(conversation) == own == services.chat.model_of(conversation)
