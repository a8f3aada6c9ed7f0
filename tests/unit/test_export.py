"""Export and import: lossless JSON round trip, readable Markdown, malformed files refused."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.conversations.branches import Branches
from chinwag.core.conversations.export import InvalidExport, import_data, parse, to_json
from chinwag.core.conversations.markdown_export import to_markdown
from chinwag.core.conversations.records import ConversationRecords
from chinwag.core.store import Store
from chinwag.core.types import (
    Assistant,
    Compaction,
    ImagePart,
    Message,
    MessageStatus,
    Role,
    TextPart,
    Usage,
)  # fmt: skip


def rich_conversation(store: Store) -> str:
    """Every kind of thing a conversation holds: blocks, overrides, branches, a marker."""
    bot = store.assistants.create(
        Assistant(name="Tutor", system_prompt="Teach.", model_settings={"temperature": 0.3}),
        {"persona": "patient", "human": "a student"},
    )
    c = ConversationRecords(store).create(
        bot.id, model="local/x", model_settings={"max_output_tokens": 64},
        isolated_block_labels=["human"], title="Fractions",
    )  # fmt: skip
    q = store.add_message(Message(conversation_id=c.id, role=Role.USER, content=[
        TextPart(text="What is 1/2 + 1/4?"), ImagePart(data="aGVsbG8=")]))  # fmt: skip
    a = store.add_message(Message.of_text(
        c.id, Role.ASSISTANT, "3/4", usage=Usage(prompt_tokens=9, completion_tokens=3),
        cost=0.0, latency_ms=12.5, model="local/x", reasoning="add quarters"))  # fmt: skip
    q2 = store.add_message(Message.of_text(c.id, Role.USER, "And 1/3 + 1/3?"))
    store.add_message(Message.of_text(c.id, Role.ASSISTANT, "2/3 (cut off)",
                                      status=MessageStatus.CANCELLED))  # fmt: skip
    store.compactions.record(Compaction(
        conversation_id=c.id, mode="sliding_window", model="local/x", summary="Added halves.",
        context_start_before=0, context_start_after=2, first_kept_id=q2.id,
        last_evicted_id=a.id, num_messages_before=4, num_messages_after=2))  # fmt: skip
    Branches(store).edit(q.id, "What is 1/2 + 1/2?")
    store.add_message(Message.of_text(c.id, Role.ASSISTANT, "1", status=MessageStatus.ERROR,
                                      error="boom"))  # fmt: skip
    return c.id


def without_stamp(text: str) -> dict[str, Any]:
    data = json.loads(text)
    data.pop("exported_at")
    return data


def test_export_then_import_elsewhere_is_identical(store: Store, tmp_path: Path) -> None:
    conversation_id = rich_conversation(store)
    exported = to_json(store, conversation_id)
    elsewhere = Store(tmp_path / "other.db")
    try:
        assert import_data(elsewhere, parse(exported)) == conversation_id
        again = to_json(elsewhere, conversation_id)
        assert without_stamp(again) == without_stamp(exported)
        assert elsewhere.count_messages(conversation_id) == store.count_messages(conversation_id)
        assert (
            elsewhere.get_conversation(conversation_id).model_dump()
            == store.get_conversation(conversation_id).model_dump()
        )
        assert [c.id for c in elsewhere.list_conversations(search="1/3")] == [conversation_id]
    finally:
        elsewhere.close()


def test_importing_into_the_same_database_gives_fresh_ids(store: Store) -> None:
    conversation_id = rich_conversation(store)
    copy_id = import_data(store, parse(to_json(store, conversation_id)))
    assert copy_id != conversation_id
    original, copy = (json.loads(to_json(store, i)) for i in (conversation_id, copy_id))
    assert [m["content"] for m in copy["messages"]] == [m["content"] for m in original["messages"]]
    assert {m["id"] for m in copy["messages"]}.isdisjoint({m["id"] for m in original["messages"]})
    assert store.get_conversation(copy_id).in_context_message_ids  # the leaf was remapped


def test_markdown_is_readable_and_shows_the_marker_and_versions(store: Store) -> None:
    conversation_id = rich_conversation(store)
    Branches(store).select(store.list_messages(conversation_id, all_branches=True)[2].id)
    text = to_markdown(store, conversation_id)
    assert text.startswith("# Fractions")
    assert "Compacted here (sliding_window)" in text and "> Added halves." in text
    assert "## User (version 1 of 2)" in text and "[cancelled]" in text


@pytest.mark.parametrize(
    ("mangle", "says"),
    [
        (lambda d: "{not json", "not JSON"),
        (lambda d: json.dumps({"hello": 1}), "not a Chinwag conversation export"),
        (lambda d: json.dumps(d | {"version": 99}), "version 99 is not supported"),
        (lambda d: json.dumps(d | {"messages": d["messages"][1:]}), "parent"),
        (lambda d: json.dumps(d | {"api_key": "sk-x"}), "api_key"),
        (
            lambda d: json.dumps({**d, "conversation": {**d["conversation"], "leaf_id": "x"}}),
            "leaf_id",
        ),
        (
            lambda d: json.dumps({**d, "messages": [{**d["messages"][0], "role": "robot"}]}),
            "role",
        ),
    ],
)
def test_malformed_files_are_refused_with_a_reason(store: Store, mangle: Any, says: str) -> None:
    data = json.loads(to_json(store, rich_conversation(store)))
    with pytest.raises(InvalidExport, match=says):
        parse(mangle(data))


def test_cli_import_of_a_malformed_file_changes_nothing(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    store = Store(home / "chinwag.db")
    conversation_id = rich_conversation(store)
    store.close()
    good = tmp_path / "good.json"
    assert cli("export", conversation_id, "--format", "json", "-o", str(good)).code == 0
    data = json.loads(good.read_text())
    data["messages"][-1]["status"] = "exploded"  # valid JSON, invalid last row
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    db = home / "chinwag.db"
    before = db.read_bytes() if not Path(f"{db}-wal").exists() else None
    listed = cli("conversations", "list", "--json").json()
    result = cli("import", str(bad))
    assert result.code == 2
    assert "was not imported" in result.stderr and "nothing was changed" in result.stderr
    assert "status" in result.stderr
    assert cli("conversations", "list", "--json").json() == listed
    if before is not None:
        assert db.read_bytes() == before
    assert cli("import", str(tmp_path / "missing.json")).code == 2


def test_cli_round_trip_into_a_new_home_and_no_secret_leaves(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(home / "chinwag.db")
    conversation_id = rich_conversation(store)
    store.close()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-123456")
    first = tmp_path / "first.json"
    assert cli("export", conversation_id, "-o", str(first)).code == 0
    assert "sk-test-secret" not in first.read_text() and "api_key" not in first.read_text()
    monkeypatch.setenv("CHINWAG_HOME", str(tmp_path / "second-home"))
    imported = cli("import", str(first), "--json")
    assert imported.code == 0, imported.stderr
    assert imported.json() == {"conversation_id": conversation_id}
    second = cli("export", conversation_id, "--format", "json")
    assert without_stamp(second.stdout) == without_stamp(first.read_text())
    markdown = cli("export", conversation_id, "--format", "md")
    assert markdown.stdout.startswith("# Fractions")
    missing = cli("export", "nope")
    assert missing.code == 2 and "conversation not found" in missing.stderr
    assert os.environ["CHINWAG_HOME"].endswith("second-home")
