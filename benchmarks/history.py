"""Reading one long conversation: Store.get_conversation, context_messages, list_messages
and message_outline at 1k, 10k and 100k messages on one branch (what a reply and opening
a conversation cost as a conversation grows), and `open`: every store call the desktop app
makes to open a conversation and paint its last screen. Goal: `open` well under 100 ms at
10k (the first paint's budget is 200 ms); the reply path (get_conversation +
context_messages) should stay well under a frame's worth of work per 1,000 messages that
are out of context.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._common import emit, summary

SIZES = [1_000, 10_000, 100_000]
ROUNDS = 5
IN_CONTEXT = 40  # a compacted conversation: only the newest messages go to the model


def fill(store: Any, count: int, rng: random.Random) -> str:
    """One conversation of `count` messages on one branch, ~500 characters each."""
    from chinwag.core.store import branches
    from chinwag.core.types import Conversation, Message, Role

    words = ["sea", "lighthouse", "storm", "keeper", "night", "wave", "light", "ship"]
    conversation = store.create_conversation(Conversation(title=f"{count} messages"))
    with store.connection.transaction() as db:
        parent = None
        rows = []
        for seq in range(count):
            text = " ".join(rng.choices(words, k=80))
            role = Role.USER if seq % 2 == 0 else Role.ASSISTANT
            m = Message.of_text(conversation.id, role, text)
            rows.append((m.id, conversation.id, seq, role.value,
                         f'[{{"type":"text","text":"{text}"}}]', text, "complete",
                         m.created_at.isoformat(), m.created_at.isoformat(), parent))  # fmt: skip
            parent = m.id
        db.executemany(
            "INSERT INTO messages (id, conversation_id, seq, role, content, text, status, "
            "created_at, updated_at, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.execute(
            "UPDATE conversations SET leaf_id = ?, context_start = ? WHERE id = ?",
            (parent, count - IN_CONTEXT, conversation.id),
        )
        branches.keep(db, conversation.id, parent)  # as add_message keeps it, one at a time
    return str(conversation.id)


def timed(call: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def open_conversation(store: Any, cid: str) -> None:
    """The store calls of opening a conversation in the desktop app, up to its first paint
    (ConversationList, ConversationPane.open, MessageView.show_conversation, then painting
    the newest ~20 messages with their version arrows)."""
    from chinwag.core.conversations.branches import Branches

    store.get_conversation(cid)
    ids = [row[0] for row in store.message_outline(cid)]
    store.compactions.of(cid)
    store.conversation_totals(cid)
    branches = Branches(store)
    for message_id in ids[-20:]:
        store.get_message(message_id)
        branches.versions(message_id)


def measure(size: int, rng: random.Random) -> dict[str, Any]:
    from chinwag.core.store import Store

    store = Store(Path(tempfile.mkdtemp(prefix="chinwag-bench-")) / "chinwag.db")
    cid = fill(store, size, rng)
    try:
        return {
            "get_conversation_ms": summary(timed(lambda: store.get_conversation(cid))),
            "context_messages_ms": summary(timed(lambda: store.context_messages(cid))),
            "message_outline_ms": summary(timed(lambda: store.message_outline(cid))),
            "list_messages_page_ms": summary(
                timed(lambda: store.list_messages(cid, offset=size - 50, limit=50))
            ),
            "open_ms": summary(timed(lambda: open_conversation(store, cid))),
        }
    finally:
        store.close()


def main() -> None:
    rng = random.Random(5)
    results = {str(size): measure(size, rng) for size in SIZES}
    emit({"benchmark": "history", "in_context": IN_CONTEXT, "messages": results})


if __name__ == "__main__":
    main()
