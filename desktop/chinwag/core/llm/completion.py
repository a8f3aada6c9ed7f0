"""One-shot model calls for the helpers (titles, summaries): the whole answer as text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chinwag.core.llm.backend import Backend, Cancel, ChatRequest, StreamError, TextDelta
from chinwag.core.llm.catalog import Catalog
from chinwag.core.llm.litellm_import import import_litellm
from chinwag.core.llm.routing import Routers
from chinwag.core.usage.registry import LLMRegistry


class CompletionFailed(RuntimeError):
    pass


def context_window_of(catalog: Catalog, handle: str, default: int = 8192) -> int:
    """The model's window: the provider's figure, else litellm's model info, else default."""
    resolved = catalog.resolve(handle)
    if resolved.info.context_window:
        return resolved.info.context_window
    try:
        info = import_litellm().get_model_info(
            f"{resolved.provider.litellm_prefix}/{resolved.info.name}"
        )
        window = info.get("max_input_tokens") or info.get("max_tokens")
        return int(window) if window else default
    except Exception:
        return default


class Completer:
    def __init__(
        self, catalog: Catalog, registry: LLMRegistry, backend_for: Callable[[str], Backend]
    ) -> None:
        self.catalog = catalog
        self.registry = registry
        self.backend_for = backend_for
        self.routers: Routers | None = None  # set by the composition root

    def complete(
        self,
        handle: str,
        usage_id: str,
        messages: list[dict[str, Any]],
        model_settings: dict[str, Any] | None = None,
        cancel: Cancel | None = None,
        conversation_id: str | None = None,
        **overrides: Any,
    ) -> str:
        """Call the model and return its text; CompletionFailed says why it could not."""
        try:
            router = None
            if self.routers is not None:
                handle, router = self.routers.route(handle, messages, conversation_id)
            config = self.catalog.config_for(handle, usage_id=usage_id, **overrides)
            resolved = self.catalog.resolve(handle)
            settings = resolved.provider.settings_type.model_validate(model_settings or {})
            backend = self.backend_for(resolved.provider.backend)
        except Exception as error:
            raise CompletionFailed(str(error)) from error
        self.registry.get_or_add(config)
        request = ChatRequest(
            config=config,
            messages=messages,
            extra=settings.to_litellm(),
            handle=handle,
            conversation_id=conversation_id,
            router=router,
        )
        text: list[str] = []
        for event in backend.stream(request, cancel or Cancel()):
            if isinstance(event, TextDelta):
                text.append(event.text)
            elif isinstance(event, StreamError):
                raise CompletionFailed(event.message)
        return "".join(text)
