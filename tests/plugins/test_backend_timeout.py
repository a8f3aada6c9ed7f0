"""`timeout` holds for a plugin's own backend: one that goes silent is cut, and the reply
says so, instead of waiting forever. Driven through the app as a user's plugin runs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from chinwag import app
from chinwag.core.system import settings as settings_file
from chinwag.core.types import Conversation, MessageStatus
from tests.plugins import folder

STALLING_PLUGIN = """
import threading
from collections.abc import Iterator

from chinwag.api import Cancel, ChatRequest, ModelInfo, Provider, StreamEvent, TextDelta, hookimpl


class Stalls:
    def stream(self, request: ChatRequest, cancel: Cancel) -> Iterator[StreamEvent]:
        yield TextDelta(text="Let me ")
        cancel.wait(120)  # silent until the call builder gives up on it


@hookimpl
def register_backends(register):
    register("stalls", Stalls)


@hookimpl
def register_providers(register):
    register(Provider(
        id="stalling", display_name="Stalling", litellm_prefix="openai", needs_key=False,
        backend="stalls", list_models=lambda: [ModelInfo(name="slow")],
    ))
"""


@pytest.fixture
def stalling(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.install(monkeypatch, "chinwag_stalling", STALLING_PLUGIN)
    settings, _ = settings_file.load()
    settings.provider_options = {"stalling": {"timeout": 1}}
    settings.auto_title = settings.auto_compact = False
    settings_file.save(settings)


def test_a_silent_plugin_backend_is_cut_after_timeout(stalling: None) -> None:
    services = app.build()
    try:
        conversation = services.store.create_conversation(Conversation(model="stalling/slow"))
        started = time.monotonic()
        reply = services.chat.send(conversation.id, "Hello?")
        took = time.monotonic() - started
    finally:
        services.close()
    assert reply.status == MessageStatus.ERROR
    assert reply.error == "timed out: the stalls backend sent nothing for 1 s"
    assert reply.text == "Let me "  # what arrived before the silence is kept
    assert took < 10
