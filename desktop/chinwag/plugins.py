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
import logging
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
from chinwag.core.llm.provider import ModelInfo, Provider
from chinwag.core.llm.routing import RouterSpec
from chinwag.core.system import paths
from chinwag.plugin_calls import (
    HOOK_TIMEOUT_SECONDS,
    PluginFault,
    PluginHung,
    contained,
    describe,
)
from chinwag.plugin_checks import hidden_folder_copies, hook_mistakes, unknown_names

log = logging.getLogger(__name__)
GROUP = "chinwag"
BUILT_IN_DISTRIBUTION = "chinwag"  # the first-party plugins ship in Chinwag's own wheel
MODELS_TIMEOUT_SECONDS = float(os.environ.get("CHINWAG_PLUGIN_MODELS_TIMEOUT", "5"))
IMPORT_TIMEOUT_SECONDS = float(os.environ.get("CHINWAG_PLUGIN_IMPORT_TIMEOUT", "10"))
HOOKS = ("register_providers", "register_backends", "register_summarizers", "register_routers")


@dataclass
class PluginRecord:
    name: str
    distribution: str
    version: str
    status: str = "ok"  # "ok", "failed" or "disabled"
    error: str | None = None
    built_in: bool = False
    warnings: list[str] = field(default_factory=list)  # it loaded, but something is off
    models_error: str | None = None  # why its provider listed no models, when it failed
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
    warnings: list[str] = field(default_factory=list)  # not about one plugin: the selection

    def built_in_providers(self) -> set[str]:
        return {p for r in self.records if r.built_in for p in r.providers}

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
    """Load every selected plugin; `disabled` names (entry point or distribution) are skipped.

    The first-party plugins load first, so an id they register stays theirs: a third-party
    plugin registering the same id is the one that fails, with the clash as its reason.
    """
    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(hookspecs)
    host = PluginHost(manager)
    host.backend_factories["litellm"] = LiteLLMBackend  # built in, registered explicitly
    selected = _selected()
    # dist.name and dist.version each parse the METADATA file again: once per distribution
    # instead (18 plugins from a few distributions: ~100 ms of the app's start).
    described: dict[int, tuple[str, str]] = {}

    def describe_dist(entry_point: importlib.metadata.EntryPoint) -> tuple[str, str]:
        dist = entry_point.dist
        if dist is None:
            return entry_point.value, ""
        if id(dist) not in described:
            metadata = dist.metadata
            described[id(dist)] = (metadata["Name"], metadata["Version"])
        return described[id(dist)]

    def built_in(entry_point: importlib.metadata.EntryPoint) -> bool:
        return describe_dist(entry_point)[0] == BUILT_IN_DISTRIBUTION

    entry_points = sorted(_entry_points(), key=lambda ep: not built_in(ep))  # stable
    installed = {name for ep in entry_points for name in (ep.name, describe_dist(ep)[0])}
    if selected is not None:
        host.warnings += unknown_names("CHINWAG_LOAD_PLUGINS", selected, installed)
    host.warnings += unknown_names("disabled_plugins", disabled, installed)
    hidden = hidden_folder_copies(plugins_dir())  # on the plugin's record, or the host's
    for entry_point in entry_points:
        dist_name, version = describe_dist(entry_point)
        names = {entry_point.name, dist_name}
        if selected is not None and not names & selected:
            continue
        record = PluginRecord(entry_point.name, dist_name, version, built_in=built_in(entry_point))
        record.warnings += [hidden[dist_name]] if dist_name in hidden else []
        host.records.append(record)
        if names & set(disabled):
            record.status = "disabled"
            continue
        started = time.perf_counter()
        try:
            _load(host, record, entry_point)
        finally:
            record.load_ms = round((time.perf_counter() - started) * 1000, 2)
    listed = {record.distribution for record in host.records}
    host.warnings += [why for name, why in hidden.items() if name not in listed]
    for warning in host.warnings:
        log.warning("plugins: %s", warning)
    for record in host.records:
        if record.status == "failed":
            log.warning("plugin %s failed: %s", record.name, record.error)
        for warning in record.warnings:
            log.warning("plugin %s: %s", record.name, warning)
    return host


def _load(
    host: PluginHost, record: PluginRecord, entry_point: importlib.metadata.EntryPoint
) -> None:
    """Import it (contained: one that hangs is given up on) and register it with pluggy."""
    try:
        plugin = contained(entry_point.load, IMPORT_TIMEOUT_SECONDS, "importing it")
        host.manager.register(plugin, name=entry_point.name)
    except PluginFault as fault:
        record.fail(str(fault))
        if fault.__cause__ is not None:
            details = traceback.format_exception(fault.__cause__, limit=-3)
            record.error = f"{record.error}\n{''.join(details)}"
        return
    except Exception as error:  # pluggy refusing a hook whose arguments don't match
        record.fail(describe(error))
        return
    record.warnings += hook_mistakes(plugin, HOOKS)
    _collect(host, record, plugin)


def _collect(host: PluginHost, record: PluginRecord, plugin: object) -> None:
    """Call each of this plugin's hooks on its own, contained (see plugin_calls), and
    validate what it registers. A hook given up on may still run: once Chinwag has moved
    on, anything it registers is refused, so a failed plugin leaves nothing behind."""
    lock = threading.Lock()
    closed = threading.Event()

    def claim(kind: str, name: str) -> None:
        if closed.is_set():
            raise RuntimeError(f"{kind} {name!r} registered after Chinwag gave up on the hook")
        owner = host.owners.get(f"{kind}:{name}")
        if owner is not None:
            built_in = " (built in)" if _record(host, owner).built_in else ""
            raise ValueError(
                f"{kind} id {name!r} is already registered by plugin {owner!r}{built_in}"
            )
        host.owners[f"{kind}:{name}"] = record.name

    def add_provider(provider: Provider) -> None:
        if not isinstance(provider, Provider):
            raise TypeError(f"register_providers got {type(provider).__name__}, not Provider")
        with lock:
            claim("provider", provider.id)
            host.providers[provider.id] = _with_contained_models(provider, record)
            record.providers.append(provider.id)

    def add_backend(name: str, factory: Callable[[], Any]) -> None:
        if not callable(factory):
            raise TypeError(f"backend {name!r}: factory is not callable")
        with lock:
            if name in host.backend_factories and f"backend:{name}" not in host.owners:
                raise ValueError(f"backend {name!r} is built in")
            claim("backend", name)
            host.backend_factories[name] = factory
            record.backends.append(name)

    added_summarizers: list[Any] = []

    def add_summarizer(summarizer: Any) -> None:
        mode = getattr(summarizer, "mode", None)
        if not isinstance(mode, str) or not mode:
            raise TypeError(f"register_summarizers got {type(summarizer).__name__} with no mode")
        with lock:
            claim("summarizer", mode)
            host.summarizers.append(summarizer)
            added_summarizers.append(summarizer)
            record.summarizers.append(mode)

    def add_router(spec: RouterSpec) -> None:
        if not isinstance(spec, RouterSpec):
            raise TypeError(f"register_routers got {type(spec).__name__}, not RouterSpec")
        with lock:
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
                contained(
                    implementation.function, HOOK_TIMEOUT_SECONDS, hook_name,
                    register=registers[hook_name],
                )  # fmt: skip
            except PluginFault as fault:
                record.fail(str(fault))
    with lock:
        closed.set()
        if record.status == "failed":
            _withdraw(host, record, added_summarizers)
    if record.status == "failed":
        host.manager.unregister(plugin)


def _record(host: PluginHost, name: str) -> PluginRecord:
    return next(r for r in host.records if r.name == name)


def _with_contained_models(provider: Provider, record: PluginRecord) -> Provider:
    """The provider with a `list_models` that cannot take the app down: one that raises,
    returns junk or hangs lists no models (the others still show), and the plugin's record
    says why. Once it hangs, it is not called again until that call has returned."""
    plugin_list_models = provider.list_models
    hung: list[PluginHung] = []

    def list_models() -> list[ModelInfo]:
        if hung and hung[0].thread.is_alive():
            return []
        hung.clear()
        what = f"{provider.id} list_models"
        try:
            models = contained(plugin_list_models, MODELS_TIMEOUT_SECONDS, what)
            if not isinstance(models, list) or not all(isinstance(m, ModelInfo) for m in models):
                raise PluginFault(
                    f"{what} returned {type(models).__name__}, not ModelInfo list", None
                )
        except PluginFault as fault:
            if isinstance(fault, PluginHung):
                hung.append(fault)
            problem = f"{fault}; no {provider.display_name} models are listed"
            if problem != record.models_error:
                record.models_error = problem
                log.warning("plugin %s: %s", record.name, problem)
            return []
        return models

    return provider.model_copy(update={"list_models": list_models})


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
