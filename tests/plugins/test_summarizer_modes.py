"""A summarizer plugin's own mode is usable from the CLI and the API, like a built-in one;
a mode nobody registered is refused with the modes there are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from chinwag.app import build
from chinwag.core.store import Store
from chinwag.core.types import Conversation, Message, Role
from chinwag.server.app import create_app
from chinwag.server.auth import server_token
from chinwag.server.run import ServerThread
from tests.plugins.folder_plugins import install

BULLETS = """
from chinwag.api import hookimpl

class Bullets:
    mode = "bullets"

    def cut(self, window, settings):
        return len(window.messages) - 2  # the last exchange stays

    def summarize(self, request, complete):
        return "\\n".join("- " + m["text"] for m in request.transcript)

@hookimpl
def register_summarizers(register):
    register(Bullets())
"""


def conversation_with_turns(home: Path, model: str) -> str:
    store = Store(home / "chinwag.db")
    try:
        conversation = store.create_conversation(Conversation(model=model, title="t"))
        for i in range(3):
            store.add_message(Message.of_text(conversation.id, Role.USER, f"question {i}"))
            store.add_message(Message.of_text(conversation.id, Role.ASSISTANT, f"answer {i}"))
        return conversation.id
    finally:
        store.close()


def local_handle(cli: Any) -> str:
    return str(next(m["handle"] for m in cli("models", "--json").json() if m["default"]))


def test_the_cli_compacts_with_a_plugin_mode(cli: Any, home: Path, with_model: Path) -> None:
    install("bullets", BULLETS)
    handle = local_handle(cli)
    conversation = conversation_with_turns(home, handle)
    run = cli("compact", conversation, "--mode", "bullets", "--model", handle, "--json")
    assert run.code == 0, run.stderr
    result = run.json()
    assert result["mode"] == "bullets"
    assert result["summary"].splitlines()[:2] == ["- question 0", "- answer 0"]
    assert (result["num_messages_before"], result["num_messages_after"]) == (6, 2)

    unknown = cli("compact", conversation, "--mode", "haiku")
    assert unknown.code == 2
    assert "--mode 'haiku' is not a compaction mode; choose from" in unknown.stderr
    assert "bullets" in unknown.stderr and "sliding_window" in unknown.stderr


@pytest.fixture
def served(home: Path, with_model: Path, own_imports: None) -> Iterator[tuple[httpx.Client, str]]:
    install("bullets", BULLETS)
    services = build()
    token = server_token(services.keys)
    thread = ServerThread(create_app(services, token)).start()
    headers = {"Authorization": f"Bearer {token.get_secret_value()}"}
    try:
        with httpx.Client(base_url=thread.url, headers=headers, timeout=60) as client:
            yield client, services.catalog.default_handle()
    finally:
        thread.stop()
        services.close()


def test_the_api_compacts_with_a_plugin_mode(served: tuple[httpx.Client, str], home: Path) -> None:
    client, handle = served
    conversation = conversation_with_turns(home, handle)
    settings = {"mode": "bullets", "model": handle}
    done = client.post(
        f"/v1/conversations/{conversation}/compact", json={"compaction_settings": settings}
    )
    assert done.status_code == 200, done.text
    assert done.json()["num_messages_after"] == 2
    assert done.json()["summary"].startswith("- question 0")

    refused = client.post(
        f"/v1/conversations/{conversation}/compact",
        json={"compaction_settings": {"mode": "haiku"}},
    )
    assert refused.status_code == 422
    assert "unknown compaction mode 'haiku'" in refused.text and "bullets" in refused.text
