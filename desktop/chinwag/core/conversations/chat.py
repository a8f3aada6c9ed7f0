"""Send a message and stream the reply into the store, checkpointing as it streams.

Synchronous: the CLI calls it directly, the desktop app from a worker thread. Whatever
happens (done, cancel, error, Ctrl+C) the assistant message ends with a status that says
so and keeps its text.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from chinwag.core.conversations.assistants import Assistants
from chinwag.core.llm.backend import (
    Cancel,
    ReasoningDelta,
    StreamError,
    StreamEvent,
    TextDelta,
    UsageEvent,
)
from chinwag.core.llm.calls import Call, Calls
from chinwag.core.llm.catalog import Catalog
from chinwag.core.llm.config import LLMConfig
from chinwag.core.store import Store
from chinwag.core.types import (
    ContentPart,
    Conversation,
    ImagePart,
    Message,
    MessageStatus,
    Role,
    TextPart,
)

CHECKPOINT_SECONDS = 0.5
CANCEL_POLL_SECONDS = 0.2  # how often a stream looks for a cancel asked by another process

OnEvent = Callable[[StreamEvent], None]


def to_openai(messages: list[Message], system_prompt: str | None) -> list[dict[str, Any]]:
    """History in the OpenAI chat format; failed replies with no text are left out."""
    result: list[dict[str, Any]] = []
    if system_prompt:
        result.append({"role": "system", "content": system_prompt})
    for message in messages:
        if message.role == Role.ASSISTANT and not message.text:
            continue
        images = [p for p in message.content if isinstance(p, ImagePart)]
        if not images:
            result.append({"role": message.role.value, "content": message.text})
            continue
        parts: list[dict[str, Any]] = [{"type": "text", "text": message.text}]
        parts += [
            {"type": "image_url", "image_url": {"url": f"data:{p.media_type};base64,{p.data}"}}
            for p in images
        ]
        result.append({"role": message.role.value, "content": parts})
    return result


def redact(text: str, config: LLMConfig) -> str:
    """Remove any secret of the config from text bound for the store or the screen."""
    for secret in (config.api_key, config.aws_access_key_id, config.aws_secret_access_key):
        value = secret.get_secret_value() if secret is not None else ""
        if len(value) >= 4:
            text = text.replace(value, "[redacted]")
    return text


BeforeReply = Callable[[str], None]
AfterReply = Callable[[str, Message], None]


class ChatService:
    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        calls: Calls,
        assistants: Assistants | None = None,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.calls = calls
        self.assistants = assistants or Assistants(store)
        # The composition root adds automatic compaction (before) and titles (after).
        self.before_reply: list[BeforeReply] = []
        self.after_reply: list[AfterReply] = []

    def model_of(self, conversation: Conversation) -> str:
        """The model that answers (model_choice.answering_model: the one rule)."""
        return self.assistants.model_of(conversation, self.catalog)

    def cancel(self, conversation_id: str) -> bool:
        """Stop the running generation of a conversation, in this process or another."""
        return self.store.request_cancel(conversation_id)

    def send(
        self,
        conversation_id: str,
        content: str | list[ContentPart],
        cancel: Cancel | None = None,
        on_event: OnEvent | None = None,
    ) -> Message:
        parts: list[ContentPart] = [TextPart(text=content)] if isinstance(content, str) else content
        self.store.add_message(
            Message(conversation_id=conversation_id, role=Role.USER, content=parts)
        )
        return self.reply(conversation_id, cancel, on_event)

    def reply(
        self,
        conversation_id: str,
        cancel: Cancel | None = None,
        on_event: OnEvent | None = None,
    ) -> Message:
        """Stream the assistant's answer to the conversation as it stands."""
        cancel = cancel or Cancel()
        self.store.clear_cancel(conversation_id)
        for hook in self.before_reply:
            # e.g. a compaction that failed: the reply still goes, and says why if it fails
            with contextlib.suppress(Exception):
                hook(conversation_id)
        conversation = self.store.get_conversation(conversation_id)
        handle = self.model_of(conversation)
        history = self.store.context_messages(conversation_id)
        messages = to_openai(history, self.assistants.system_of(conversation))
        reply = Message(
            conversation_id=conversation_id,
            role=Role.ASSISTANT,
            status=MessageStatus.STREAMING,
            model=handle,
        )
        self.store.add_message(reply)
        started = time.perf_counter()
        try:
            call = self.calls.prepare(
                handle, "chat", messages,
                conversation_id=conversation_id, message_id=reply.id,
                model_settings=self.assistants.model_settings_of(conversation),
            )  # fmt: skip
        except Exception as error:
            return self._finish(reply, "", "", MessageStatus.ERROR, started, error=str(error))
        reply.model = call.request.handle  # the model that answers, also when a router chose it
        with self._watch_cancel(conversation_id, cancel):
            done = self._stream(reply, call, cancel, on_event, started)
        if done.status == MessageStatus.COMPLETE:
            for after in self.after_reply:
                with contextlib.suppress(Exception):  # a failed title must not fail the reply
                    after(conversation_id, done)
        return done

    @contextmanager
    def _watch_cancel(self, conversation_id: str, cancel: Cancel) -> Iterator[None]:
        """Turn a cancel asked through the store (`chinwag cancel`) into this stream's Cancel."""
        finished = threading.Event()

        def watch() -> None:
            while not finished.wait(CANCEL_POLL_SECONDS):
                try:
                    if self.store.cancel_requested(conversation_id):
                        cancel.set()
                        return
                except Exception:
                    return

        watcher = threading.Thread(target=watch, name="cancel-watch", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            finished.set()
            watcher.join()
            self.store.clear_cancel(conversation_id)

    def _stream(
        self,
        reply: Message,
        call: Call,
        cancel: Cancel,
        on_event: OnEvent | None,
        started: float,
    ) -> Message:
        text: list[str] = []
        reasoning: list[str] = []
        error: str | None = None
        last_checkpoint = time.monotonic()
        try:
            for event in call.stream(cancel):
                if isinstance(event, TextDelta):
                    text.append(event.text)
                elif isinstance(event, ReasoningDelta):
                    reasoning.append(event.text)
                elif isinstance(event, UsageEvent):
                    reply.usage, reply.cost = event.usage, event.cost
                elif isinstance(event, StreamError):
                    error = redact(event.message, call.request.config)
                    event = StreamError(message=error)
                if on_event is not None:
                    on_event(event)
                if time.monotonic() - last_checkpoint >= CHECKPOINT_SECONDS:
                    self.store.checkpoint(reply.id, "".join(text), "".join(reasoning))
                    last_checkpoint = time.monotonic()
        except BaseException:  # Ctrl+C or a dying thread: keep what arrived, then go on dying
            cancel.set()
            self._finish(reply, "".join(text), "".join(reasoning), MessageStatus.CANCELLED, started)
            raise
        if error is not None:
            status = MessageStatus.ERROR
        elif cancel.is_set():
            status = MessageStatus.CANCELLED
        else:
            status = MessageStatus.COMPLETE
        return self._finish(reply, "".join(text), "".join(reasoning), status, started, error=error)

    def _finish(
        self,
        reply: Message,
        text: str,
        reasoning: str,
        status: MessageStatus,
        started: float,
        error: str | None = None,
    ) -> Message:
        reply.content = [TextPart(text=text)] if text else []
        reply.reasoning = reasoning
        reply.status = status
        reply.error = error
        reply.latency_ms = (time.perf_counter() - started) * 1000
        self.store.finish_message(reply)
        return reply
