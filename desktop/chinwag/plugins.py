"""Plugin loading that survives broken plugins.

Each entry point is imported on its own, and each plugin's hooks are called on their
own, so a plugin that fails at import, in a hook, or by registering something invalid is
disabled and recorded; every other plugin still works.

Which plugins load: CHINWAG_LOAD_PLUGINS (comma-separated distribution or entry-point
names; empty means none) when set, minus the user's `disabled_plugins` setting.

Where they come from: the Python environment Chinwag runs in, then the plugins folder
(`plugins_dir()`), which is how a user adds a plugin to the installed app, whose bundled
Python has no pip: `pip install --target <plugins folder> --no-deps PLUGIN`.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from chinwag import hookspecs
from chinwag.core.llm.litellm_backend import LiteLLMBackend
from chinwag.core.llm.provider import Provider
from chinwag.core.llm.routing import RouterSpec
from chinwag.core.system import paths

GROUP = "chinwag"
IMPORT_TIMEOUT_SECONDS = float(os.environ.get("CHINWAG_PLUGIN_IMPORT_TIMEOUT", "10"))
HOOKS = ("register_providers", "register_backends", "register_summarizers", "register_routers")


@dataclass
class PluginRecord:
    name: str
    distribution: str
    version: str
    status: str = "ok"  # "ok", "failed" or "disabled"
    error: str | None = None
    providers: list[str] = field(default_factory=list)
    backends: list[str] = field(default_factory=list)
    summarizers: list[str] = field(default_factory=list)
    routers: list[str] = field(default_factory=list)
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
    routers: dict[str, RouterSpec] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # "provider:openai" -> plugin name

    def backend(self, name: str) -> Any:
        return self.backend_factories[name]()


def _selected() -> set[str] | None:
    raw = os.environ.get("CHINWAG_LOAD_PLUGINS")
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def plugins_dir() -> Path:
    return paths.home() / "plugins"


def _entry_points() -> list[importlib.metadata.EntryPoint]:
    # Appended, so the environment's own packages (Chinwag, its bundled plugins) win over
    # a same-named copy in the folder; importlib.metadata and imports both read sys.path.
    folder = plugins_dir()
    if any(folder.glob("*.dist-info")) and str(folder) not in sys.path:
        sys.path.append(str(folder))
    return sorted(importlib.metadata.entry_points(group=GROUP), key=lambda ep: ep.name)


def load_plugins(disabled: Collection[str] = ()) -> PluginHost:
    """Load every selected plugin; `disabled` names (entry point or distribution) are skipped."""
    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(hookspecs)
    host = PluginHost(manager)
    host.backend_factories["litellm"] = LiteLLMBackend  # built in, registered explicitly
    selected = _selected()
    # dist.name and dist.version each parse the METADATA file again: once per distribution
    # instead (18 plugins from a few distributions: ~100 ms of the app's start).
    described: dict[int, tuple[str, str]] = {}
    for entry_point in _entry_points():
        dist = entry_point.dist
        if dist is None:
            dist_name, version = entry_point.value, ""
        else:
            if id(dist) not in described:
                metadata = dist.metadata
                described[id(dist)] = (metadata["Name"], metadata["Version"])
            dist_name, version = described[id(dist)]
        names = {entry_point.name, dist_name}
        if selected is not None and not names & selected:
            continue
        record = PluginRecord(entry_point.name, dist_name, version)
        host.records.append(record)
        if names & set(disabled):
            record.status = "disabled"
            continue
        started = time.perf_counter()
        try:
            _load(host, record, entry_point)
        finally:
            record.load_ms = round((time.perf_counter() - started) * 1000, 2)
    return host


def _import(entry_point: importlib.metadata.EntryPoint) -> Any:
    """Import on a helper thread, and give up on a plugin that takes too long: its thread
    is left behind (a daemon), the app goes on without it."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["plugin"] = entry_point.load()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True, name=f"plugin-import-{entry_point.name}")
    thread.start()
    thread.join(IMPORT_TIMEOUT_SECONDS)
    if thread.is_alive():
        raise TimeoutError(f"importing it took over {IMPORT_TIMEOUT_SECONDS:g} s; gave up on it")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["plugin"]


def _load(
    host: PluginHost, record: PluginRecord, entry_point: importlib.metadata.EntryPoint
) -> None:
    try:
        plugin = _import(entry_point)
        host.manager.register(plugin, name=entry_point.name)
    except BaseException as error:  # SystemExit and friends from a plugin too
        record.fail(error)
        record.error = f"{record.error}\n{traceback.format_exc(limit=3)}"
        return
    _collect(host, record, plugin)


def _collect(host: PluginHost, record: PluginRecord, plugin: object) -> None:
    """Call each of this plugin's hooks on its own and validate what it registers."""

    def claim(kind: str, name: str) -> None:
        owner = host.owners.get(f"{kind}:{name}")
        if owner is not None:
            raise ValueError(f"{kind} id {name!r} is already registered by plugin {owner!r}")
        host.owners[f"{kind}:{name}"] = record.name

    def add_provider(provider: Provider) -> None:
        if not isinstance(provider, Provider):
            raise TypeError(f"register_providers got {type(provider).__name__}, not Provider")
        claim("provider", provider.id)
        host.providers[provider.id] = provider
        record.providers.append(provider.id)

    def add_backend(name: str, factory: Callable[[], Any]) -> None:
        if not callable(factory):
            raise TypeError(f"backend {name!r}: factory is not callable")
        if name in host.backend_factories and f"backend:{name}" not in host.owners:
            raise ValueError(f"backend {name!r} is built in")
        claim("backend", name)
        host.backend_factories[name] = factory
        record.backends.append(name)

    added_summarizers: list[Any] = []

    def add_summarizer(summarizer: Any) -> None:
        host.summarizers.append(summarizer)
        added_summarizers.append(summarizer)
        record.summarizers.append(str(getattr(summarizer, "mode", type(summarizer).__name__)))

    def add_router(spec: RouterSpec) -> None:
        if not isinstance(spec, RouterSpec):
            raise TypeError(f"register_routers got {type(spec).__name__}, not RouterSpec")
        claim("router", spec.name)
        host.routers[spec.name] = spec
        record.routers.append(spec.name)

    registers: dict[str, Callable[..., None]] = {
        "register_providers": add_provider,
        "register_backends": add_backend,
        "register_summarizers": add_summarizer,
        "register_routers": add_router,
    }
    for hook_name in HOOKS:
        caller = getattr(host.manager.hook, hook_name)
        for implementation in caller.get_hookimpls():
            if implementation.plugin is not plugin:
                continue
            try:
                implementation.function(register=registers[hook_name])
            except Exception as error:
                record.fail(error)
    if record.status == "failed":
        _withdraw(host, record, added_summarizers)
        host.manager.unregister(plugin)


def _withdraw(host: PluginHost, record: PluginRecord, summarizers: list[Any]) -> None:
    """A failed plugin is disabled whole: nothing it registered stays."""
    for provider_id in record.providers:
        host.providers.pop(provider_id, None)
        host.owners.pop(f"provider:{provider_id}", None)
    for backend in record.backends:
        host.backend_factories.pop(backend, None)
        host.owners.pop(f"backend:{backend}", None)
    for router in record.routers:
        host.routers.pop(router, None)
        host.owners.pop(f"router:{router}", None)
    host.summarizers = [s for s in host.summarizers if not any(s is t for t in summarizers)]
