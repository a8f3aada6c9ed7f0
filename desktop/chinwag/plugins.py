"""Plugin loading that survives broken plugins.

Each entry point is imported on its own, and each plugin's hooks are called on their
own, so a plugin that fails at import, in a hook, or by registering something invalid is
disabled and recorded; every other plugin still works. CHINWAG_LOAD_PLUGINS (a
comma-separated list of distribution names; empty means none) limits what loads.
"""

from __future__ import annotations

import importlib.metadata
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pluggy

from chinwag import hookspecs
from chinwag.core.litellm_backend import LiteLLMBackend
from chinwag.core.provider import Provider

GROUP = "chinwag"


@dataclass
class PluginRecord:
    name: str
    distribution: str
    version: str
    status: str = "ok"  # "ok" or "failed"
    error: str | None = None
    providers: list[str] = field(default_factory=list)
    backends: list[str] = field(default_factory=list)
    summarizers: list[str] = field(default_factory=list)
    load_ms: float = 0.0

    def fail(self, error: BaseException | str) -> None:
        self.status = "failed"
        text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self.error = text if self.error is None else f"{self.error}; {text}"


@dataclass
class PluginHost:
    """What the loaded plugins contributed, and how each plugin fared."""

    manager: pluggy.PluginManager
    records: list[PluginRecord] = field(default_factory=list)
    providers: dict[str, Provider] = field(default_factory=dict)
    backend_factories: dict[str, Callable[[], Any]] = field(default_factory=dict)
    summarizers: list[Any] = field(default_factory=list)

    def backend(self, name: str) -> Any:
        return self.backend_factories[name]()


def _selected() -> set[str] | None:
    raw = os.environ.get("CHINWAG_LOAD_PLUGINS")
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def _entry_points() -> list[importlib.metadata.EntryPoint]:
    return sorted(importlib.metadata.entry_points(group=GROUP), key=lambda ep: ep.name)


def load_plugins() -> PluginHost:
    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(hookspecs)
    host = PluginHost(manager)
    host.backend_factories["litellm"] = LiteLLMBackend
    selected = _selected()
    for entry_point in _entry_points():
        dist = entry_point.dist
        dist_name = dist.name if dist else entry_point.value
        if selected is not None and dist_name not in selected and entry_point.name not in selected:
            continue
        record = PluginRecord(entry_point.name, dist_name, dist.version if dist else "")
        host.records.append(record)
        started = time.perf_counter()
        try:
            module = entry_point.load()
            manager.register(module, name=entry_point.name)
        except BaseException as error:  # SystemExit and friends from a plugin too
            record.fail(error)
            record.error = f"{record.error}\n{traceback.format_exc(limit=3)}"
            continue
        _collect(host, record, module)
        record.load_ms = (time.perf_counter() - started) * 1000
    return host


def _collect(host: PluginHost, record: PluginRecord, module: ModuleType) -> None:
    """Call each of this plugin's hooks on its own and validate what it registers."""

    def add_provider(provider: Provider) -> None:
        if not isinstance(provider, Provider):
            raise TypeError(f"register_providers got {type(provider).__name__}, not Provider")
        if provider.id in host.providers:
            raise ValueError(f"provider id {provider.id!r} is already registered by another plugin")
        host.providers[provider.id] = provider
        record.providers.append(provider.id)

    def add_backend(name: str, factory: Callable[[], Any]) -> None:
        if not callable(factory):
            raise TypeError(f"backend {name!r}: factory is not callable")
        if name in host.backend_factories:
            raise ValueError(f"backend {name!r} is already registered")
        host.backend_factories[name] = factory
        record.backends.append(name)

    def add_summarizer(summarizer: Any) -> None:
        host.summarizers.append(summarizer)
        record.summarizers.append(str(getattr(summarizer, "mode", type(summarizer).__name__)))

    hooks: dict[str, Callable[..., None]] = {
        "register_providers": add_provider,
        "register_backends": add_backend,
        "register_summarizers": add_summarizer,
    }
    for hook_name, register in hooks.items():
        implementation = getattr(module, hook_name, None)
        if implementation is None:
            continue
        try:
            implementation(register=register)
        except Exception as error:
            record.fail(error)
    if record.status == "failed":
        _withdraw(host, record)
        host.manager.unregister(module)


def _withdraw(host: PluginHost, record: PluginRecord) -> None:
    """A failed plugin is disabled whole: nothing it registered stays."""
    for provider_id in record.providers:
        host.providers.pop(provider_id, None)
    for backend in record.backends:
        host.backend_factories.pop(backend, None)
