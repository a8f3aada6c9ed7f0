"""The two cheap queries the desktop view needs: message outline and conversation totals."""

from __future__ import annotations

from chinwag.core.store import Store
from chinwag.core.types import Conversation, Message, Role, Usage


def test_outline_gives_ids_sizes_and_line_breaks_in_order(store: Store) -> None:
    c = store.create_conversation(Conversation())
    a = store.add_message(Message.of_text(c.id, Role.USER, "one\ntwo\nthree"))
    b = store.add_message(Message.of_text(c.id, Role.ASSISTANT, "hi", reasoning="think"))
    assert store.message_outline(c.id) == [(a.id, 13, 2), (b.id, 7, 0)]


def test_totals_sum_tokens_and_known_costs(store: Store) -> None:
    c = store.create_conversation(Conversation())
    assert store.conversation_totals(c.id) == (0, None)
    store.add_message(Message.of_text(c.id, Role.USER, "q"))
    store.add_message(
        Message.of_text(c.id, Role.ASSISTANT, "a", usage=Usage(prompt_tokens=10,
                        completion_tokens=5), cost=0.25)
    )  # fmt: skip
    store.add_message(
        Message.of_text(c.id, Role.ASSISTANT, "b", usage=Usage(prompt_tokens=3,
                        completion_tokens=2), cost=None)
    )  # fmt: skip
    assert store.conversation_totals(c.id) == (20, 0.25)


def test_totals_read_a_narrow_index_not_the_message_rows(store: Store) -> None:
    """At 100k messages reading the rows (text and all) cost ~4x the index (m005)."""
    c = store.create_conversation(Conversation())
    traced: list[str] = []
    with store.connection.reading() as db:
        db.set_trace_callback(traced.append)
        store.conversation_totals(c.id)
        db.set_trace_callback(None)
        plan = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {traced[-1]}"))
    assert "COVERING INDEX messages_costs" in plan
