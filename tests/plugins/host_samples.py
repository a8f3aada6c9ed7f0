"""Plugins for the host tests, each a namespace class named by an in-test entry point."""

from __future__ import annotations

from typing import Any

from chinwag.core.llm.provider import ModelInfo, Provider
from chinwag.core.llm.routing import RouterLLM, RouterSpec, RoutingContext
from chinwag.hookspecs import RegisterBackend, RegisterProvider, RegisterRouter, hookimpl


def provider(provider_id: str) -> Provider:
    return Provider(
        id=provider_id,
        display_name=provider_id.title(),
        litellm_prefix="openai",
        needs_key=False,
        list_models=lambda: [ModelInfo(name="m1")],
    )


class Good:
    @staticmethod
    @hookimpl
    def register_providers(register: RegisterProvider) -> None:
        register(provider("good"))


class SameIdAsGood:
    @staticmethod
    @hookimpl
    def register_providers(register: RegisterProvider) -> None:
        register(provider("good"))


class RaisesInHook:
    @staticmethod
    @hookimpl
    def register_providers(register: RegisterProvider) -> None:
        raise RuntimeError("hook exploded")


class RegistersJunk:
    """Registers one valid provider, then something that is not a Provider."""

    @staticmethod
    @hookimpl
    def register_providers(register: RegisterProvider) -> None:
        register(provider("half"))
        register("not a provider")  # type: ignore[arg-type]


class GoodBackend:
    @staticmethod
    @hookimpl
    def register_backends(register: RegisterBackend) -> None:
        register("echo", object)  # type: ignore[arg-type]


class WrongHookArguments:
    """A hook whose parameters don't match the spec: rejected when registered."""

    @staticmethod
    @hookimpl
    def register_providers(callback: RegisterProvider) -> None:
        callback(provider("wrong"))


class RoutesToGood:
    """A third-party router: always the `good` provider's model."""

    @staticmethod
    @hookimpl
    def register_routers(register: RegisterRouter) -> None:
        register(RouterSpec("always_good", "always good/m1", AlwaysGood.build))


class AlwaysGood(RouterLLM):
    def select_llm(self, messages: list[dict[str, Any]]) -> str:
        return "only"

    @classmethod
    def build(cls, context: RoutingContext) -> AlwaysGood:
        return cls(router_name="always_good", llms_for_routing={"only": "good/m1"}, context=context)


class RoutesTwice:
    """Registers the router name another plugin owns."""

    @staticmethod
    @hookimpl
    def register_routers(register: RegisterRouter) -> None:
        register(RouterSpec("always_good", "a second one", AlwaysGood.build))


class RegistersJunkRouter:
    @staticmethod
    @hookimpl
    def register_routers(register: RegisterRouter) -> None:
        register(AlwaysGood)  # type: ignore[arg-type]


class WordsBackend:
    """A plugin's own backend: two words and a usage event without a price."""

    def stream(self, request: Any, cancel: Any) -> Any:
        from chinwag.core.llm.backend import Done, TextDelta, UsageEvent
        from chinwag.core.types import Usage

        yield TextDelta(text="two words")
        yield UsageEvent(usage=Usage(prompt_tokens=7, completion_tokens=3))
        yield Done()


class CountedProvider:
    """A provider served by its plugin's own backend, with prices in its model list."""

    @staticmethod
    @hookimpl
    def register_providers(register: RegisterProvider) -> None:
        info = ModelInfo(name="m1", input_cost_per_token=0.5, output_cost_per_token=2.0)
        register(
            Provider(
                id="counted",
                display_name="Counted",
                litellm_prefix="openai",
                needs_key=False,
                backend="words",
                list_models=lambda: [info],
            )
        )

    @staticmethod
    @hookimpl
    def register_backends(register: RegisterBackend) -> None:
        register("words", WordsBackend)
