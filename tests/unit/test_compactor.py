"""Planning and applying a compaction on the real store and plugins (the summary is given,
so no model runs here; tests/e2e runs the whole thing with the real model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chinwag.app import Services, build
from chinwag.core.conversations.compaction import CompactionSettings
from chinwag.core.types import Assistant, Message, Role


@pytest.fixture
def services(with_model: Path) -> Iterator[Services]:
    built = build()
    yield built
    built.close()


def long_conversation(services: Services, turns: int, size: int) -> tuple[str, list[Message]]:
    conversation = services.conversations.create(title="Long")
    added = []
    for i in range(turns):
        for role in (Role.USER, Role.ASSISTANT):
            text = f"{role.value} {i} " + "lorem ipsum " * size
            added.append(services.store.add_message(Message.of_text(conversation.id, role, text)))
    return conversation.id, added


def test_a_long_conversation_needs_compaction_and_a_short_one_does_not(services: Services) -> None:
    short, _ = long_conversation(services, 2, 10)
    assert not services.compactor.needs_compaction(short)
    long, _ = long_conversation(services, 12, 300)  # ~12 * 2 * 1200 tokens by the estimate
    assert services.compactor.needs_compaction(long)


def test_pinned_messages_stay_in_context_and_nothing_is_deleted(services: Services) -> None:
    conversation_id, added = long_conversation(services, 12, 300)
    services.store.set_pinned(added[0].id, True)
    plan = services.compactor.plan(conversation_id, CompactionSettings(mode="sliding_window"))
    assert added[0].id not in {m.id for m in plan.evicted}
    assert plan.kept[0].id == added[0].id and plan.evicted[-1].role == Role.ASSISTANT
    result = services.compactor.apply(plan, "x" * 5000)
    assert len(result.summary) <= CompactionSettings().clip_chars  # type: ignore[operator]
    conversation = services.store.get_conversation(conversation_id)
    assert conversation.in_context_message_ids[0] == added[0].id
    assert len(conversation.in_context_message_ids) == result.num_messages_after
    assert result.num_messages_before == 24 > result.num_messages_after
    assert services.store.count_messages(conversation_id) == 24
    assert not services.compactor.needs_compaction(conversation_id)
    [marker] = services.store.compactions.of(conversation_id)
    assert marker.last_evicted_id == plan.evicted[-1].id
    assert "x" * 100 in services.assistants.system_of(conversation)  # the summary is seen


def test_all_mode_evicts_every_finished_turn(services: Services) -> None:
    conversation_id, added = long_conversation(services, 3, 5)
    plan = services.compactor.plan(conversation_id, CompactionSettings(mode="self_compact_all"))
    assert [m.id for m in plan.evicted] == [m.id for m in added] and plan.kept == []
    assert plan.model == services.chat.model_of(services.store.get_conversation(conversation_id))


def test_chat_compaction_and_the_front_door_agree_on_the_answering_model(
    services: Services,
) -> None:
    models = services.catalog.models()
    own = models[-1].handle
    bot = services.store.assistants.create(Assistant(name="Own model", model=own))
    conversation = services.conversations.create(bot.id)
    for turn in range(3):
        services.store.add_message(Message.of_text(conversation.id, Role.USER, f"q{turn}"))
        services.store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, f"a{turn}"))
    plan = services.compactor.plan(conversation.id, CompactionSettings(mode="self_compact_all"))
    assert plan.model == own == services.chat.model_of(conversation)
    assert services.conversations.model_of(conversation) == own
