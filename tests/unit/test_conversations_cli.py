"""Assistants, isolated blocks, summary edits and recompile through the CLI (no model)."""

from __future__ import annotations

import json
from typing import Any


def test_assistants_blocks_isolation_summary_and_recompile(cli: Any) -> None:
    blocks = ["--block", "persona=old salt", "--block", "human=Ada"]
    made = cli("assistants", "create", "Skipper", "--system", "Talk like a sailor.", *blocks)
    assert made.code == 0, made.stderr
    assistant = made.json()
    assert {b["label"] for b in assistant["blocks"]} == {"human", "persona"}
    listed = cli("assistants", "list", "--json").json()
    assert [a["name"] for a in listed] == ["Assistant", "Skipper"]  # the default exists

    created = cli("conversations", "create", "--assistant", "Skipper", "--isolate", "human",
                  "--model-settings", json.dumps({"temperature": 0.5}))  # fmt: skip
    assert created.code == 0, created.stderr
    conversation = created.json()
    assert conversation["agent_id"] == assistant["id"]
    assert len(conversation["isolated_block_ids"]) == 1
    assert conversation["model_settings"] == {"temperature": 0.5}
    cid = conversation["id"]

    # An isolated block edit stays here; a shared one reaches it only on recompile.
    assert cli("assistants", "block", "human", "Grace", "--conversation", cid).code == 0
    assert (
        cli("assistants", "block", "persona", "young deckhand", "--assistant", "Skipper").code == 0
    )
    other = cli("conversations", "create", "--assistant", "Skipper").json()
    assert "Ada" in cli("recompile", other["id"], "--json").json()["system"]
    system = cli("recompile", cid, "--json").json()["system"]
    assert "Talk like a sailor." in system and "Grace" in system and "young deckhand" in system

    updated = cli("conversations", "update", cid, "--summary", "They discussed knots.")
    assert updated.code == 0 and updated.json()["summary"] == "They discussed knots."
    assert "They discussed knots." in cli("recompile", cid, "--json").json()["system"]

    bad = cli("conversations", "create", "--assistant", "Skipper", "--isolate", "nope")
    assert bad.code == 2 and "no block nope" in bad.stderr
    assert cli("conversations", "create", "--assistant", "Nobody").code == 2
    assert cli("recompile", "nope").code == 2
    cancel = cli("cancel", cid, "--json")
    assert cancel.code == 0 and cancel.json() == {"cancelled": False}


def test_pinning_a_message_from_the_cli(cli: Any, home: Any) -> None:
    from chinwag.core.store import Store
    from chinwag.core.types import Message, Role

    cid = cli("conversations", "create").json()["id"]
    store = Store(home / "chinwag.db")
    message = store.add_message(Message.of_text(cid, Role.USER, "remember: the code is 42"))
    assert cli("messages", "pin", message.id).code == 0
    assert store.get_message(message.id).pinned
    assert cli("messages", "unpin", message.id).code == 0
    assert not store.get_message(message.id).pinned
    store.close()
    missing = cli("messages", "pin", "nope")
    assert missing.code == 2 and "message not found" in missing.stderr


def test_a_reader_that_stops_early_gets_no_traceback(home: Any) -> None:
    """`chinwag conversations list --json | head -1`: the CLI ends quietly on a closed pipe."""
    import os
    import subprocess
    import sys

    from chinwag.core.store import Store
    from chinwag.core.types import Conversation

    store = Store(home / "chinwag.db")
    for _ in range(100):  # a listing longer than the pipe's buffer
        store.create_conversation(Conversation(title="a title long enough to fill it " * 20))
    store.close()
    reader = subprocess.Popen(
        [sys.executable, "-m", "chinwag", "conversations", "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.read(10)
    reader.stdout.close()  # like `head`: stop reading before the listing is written
    stderr = reader.stderr.read().decode()
    reader.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
