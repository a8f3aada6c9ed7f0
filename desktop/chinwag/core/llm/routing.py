"""Routers, after the OpenHands SDK `RouterLLM`: several LLMs behind one handle.

A conversation whose model is `router/<name>` asks the router, per request, which of its
`llms_for_routing` answers (`select_llm`); the reply records the model that answered.
Routers come from plugins (`register_routers`); each is built per request from a
`RoutingContext`, so it sees the current settings, budgets and conversation.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chinwag.core.llm.catalog import Catalog, UnknownModel, split_handle
from chinwag.core.system.settings import Settings
from chinwag.core.usage.budgets import Budgets

PREFIX = "router"

Ask = Callable[[str, list[dict[str, Any]]], str]


class RoutingError(RuntimeError):
    """A router could not pick a model; the message says what to configure."""


@dataclass
class RoutingContext:
    """What a router may consult: models, budgets, its options, the conversation."""

    catalog: Catalog
    budgets: Budgets
    options: dict[str, Any]  # settings.routers[<name>]
    default_handle: str  # the app's default model (never a router)
    conversation_id: str | None = None
    # Ask a model (handle, OpenAI-format messages) and get its whole answer, for a router
    # that decides with a model's help; the call is metered and budgeted like any other.
    ask: Ask | None = None


class RouterLLM(BaseModel, ABC):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    router_name: str
    llms_for_routing: dict[str, str] = Field(description="key -> provider/model-name handle")
    active_llm: str | None = Field(
        default=None, description="the handle chosen by the last route()"
    )
    context: RoutingContext = Field(exclude=True)

    @field_validator("llms_for_routing")
    @classmethod
    def _not_empty(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("a router needs at least one LLM in llms_for_routing")
        if any(handle.startswith(f"{PREFIX}/") for handle in value.values()):
            raise ValueError("a router routes to models, not to other routers")
        return value

    @abstractmethod
    def select_llm(self, messages: list[dict[str, Any]]) -> str:
        """The key (in llms_for_routing) of the LLM for these OpenAI-format messages."""

    @property
    def primary(self) -> str:
        """The first LLM: what the router stands for when no request is at hand."""
        return next(iter(self.llms_for_routing.values()))

    def route(self, messages: list[dict[str, Any]]) -> str:
        key = self.select_llm(messages)
        if key not in self.llms_for_routing:
            raise RoutingError(f"router {self.router_name!r} chose {key!r}, which it does not hold")
        self.active_llm = self.llms_for_routing[key]
        return self.active_llm


RouterFactory = Callable[[RoutingContext], RouterLLM]


@dataclass(frozen=True)
class RouterSpec:
    """What a plugin registers: a name (the handle is `router/<name>`) and a factory."""

    name: str
    description: str
    build: RouterFactory


def has_images(messages: list[dict[str, Any]]) -> bool:
    return any(
        isinstance(part, dict) and part.get("type") == "image_url"
        for message in messages
        if isinstance(message.get("content"), list)
        for part in message["content"]
    )


class Routers:
    def __init__(
        self, specs: dict[str, RouterSpec], catalog: Catalog, budgets: Budgets, settings: Settings
    ) -> None:
        self.specs = specs
        self.catalog = catalog
        self.budgets = budgets
        self.settings = settings

    @staticmethod
    def is_router(handle: str) -> bool:
        return handle.startswith(f"{PREFIX}/")

    def handles(self) -> list[str]:
        return [f"{PREFIX}/{name}" for name in sorted(self.specs)]

    def build(
        self, handle: str, conversation_id: str | None = None, ask: Ask | None = None
    ) -> RouterLLM:
        _, name = split_handle(handle)
        spec = self.specs.get(name)
        if spec is None:
            known = ", ".join(self.handles()) or "none"
            raise UnknownModel(f"no router {name!r} (known: {known})")
        default = self.settings.default_model
        if default is None or self.is_router(default):
            default = self._first_model()
        context = RoutingContext(
            catalog=self.catalog,
            budgets=self.budgets,
            options=dict(self.settings.routers.get(name, {})),
            default_handle=default,
            conversation_id=conversation_id,
            ask=ask,
        )
        try:
            return spec.build(context)
        except (ValueError, LookupError) as error:
            raise RoutingError(f"router {name!r}: {error}") from error

    def route(
        self,
        handle: str,
        messages: list[dict[str, Any]],
        conversation_id: str | None,
        ask: Ask | None = None,
    ) -> tuple[str, str | None]:
        """The model to call for these messages, and the router's name (None: no router)."""
        if not self.is_router(handle):
            return handle, None
        router = self.build(handle, conversation_id, ask)
        return router.route(messages), router.router_name

    def primary(self, handle: str) -> str:
        return self.build(handle).primary

    def _first_model(self) -> str:
        models = self.catalog.models()
        local = [m for m in models if not m.provider.needs_key]
        candidates = local or models
        if not candidates:
            raise UnknownModel("no model is available for the router to use")
        return candidates[0].handle
