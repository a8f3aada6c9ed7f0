"""The default backend: every provider, remote or local, through litellm.

litellm is imported lazily (it takes seconds and hundreds of MB) and never on the UI
thread. The HTTP call runs on a producer thread that feeds a queue; a cancel closes the
stream from the cancelling thread and wakes the consumer at once, even while the server
is silent.
"""

from __future__ import annotations

import queue
import re
import socket
import threading
from collections.abc import Iterator
from typing import Any

from chinwag.core.llm import fields
from chinwag.core.llm.backend import (
    Cancel,
    ChatRequest,
    Done,
    Notice,
    ReasoningDelta,
    Retrying,
    StreamError,
    StreamEvent,
    TextDelta,
    UsageEvent,
)
from chinwag.core.llm.config import LLMConfig
from chinwag.core.llm.litellm_import import import_litellm
from chinwag.core.llm.retry import backoff_seconds, is_retryable
from chinwag.core.types import Usage
from chinwag.core.usage.pricing import price


def warm_up() -> None:
    """Import litellm and run its first-call set-up, so the user's first message skips it.

    litellm's first completion imports some 500 more modules (httpx, the OpenAI client, its
    proxy types) and builds its handlers: about a second of CPU. A call to a loopback port
    that refuses at once runs all of that and fails. Call it off the UI thread at start.
    """
    litellm = import_litellm()
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    try:
        response = litellm.completion(
            model="openai/warm-up",
            api_base=f"http://127.0.0.1:{closed.getsockname()[1]}/v1",
            api_key="warm-up",
            messages=[{"role": "user", "content": "warm-up"}],
            stream=True,
            num_retries=0,
            max_retries=0,
            timeout=5,
        )
        for _ in response:
            pass
    except Exception:
        pass  # the refusal is the point
    finally:
        closed.close()


def streamed(config: LLMConfig) -> bool:
    """Streamed unless `stream: false` was set: the window shows tokens as they come, so an
    unset `stream` (the reference's default is false) keeps streaming."""
    return config.stream or "stream" not in config.model_fields_set


def model_facts(config: LLMConfig) -> tuple[bool, int | None]:
    """Whether litellm knows the model as a reasoning model, and its output limit."""
    litellm = import_litellm()
    name = config.model_canonical_name or config.model
    try:
        info = litellm.get_model_info(name)
    except Exception:  # a model litellm does not list: no reasoning, no known limit
        return False, None
    limit = info.get("max_output_tokens") or info.get("max_tokens")
    return bool(info.get("supports_reasoning")), int(limit) if limit else None


def call_kwargs(request: ChatRequest) -> dict[str, Any]:
    config = request.config
    secrets = config.model_dump(include={"api_key"}, context={"expose_secrets": True})
    messages = fields.clip_messages(request.messages, config.max_message_chars)
    if config.disable_vision:
        messages, _ = fields.without_images(messages)
    if config.caching_prompt and fields.is_claude(config.model):
        messages = fields.with_cache_points(messages)
    reasoning, max_output = model_facts(config)
    kwargs: dict[str, Any] = {
        "model": config.model,
        "messages": messages,
        "timeout": config.timeout,
        "num_retries": 0,  # retries are ours: only before the first token
        "max_retries": 0,
        "drop_params": config.drop_params,
    }
    if streamed(config):
        kwargs |= {"stream": True, "stream_options": {"include_usage": True}}
    headers = dict(config.extra_headers or {})
    if config.model.startswith("openrouter/"):
        headers = fields.openrouter_headers(config) | headers
    optional = {
        "api_key": secrets["api_key"],
        "api_base": config.base_url,
        "api_version": config.api_version,
        "max_tokens": config.max_output_tokens,
        "seed": config.seed,
        "extra_headers": headers or None,
        "extra_body": config.litellm_extra_body or None,
    }
    kwargs.update({k: v for k, v in optional.items() if v is not None})
    # The call's output limit: the caller's (a connection test's 1), the config's, the model's.
    max_tokens = request.extra.get("max_tokens") or config.max_output_tokens or max_output
    think = fields.reasoning_kwargs(config, max_tokens) if reasoning else {}
    if "thinking" in think and fields.SAMPLING & request.extra.keys():
        think = {}  # the conversation's own sampling settings win over default thinking
    sample = fields.sampling(config, reasoning)
    thinking = request.extra.get("thinking") or think.get("thinking") or {}
    if thinking.get("type") == "enabled":
        sample = {}  # Anthropic refuses sampling settings next to extended thinking
    kwargs.update(think | sample | request.extra)
    if "tools" not in kwargs:
        # Providers reject tool options on a call without tools (OpenAI answers 400).
        kwargs.pop("parallel_tool_calls", None)
    return kwargs


def usage_of(raw: Any) -> Usage:
    prompt_details = getattr(raw, "prompt_tokens_details", None)
    completion_details = getattr(raw, "completion_tokens_details", None)
    return Usage(
        prompt_tokens=getattr(raw, "prompt_tokens", 0) or 0,
        completion_tokens=getattr(raw, "completion_tokens", 0) or 0,
        cache_read_tokens=getattr(prompt_details, "cached_tokens", 0) or 0,
        cache_write_tokens=getattr(raw, "cache_creation_input_tokens", 0) or 0,
        reasoning_tokens=getattr(completion_details, "reasoning_tokens", 0) or 0,
    )


class _Producer(threading.Thread):
    """Makes the HTTP call and pushes chunks (or the exception) onto a queue."""

    END = object()

    def __init__(self, litellm: Any, kwargs: dict[str, Any]) -> None:
        super().__init__(daemon=True, name="litellm-stream")
        self.litellm = litellm
        self.kwargs = kwargs
        self.chunks: queue.Queue[Any] = queue.Queue()
        self.stop = threading.Event()
        self._response: Any = None

    def run(self) -> None:
        try:
            self._response = self.litellm.completion(**self.kwargs)
            if self.stop.is_set():  # cancelled while connecting: close() below ends it
                return
            if not self.kwargs.get("stream"):  # one whole reply, handled as one chunk
                self.chunks.put(self._response)
                return
            for chunk in self._response:
                if self.stop.is_set():
                    break
                self.chunks.put(chunk)
        except BaseException as error:  # handed to the consumer, which decides
            self.chunks.put(error)
        finally:
            self.close()
            self.chunks.put(self.END)

    def cancel(self) -> None:
        """Close the stream and wake the consumer blocked on the queue."""
        self.close()
        self.chunks.put(self.END)

    def close(self) -> None:
        """Close the HTTP stream; safe from any thread, and more than once.

        The socket is shut down first: closing it alone does not send the FIN while this
        thread is blocked reading it, so the server would only notice at the next chunk.
        """
        self.stop.set()
        stream = getattr(self._response, "completion_stream", None)
        response = getattr(stream, "response", None)
        _shutdown(response)
        for closer in (getattr(stream, "close", None), response):
            try:
                if callable(closer):
                    closer()
                elif closer is not None:
                    closer.close()
            except Exception:
                pass


def _shutdown(response: Any) -> None:
    """Shut down the socket under an httpx response, waking any thread blocked on it."""
    extensions = getattr(response, "extensions", None)
    network = extensions.get("network_stream") if isinstance(extensions, dict) else None
    try:
        sock = network.get_extra_info("socket") if network is not None else None
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    except Exception:  # already closed, or not a socket we can shut down
        pass


class LiteLLMBackend:
    def stream(self, request: ChatRequest, cancel: Cancel) -> Iterator[StreamEvent]:
        litellm = import_litellm()
        config = request.config
        kwargs = call_kwargs(request)
        if config.disable_vision:
            _, dropped = fields.without_images(request.messages)
            if dropped:
                yield Notice(text=f"{dropped} image(s) not sent: vision is off for this model")
        attempt = 0
        while True:
            attempt += 1
            producer = _Producer(litellm, kwargs)
            producer.start()
            unhook = cancel.on_set(producer.cancel)  # at once, from the cancelling thread
            started = False
            try:
                for item in self._drain(producer, cancel):
                    if isinstance(item, BaseException):
                        raise item
                    for event in self._events(litellm, config, item):
                        started = started or isinstance(event, TextDelta | ReasoningDelta)
                        yield event
                if not cancel.is_set():
                    yield Done()
                return
            except Exception as error:
                if cancel.is_set():  # the closed stream's read failed: a cancel, not an error
                    return
                retries_left = attempt <= config.num_retries
                if started or not retries_left or not is_retryable(error):
                    yield StreamError(message=describe(error))
                    return
                wait = backoff_seconds(config, attempt, error)
                yield Retrying(attempt=attempt, wait=wait, error=describe(error))
                if cancel.wait(wait):
                    return
            finally:
                unhook()
                producer.close()

    @staticmethod
    def _drain(producer: _Producer, cancel: Cancel) -> Iterator[Any]:
        # Blocks without a timeout: polling cost CPU per unit of time, not per token (~10 ms
        # of CPU per token on a slow stream); a cancel puts END to wake it.
        while not cancel.is_set():
            item = producer.chunks.get()
            if item is _Producer.END or cancel.is_set():
                return
            yield item

    @staticmethod
    def _events(litellm: Any, config: LLMConfig, chunk: Any) -> Iterator[StreamEvent]:
        for choice in getattr(chunk, "choices", None) or []:
            # A stream's chunk has a `delta`; a whole (stream: false) reply, a `message`.
            delta = getattr(choice, "delta", None) or getattr(choice, "message", None)
            reasoning = getattr(delta, "reasoning_content", None)
            if reasoning:
                yield ReasoningDelta(text=reasoning)
            text = getattr(delta, "content", None)
            if text:
                yield TextDelta(text=text)
        raw_usage = getattr(chunk, "usage", None)
        if raw_usage is not None and (getattr(raw_usage, "total_tokens", None) or 0) > 0:
            usage = usage_of(raw_usage)
            yield UsageEvent(usage=usage, cost=price(config, usage))


_WRAPPER = re.compile(r"^(?:litellm\.)?[A-Za-z]*(?:Error|Exception|Timeout)(?::| -) *")


def describe(error: BaseException) -> str:
    """One line a person can act on; never the request (which may carry a key).

    litellm wraps a failure after the first chunk in a MidStreamFallbackError (status 500)
    and prefixes class names several times over; the underlying error says more.
    """
    original = getattr(error, "original_exception", None)
    if isinstance(original, BaseException) and original is not error:
        error = original
    status = getattr(error, "status_code", None)
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    text = text.split(" Original exception:")[0].strip()
    while (stripped := _WRAPPER.sub("", text, count=1)) != text and stripped:
        text = stripped
    return f"{status}: {text}" if status and str(status) not in text else text
