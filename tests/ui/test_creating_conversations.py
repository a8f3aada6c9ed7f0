"""The CLI, the local API and the desktop app create the same conversation from the same
input: one way to create one, whatever the front end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.types import Conversation
from chinwag.server.app import create_app
from chinwag.server.auth import server_token
from chinwag.server.run import ServerThread
from chinwag.ui.conversation.pane import ConversationPane


@pytest.fixture
def api(local_services: Services) -> Iterator[httpx.Client]:
    token = server_token(local_services.keys).get_secret_value()
    thread = ServerThread(create_app(local_services, server_token(local_services.keys))).start()
    try:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=thread.url, headers=headers, timeout=60) as client:
            yield client
    finally:
        thread.stop()


def what_was_created(services: Services, conversation: Conversation) -> dict[str, Any]:
    fields = {"agent_id", "model", "model_settings", "title", "title_set_by_user", "summary",
              "system_prompt", "isolated_block_ids"}  # fmt: skip
    compiled = services.store.compiled_system(conversation.id)
    return conversation.model_dump(include=fields) | {"compiled_system": compiled}


def test_cli_api_and_app_create_the_same_conversation(
    qtbot: QtBot, local_services: Services, api: httpx.Client, cli: Any
) -> None:
    services = local_services
    model = services.catalog.default_handle()

    made = cli("conversations", "create", "--model", model)
    assert made.code == 0, made.stderr
    by_cli = services.store.get_conversation(made.json()["id"])

    response = api.post("/v1/conversations/", params={"agent_id": "assistant-default"},
                        json={"model": model})  # fmt: skip
    assert response.status_code == 200, response.text
    by_api = services.store.get_conversation(response.json()["id"])

    pane = ConversationPane(services)
    qtbot.addWidget(pane)
    pane.model_picker.activated.emit(pane.model_picker.findData(model))
    assert pane.save_model_settings()  # the first write of a new conversation creates it
    assert pane.conversation is not None
    by_app = services.store.get_conversation(pane.conversation.id)

    expected = what_was_created(services, by_cli)
    assert expected["compiled_system"] and expected["model"] == model
    assert not expected["title"] and not expected["title_set_by_user"]  # the titler names it
    assert what_was_created(services, by_api) == expected
    assert what_was_created(services, by_app) == expected
