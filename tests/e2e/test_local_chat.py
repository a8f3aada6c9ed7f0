"""End to end through the real local model (llama.cpp on 127.0.0.1) and litellm."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from chinwag.app import build
from chinwag.core.llm.backend import Cancel, StreamEvent, TextDelta
from chinwag.core.system.settings import Settings, save
from chinwag.core.types import MessageStatus, Role


def test_chat_answers_from_the_local_model_and_keeps_the_conversation(
    cli: Any, with_model: Path
) -> None:
    # Capped and greedy: an uncapped reply from the 135M model may run to its 4,096-token
    # context, and the second turn then overflows it.
    save(Settings(provider_options={"local": {"temperature": 0, "max_output_tokens": 80}}))
    chat = cli("chat", "--json", "Say hello in one short sentence.")
    assert chat.code == 0, chat.stderr
    result = chat.json()
    assert result["status"] == "complete"
    assert result["text"].strip()
    assert result["usage"]["completion_tokens"] > 0
    assert result["cost"] == 0.0  # the local model is free, and says so

    shown = cli("conversations", "show", result["conversation_id"], "--json").json()
    roles = [m["role"] for m in shown["messages"]]
    assert roles == ["user", "assistant"]
    assert shown["messages"][1]["id"] == result["message_id"]
    assert shown["messages"][1]["text"] == result["text"]
    assert shown["model"] is None  # the default model answered

    again = cli("chat", "-c", result["conversation_id"], "--json", input="And goodbye?")
    assert again.code == 0, again.stderr
    shown = cli("conversations", "show", result["conversation_id"], "--json").json()
    assert len(shown["messages"]) == 4


def test_plain_chat_streams_text_to_stdout(cli: Any, with_model: Path) -> None:
    run = cli("chat", "Count from one to five.")
    assert run.code == 0, run.stderr
    assert run.stdout.strip()


def test_bad_arguments_and_unknown_ids_exit_2_with_one_line(cli: Any, with_model: Path) -> None:
    for args in [
        ("conversations", "show", "no-such-id"),
        ("conversations", "delete", "no-such-id"),
        ("chat", "-c", "no-such-id", "hi"),
        ("chat", "-m", "nonsense", "hi"),
        ("chat", "-m", "nope/model", "hi"),
        ("chat", ""),
    ]:
        run = cli(*args)
        assert run.code == 2, (args, run.stderr)
        assert len(run.stderr.strip().splitlines()) == 1, run.stderr
        assert "Traceback" not in run.stderr


def test_a_failed_model_call_exits_1_with_one_line(cli: Any, with_model: Path) -> None:
    run = cli("chat", "-m", "local/no-such-model", "hi")
    assert run.code == 1
    assert "no local model named" in run.stderr
    assert "Traceback" not in run.stderr


def test_cancel_keeps_the_partial_reply(with_model: Path) -> None:
    services = build()
    conversation = services.store.create_conversation()
    cancel = Cancel()
    seen: list[str] = []

    def on_event(event: StreamEvent) -> None:
        if isinstance(event, TextDelta):
            seen.append(event.text)
            if len(seen) == 3:
                threading.Timer(0, cancel.set).start()

    reply = services.chat.send(
        conversation.id, "Write a long story about a lighthouse keeper.", cancel, on_event
    )
    assert reply.status == MessageStatus.CANCELLED
    stored = services.store.get_message(reply.id)
    assert stored.status == MessageStatus.CANCELLED
    assert stored.text and stored.text == "".join(seen)
    assert len(seen) < 60  # it stopped long before the story would have ended
    user, assistant = services.store.list_messages(conversation.id)
    assert (user.role, assistant.role) == (Role.USER, Role.ASSISTANT)
    services.close()


def test_usage_and_metrics_are_recorded_per_usage_id(with_model: Path) -> None:
    services = build()
    conversation = services.store.create_conversation()
    reply = services.chat.send(conversation.id, "Hi!")
    assert reply.usage is not None and reply.usage.prompt_tokens > 0
    assert reply.latency_ms is not None and reply.latency_ms > 0
    chat = next(t for t in services.store.usage.totals("usage-id") if t.key == "chat")
    assert chat.completion_tokens == reply.usage.completion_tokens
    assert chat.calls == 1
    services.close()
