"""A full round of use with a key, at debug log level, leaves the key nowhere on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chinwag.core.system.keys import KeyStore
from tests.plugins.wire import WireServer, openai_chat_sse

pytestmark = pytest.mark.keyring

KEY = "sk-round-trip-3b9e7c1a5d2f4e6b8a0c"


def test_set_key_chat_show_and_debug_logs_leave_no_trace_of_the_key(
    cli: Any,
    home: Path,
    keys: KeyStore,
    monkeypatch: pytest.MonkeyPatch,
    provider_options: Any,
) -> None:
    monkeypatch.setenv("CHINWAG_LOG_LEVEL", "DEBUG")
    keys.delete("openai")
    try:
        assert cli("keys", "set", "openai", input=KEY).code == 0
        with WireServer(openai_chat_sse(["All ", "good"])) as server:
            provider_options({"openai": {"base_url": server.url}})
            chat = cli("chat", "-m", "openai/gpt-4o-mini", "--json", "Hello")
        assert chat.code == 0, chat.stderr
        assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"
        conversation = chat.json()["conversation_id"]
        shown = cli("conversations", "show", conversation, "--json")
        assert shown.json()["messages"][-1]["text"] == "All good"
        listed = cli("keys", "list")
        models = cli("models", "--json")
    finally:
        keys.delete("openai")

    log = (home / "logs" / "chinwag.log").read_text(encoding="utf-8")
    assert " DEBUG " in log and "openai/gpt-4o-mini" in log  # debug logging really ran
    outputs = [chat, shown, listed, models]
    assert not [r for r in outputs if KEY in r.stdout + r.stderr]
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.name == "chinwag.db" for p in files)
    assert [p for p in files if KEY.encode() in p.read_bytes()] == []


def test_a_key_that_reaches_a_log_line_is_masked_in_the_file(home: Path, keys: KeyStore) -> None:
    import logging

    from chinwag.core.system import logs

    logs.setup()
    keys.set("openai", __import__("pydantic").SecretStr(KEY))
    assert keys.get("openai") is not None
    logging.getLogger("some.library").warning("request failed with key=%s", KEY)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (home / "logs" / "chinwag.log").read_text(encoding="utf-8")
    assert "request failed with key=[redacted]" in text
    assert KEY not in text


def test_a_provider_error_quoting_the_key_is_stored_and_logged_without_it(
    cli: Any,
    home: Path,
    keys: KeyStore,
    monkeypatch: pytest.MonkeyPatch,
    provider_options: Any,
) -> None:
    monkeypatch.setenv("CHINWAG_LOG_LEVEL", "DEBUG")
    keys.delete("anthropic")
    try:
        assert cli("keys", "set", "anthropic", input=KEY).code == 0
        with WireServer(openai_chat_sse([]), refuse_with=401) as server:
            provider_options({"anthropic": {"base_url": server.url}})
            chat = cli("chat", "-m", "anthropic/claude-sonnet-4-5", "--json", "Hello")
        shown = cli("conversations", "list", "--json")
    finally:
        keys.delete("anthropic")
    assert server.requests and server.requests[0].headers["x-api-key"] == KEY
    assert chat.code == 1
    reply = chat.json()
    assert reply["status"] == "error"
    assert KEY not in chat.stdout + chat.stderr + shown.stdout
    files = [p for p in home.rglob("*") if p.is_file()]
    assert [p for p in files if KEY.encode() in p.read_bytes()] == []
