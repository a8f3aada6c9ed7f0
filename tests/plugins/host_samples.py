"""Plugins for the host tests, each a namespace class named by an in-test entry point."""

from __future__ import annotations

from chinwag.core.provider import ModelInfo, Provider
from chinwag.hookspecs import RegisterBackend, RegisterProvider, hookimpl


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
