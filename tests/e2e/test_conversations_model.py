"""Conversations against the real local model (SmolLM2-135M through llama.cpp).

The compaction test gives the model a 512-token window (CHINWAG_LOCAL_N_CTX), so a
modest history forces compaction the way a long one would on a real model.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.store import Store
from chinwag.core.types import Message, MessageStatus, Role

pytestmark = pytest.mark.local_model

SHORT = json.dumps({"max_output_tokens": 40})


def created(cli: Any, *args: str) -> str:
    result = cli("conversations", "create", *args)
    assert result.code == 0, result.stderr
    return str(result.json()["id"])


def seed_turns(home: Path, conversation_id: str, turns: int) -> None:
    store = Store(home / "chinwag.db")
    try:
        for i in range(turns):
            question = f"Question {i}: my boat number {i} is called Wave{i}; what colour suits it?"
            answer = f"Answer {i}: paint Wave{i} deep sea blue with a white stripe on the hull."
            store.add_message(Message.of_text(conversation_id, Role.USER, question))
            store.add_message(Message.of_text(conversation_id, Role.ASSISTANT, answer))
    finally:
        store.close()


def test_compaction_with_a_small_window_keeps_every_row_and_replies_go_on(
    cli: Any, home: Path, with_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHINWAG_LOCAL_N_CTX", "512")
    conversation_id = created(cli, "--title", "Boats", "--model-settings", SHORT)
    seed_turns(home, conversation_id, 8)

    # The next request would exceed 90% of 512 tokens: it compacts itself first.
    chat = cli("chat", "-c", conversation_id, "--json", "What was my first boat called?")
    assert chat.code == 0, chat.stderr
    assert chat.json()["status"] == "complete" and chat.json()["text"]
    shown = cli("conversations", "show", conversation_id, "--json").json()
    assert len(shown["messages"]) == 18  # 16 seeded + question + answer: nothing removed
    [automatic] = shown["compactions"]
    assert automatic["mode"] == "sliding_window"
    assert automatic["num_messages_before"] == 17
    assert 0 < automatic["num_messages_after"] < 17
    assert len(shown["in_context_message_ids"]) == automatic["num_messages_after"] + 1
    assert shown["summary"] == automatic["summary"] and shown["summary"]
    kept = [m for m in shown["messages"] if m["id"] in shown["in_context_message_ids"]]
    assert kept[0]["role"] == "user"  # the cut fell at a turn boundary

    # Compact everything by hand, with a clipped summary.
    before = len(shown["in_context_message_ids"])
    result = cli("compact", conversation_id, "--mode", "all", "--clip-chars", "60", "--json")
    assert result.code == 0, result.stderr
    compacted = result.json()
    assert compacted["num_messages_before"] == before
    assert compacted["num_messages_after"] == 0
    assert 0 < len(compacted["summary"]) <= 60

    after = cli("conversations", "show", conversation_id, "--json").json()
    assert len(after["messages"]) == 18 and after["in_context_message_ids"] == []
    assert len(after["compactions"]) == 2
    found = cli("conversations", "list", "--json", "--search", "Wave0").json()
    assert [c["id"] for c in found] == [conversation_id]  # evicted, still searchable

    again = cli("chat", "-c", conversation_id, "--json", "Thanks, and goodbye.")
    assert again.code == 0, again.stderr
    assert again.json()["status"] == "complete"
    final = cli("conversations", "show", conversation_id, "--json").json()
    assert len(final["messages"]) == 20 and len(final["in_context_message_ids"]) == 2


def test_compact_rejects_bad_settings_and_unknown_ids(cli: Any, with_model: Path) -> None:
    conversation_id = created(cli)
    bad = cli("compact", conversation_id, "--sliding-window-percentage", "1.5")
    assert bad.code == 2 and "sliding_window_percentage" in bad.stderr
    assert cli("compact", conversation_id, "--clip-chars", "0").code == 2
    unknown = cli("compact", "nope")
    assert unknown.code == 2 and "conversation not found" in unknown.stderr
    empty = cli("compact", conversation_id, "--json")  # nothing to compact: a no-op
    assert empty.code == 0 and empty.json()["num_messages_after"] == 0


def test_title_bounds_unknown_ids_and_user_titles(cli: Any, home: Path, with_model: Path) -> None:
    conversation_id = created(cli, "--model-settings", SHORT)
    seed_turns(home, conversation_id, 1)
    for bad in ("0", "201"):
        result = cli("title", conversation_id, "--max-length", bad, "--json")
        assert result.code == 2 and "max_length" in result.stderr, result.stderr
    unknown = cli("title", "nope", "--json")
    assert unknown.code == 2 and "conversation not found" in unknown.stderr
    for limit in ("1", "50", "200"):
        result = cli("title", conversation_id, "--max-length", limit, "--json")
        assert result.code == 0, result.stderr
        title = result.json()["title"]
        assert 1 <= len(title) <= int(limit)
    assert cli("conversations", "show", conversation_id, "--json").json()["title"] == title
    assert cli("conversations", "update", conversation_id, "--title", "My boats").code == 0
    assert cli("title", conversation_id, "--json").code == 0
    assert cli("conversations", "show", conversation_id, "--json").json()["title"] == "My boats"


def test_the_first_exchange_titles_a_conversation(cli: Any, with_model: Path) -> None:
    conversation_id = created(cli, "--model-settings", SHORT)
    chat = cli("chat", "-c", conversation_id, "--json", "How do I tie a bowline knot?")
    assert chat.code == 0 and chat.json()["status"] == "complete", chat.stderr
    title = cli("conversations", "show", conversation_id, "--json").json()["title"]
    assert title and len(title) <= 50


@pytest.fixture
def streaming_chat(cli: Any, with_model: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    # Greedy decoding makes this prompt loop until the token cap (measured: 3,700
    # characters), so the reply is still streaming whenever the cancel arrives.
    settings = json.dumps({"max_output_tokens": 1500, "temperature": 0})
    conversation_id = created(cli, "--title", "Rowing", "--model-settings", settings)
    process = subprocess.Popen(
        [sys.executable, "-m", "chinwag", "chat", "-c", conversation_id, "--json",
         "Repeat the word 'row' five hundred times."],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )  # fmt: skip
    yield conversation_id, process
    if process.poll() is None:
        process.kill()
    process.communicate()


def test_cancel_from_another_process_keeps_the_partial_reply(
    cli: Any, home: Path, streaming_chat: tuple[str, subprocess.Popen[str]]
) -> None:
    conversation_id, process = streaming_chat
    store = Store(home / "chinwag.db")
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            replies = [m for m in store.list_messages(conversation_id) if m.role == Role.ASSISTANT]
            if replies and replies[0].status == MessageStatus.STREAMING and replies[0].text:
                break
            assert process.poll() is None, process.communicate()
            time.sleep(0.2)
        else:
            pytest.fail("the reply never started streaming")
        cancel = cli("cancel", conversation_id, "--json")
        assert cancel.code == 0 and cancel.json() == {"cancelled": True}
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert json.loads(out)["status"] == "cancelled"
        reply = store.get_message(replies[0].id)
        assert reply.status == MessageStatus.CANCELLED and reply.text
        assert not store.cancel_requested(conversation_id)  # the flag does not outlive it
        assert cli("cancel", conversation_id, "--json").json() == {"cancelled": False}
    finally:
        store.close()


def test_regenerate_edit_and_select_versions_from_the_cli(
    cli: Any, home: Path, with_model: Path
) -> None:
    conversation_id = created(cli, "--title", "Knots", "--model-settings", SHORT)
    seed_turns(home, conversation_id, 2)
    listed = cli("branches", "list", conversation_id, "--json").json()
    first_answer = listed[1]["id"]
    regenerated = cli("branches", "regenerate", first_answer, "--json")
    assert regenerated.code == 0 and regenerated.json()["status"] == "complete"
    listed = cli("branches", "list", conversation_id, "--json").json()
    assert len(listed) == 2  # the branch now ends at the new answer
    assert (listed[1]["index"], listed[1]["count"]) == (2, 2)
    assert listed[1]["version_ids"][0] == first_answer

    assert cli("branches", "select", first_answer).code == 0
    listed = cli("branches", "list", conversation_id, "--json").json()
    assert [m["id"] for m in listed][1] == first_answer and len(listed) == 4

    edited = cli("branches", "edit", listed[2]["id"], "Which knot for a mooring?", "--no-reply")
    assert edited.code == 0
    listed = cli("branches", "list", conversation_id, "--json").json()
    assert listed[-1]["text"] == "Which knot for a mooring?" and listed[-1]["count"] == 2
    assert cli("branches", "edit", first_answer, "x").code == 2  # replies are regenerated
    assert len(cli("conversations", "show", conversation_id, "--json").json()["messages"]) == 3
    store = Store(home / "chinwag.db")
    assert store.count_messages(conversation_id) == 6
    store.close()
