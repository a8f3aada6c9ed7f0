"""The composition root: the one place that wires the core, the plugins and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chinwag.core import paths
from chinwag.core import settings as settings_file
from chinwag.core.catalog import Catalog
from chinwag.core.chat import ChatService
from chinwag.core.keys import KeyStore
from chinwag.core.registry import LLMRegistry
from chinwag.core.settings import Settings
from chinwag.core.store import Store
from chinwag.plugins import PluginHost, load_plugins


@dataclass
class Services:
    store: Store
    settings: Settings
    plugins: PluginHost
    keys: KeyStore
    catalog: Catalog
    registry: LLMRegistry
    chat: ChatService
    notices: list[str] = field(default_factory=list)

    def close(self) -> None:
        self.store.close()


def build() -> Services:
    settings, notices = settings_file.load()
    store = Store(paths.database_path())
    plugins = load_plugins()
    for record in plugins.records:  # disabled on the Plugins page: loaded, then withdrawn
        if record.name in settings.disabled_plugins and record.status == "ok":
            for provider_id in record.providers:
                plugins.providers.pop(provider_id, None)
            for backend in record.backends:
                plugins.backend_factories.pop(backend, None)
            record.status = "disabled"
    keys = KeyStore()
    catalog = Catalog(plugins.providers, keys, settings)
    registry = LLMRegistry()
    backends: dict[str, Any] = {}

    def backend_for(name: str) -> Any:
        if name not in backends:
            backends[name] = plugins.backend(name)
        return backends[name]

    chat = ChatService(store, catalog, registry, backend_for)
    notices += store.notices
    notices += [f"Plugin {r.name} failed to load: {r.error}" for r in plugins.records if r.error]
    return Services(store, settings, plugins, keys, catalog, registry, chat, notices)
