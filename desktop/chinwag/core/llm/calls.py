"""The one call builder: every model call is prepared and run here.

Chat replies, titles, compaction summaries, a router's own questions, the settings'
connection test and the OpenAI gateway all go through `Calls.prepare`, so each request
carries the same things: the model a router picks, the provider's options, the model
settings, the key and endpoint (the catalog), and each run is budget-checked and metered
(ledger, completion log). A rule about what a call carries changes here, once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from chinwag.core.llm.backend import (
    Backend,
    Cancel,
    ChatRequest,
    StreamError,
    StreamEvent,
    TextDelta,
)
from chinwag.core.llm.catalog import Catalog, ProviderNotReady, ResolvedModel, UnknownModel
from chinwag.core.llm.deadline import TimedBackend
from chinwag.core.llm.provider import Provider
from chinwag.core.llm.routing import Routers
from chinwag.core.usage.metering import Meter

# The ledger's usage id of each kind of call.
Purpose = Literal["chat", "title", "summarizer", "router", "connection-test", "api"]

CONNECTION_TEST = [{"role": "user", "content": "Say OK."}]


class CallFailed(RuntimeError):
    """A one-shot call that gave no answer; the message is the reason, free of the key."""


@dataclass(frozen=True)
class Call:
    """A ready request and how to run it: budget check first, ledger row after."""

    request: ChatRequest
    backend: Backend
    meter: Meter

    def stream(self, cancel: Cancel | None = None) -> Iterator[StreamEvent]:
        return self.meter.run(self.backend, self.request, cancel or Cancel())

    def text(self, cancel: Cancel | None = None) -> str:
        """The whole answer; CallFailed when the call stops with an error."""
        text: list[str] = []
        for event in self.stream(cancel):
            if isinstance(event, TextDelta):
                text.append(event.text)
            elif isinstance(event, StreamError):
                raise CallFailed(event.message)
        return "".join(text)


class Calls:
    def __init__(
        self,
        catalog: Catalog,
        routers: Routers,
        meter: Meter,
        backend_factory: Callable[[str], Backend],
    ) -> None:
        self.catalog = catalog
        self.routers = routers
        self.meter = meter
        self._backend_factory = backend_factory
        self._backends: dict[str, Backend] = {}
        self._lock = threading.Lock()

    def resolve(self, handle: str) -> ResolvedModel:
        """What a handle calls; a router stands for its primary model outside a request."""
        if self.routers.is_router(handle):
            try:
                handle = self.routers.primary(handle)
            except Exception as error:
                raise UnknownModel(str(error)) from error
        return self.catalog.resolve(handle)

    def ready(self, handle: str) -> None:
        """Start what a call to `handle` needs (the local model's server), sending nothing,
        so the first reply does not wait for it. Raises what preparing that call would."""
        self.catalog.config_for(self.resolve(handle).handle, usage_id="warm-up")

    def context_window(self, handle: str, default: int = 8192) -> int:
        """The model's window: the provider's figure, else litellm's model info, else default."""
        resolved = self.resolve(handle)
        if resolved.info.context_window:
            return resolved.info.context_window
        try:
            from chinwag.core.llm.litellm_import import import_litellm

            info = import_litellm().get_model_info(
                f"{resolved.provider.litellm_prefix}/{resolved.info.name}"
            )
            window = info.get("max_input_tokens") or info.get("max_tokens")
            return int(window) if window else default
        except Exception:
            return default

    def prepare(
        self,
        handle: str,
        purpose: Purpose,
        messages: list[dict[str, Any]],
        *,
        conversation_id: str | None = None,
        message_id: str | None = None,
        model_settings: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
        **config_overrides: Any,
    ) -> Call:
        """A ready call, or the reason there is none (LookupError, RoutingError, ValueError).

        `model_settings` are the conversation's (mapped by the provider's settings type);
        `extra` are litellm arguments that win over them (the gateway's sampling fields);
        `config_overrides` are LLMConfig fields (e.g. a title's `max_output_tokens`).
        """
        handle, router = self.routers.route(
            handle, messages, conversation_id, ask=partial(self._ask, conversation_id)
        )
        config = self.catalog.config_for(handle, usage_id=purpose, **config_overrides)
        provider = self.catalog.resolve(handle).provider
        request = ChatRequest(
            config=config,
            messages=messages,
            extra=self.catalog.call_extra(provider, model_settings) | (extra or {}),
            handle=handle,
            conversation_id=conversation_id,
            message_id=message_id,
            router=router,
        )
        return Call(request, self._backend(provider.backend), self.meter)

    def complete(
        self,
        handle: str,
        purpose: Purpose,
        messages: list[dict[str, Any]],
        *,
        cancel: Cancel | None = None,
        **options: Any,
    ) -> str:
        """A one-shot call's whole answer; CallFailed says why there is none."""
        try:
            call = self.prepare(handle, purpose, messages, **options)
        except Exception as error:
            raise CallFailed(str(error)) from error
        return call.text(cancel)

    def test_connection(self, provider: Provider | str) -> str:
        """One tiny request to the provider's first model: "" when it answered, else why not."""
        if isinstance(provider, str):
            found = self.catalog.providers.get(provider)
            if found is None:
                return f"No provider {provider!r}."
            provider = found
        models = provider.list_models()
        if not models:
            return "This provider lists no model to try."
        try:
            self.complete(
                provider.handle(models[0].name), "connection-test", CONNECTION_TEST,
                extra={"max_tokens": 1},
            )  # fmt: skip
        except CallFailed as error:
            return str(error)
        return ""

    def _ask(self, conversation_id: str | None, handle: str, messages: list[dict[str, Any]]) -> str:
        """A router's own question to a model (e.g. a classifier), metered as `router`."""
        if self.routers.is_router(handle):
            raise ProviderNotReady("a router asks models, not other routers")
        return self.complete(handle, "router", messages, conversation_id=conversation_id)

    def _backend(self, name: str) -> Backend:
        with self._lock:
            if name not in self._backends:
                backend = self._backend_factory(name)
                # litellm enforces `timeout` itself; any other backend is held to it here.
                self._backends[name] = backend if name == "litellm" else TimedBackend(backend, name)
            return self._backends[name]
