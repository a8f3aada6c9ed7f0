"""Streaming one reply from the real local server three ways, for side-by-side timing:
the plain `openai` client (the floor), Chinwag's LiteLLMBackend, and the whole ChatService
(backend plus the SQLite writes and checkpoints of a real send)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROMPT = "Tell me about the sea."


@dataclass
class Timing:
    first_token_ms: float
    tokens: int
    cpu_ms: float  # this process's CPU time from the call to the first token
    stream_seconds: float  # first token to last token
    stream_cpu_ms: float = 0.0  # this process's CPU time from the first to the last token

    @property
    def tokens_per_second(self) -> float:
        return (self.tokens - 1) / self.stream_seconds if self.stream_seconds > 0 else 0.0


def body(max_tokens: int) -> dict[str, Any]:
    return {
        "temperature": 0.0,
        "seed": 7,
        "max_tokens": max_tokens,
        "extra_body": {"ignore_eos": True},  # llama.cpp: always the full length, same work
    }


def timed(tokens: Callable[[], Iterable[object]]) -> Timing:
    """Time a call whose iterable yields once per token: the call itself, the first token,
    and the stream after it, in wall and CPU time."""
    started, cpu = time.perf_counter(), time.process_time()
    first = last = 0.0
    first_cpu = last_cpu = 0.0
    count = 0
    for _ in tokens():
        last, last_cpu = time.perf_counter(), time.process_time()
        first = first or last
        first_cpu = first_cpu or last_cpu
        count += 1
    return Timing(
        (first - started) * 1000,
        count,
        (first_cpu - cpu) * 1000,
        last - first,
        (last_cpu - first_cpu) * 1000,
    )


def plain_client(base_url: str, key: str) -> Callable[[int], Timing]:
    import openai

    client = openai.OpenAI(base_url=base_url, api_key=key, max_retries=0)

    def run(max_tokens: int) -> Timing:
        def tokens() -> Iterable[object]:
            stream = client.chat.completions.create(
                model="local",
                messages=[{"role": "user", "content": PROMPT}],
                stream=True,
                **body(max_tokens),
            )
            return (c for c in stream if c.choices and c.choices[0].delta.content)

        return timed(tokens)

    return run


def bench_provider(base_url: str, key: str, model: str = "local") -> Any:
    """A provider plugin's worth of settings for an OpenAI-compatible server at base_url:
    its one model is `bench/<model>`."""
    from pydantic import SecretStr

    from chinwag.core.llm.provider import Endpoint, ModelInfo, Provider

    return Provider(
        id="bench",
        display_name="bench",
        litellm_prefix="openai",
        needs_key=False,
        list_models=lambda: [ModelInfo(name=model)],
        endpoint=lambda _name: Endpoint(base_url=base_url, api_key=SecretStr(key)),
    )


def chinwag_backend(base_url: str, key: str) -> Callable[[int], Timing]:
    from pydantic import SecretStr

    from chinwag.core.llm.backend import Cancel, ChatRequest, TextDelta
    from chinwag.core.llm.config import LLMConfig
    from chinwag.core.llm.litellm_backend import LiteLLMBackend

    backend = LiteLLMBackend()
    config = LLMConfig(model="openai/local", base_url=base_url, api_key=SecretStr(key))

    def run(max_tokens: int) -> Timing:
        request = ChatRequest(
            config=config.model_copy(update={"temperature": 0.0, "seed": 7}),
            messages=[{"role": "user", "content": PROMPT}],
            extra={"max_tokens": max_tokens, "extra_body": body(max_tokens)["extra_body"]},
        )
        return timed(
            lambda: (e for e in backend.stream(request, Cancel()) if isinstance(e, TextDelta))
        )

    return run


def chinwag_chat_service(base_url: str, key: str) -> Callable[[int], Timing]:
    """The full send path: store the prompt, stream, checkpoint, finish (a temp database)."""

    from chinwag.app import calls_for
    from chinwag.core.conversations.chat import ChatService
    from chinwag.core.llm.backend import StreamEvent, TextDelta
    from chinwag.core.llm.catalog import Catalog
    from chinwag.core.llm.litellm_backend import LiteLLMBackend
    from chinwag.core.store import Store
    from chinwag.core.system.keys import KeyStore
    from chinwag.core.system.settings import Settings
    from chinwag.core.types import Conversation

    store = Store(Path(tempfile.mkdtemp(prefix="chinwag-bench-")) / "chinwag.db")
    provider = bench_provider(base_url, key)
    catalog = Catalog({"bench": provider}, KeyStore(), Settings())
    backend = LiteLLMBackend()
    chat = ChatService(store, catalog, calls_for(store, Settings(), catalog, lambda name: backend))

    def run(max_tokens: int) -> Timing:
        conversation = store.create_conversation(
            Conversation(
                model="bench/local",
                model_settings={"temperature": 0.0, "max_output_tokens": max_tokens},
            )
        )
        marks: list[float] = []
        cpu_marks: list[float] = []

        def on_event(event: StreamEvent) -> None:
            if isinstance(event, TextDelta):
                marks.append(time.perf_counter())
                cpu_marks.append(time.process_time())

        started, cpu = time.perf_counter(), time.process_time()
        chat.send(conversation.id, PROMPT, None, on_event)
        if not marks:
            return Timing(0.0, 0, 0.0, 0.0)
        return Timing(
            (marks[0] - started) * 1000,
            len(marks),
            (cpu_marks[0] - cpu) * 1000,
            marks[-1] - marks[0],
            (cpu_marks[-1] - cpu_marks[0]) * 1000,
        )

    return run
