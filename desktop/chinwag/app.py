"""The composition root: the one place that wires the core, the plugins and the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chinwag.core.conversations.assistants import Assistants
from chinwag.core.conversations.branches import Branches
from chinwag.core.conversations.chat import ChatService
from chinwag.core.conversations.compaction import CompactionSettings
from chinwag.core.conversations.compactor import Compactor
from chinwag.core.conversations.service import Conversations
from chinwag.core.conversations.titles import Titler
from chinwag.core.llm.backend import Backend
from chinwag.core.llm.calls import Calls
from chinwag.core.llm.catalog import Catalog
from chinwag.core.llm.routing import Routers, RouterSpec
from chinwag.core.store import Store
from chinwag.core.system import logs, paths
from chinwag.core.system import settings as settings_file
from chinwag.core.system.keys import KeyStore
from chinwag.core.system.settings import Settings
from chinwag.core.usage.budgets import Budgets
from chinwag.core.usage.metering import Meter
from chinwag.plugins import PluginHost, load_plugins


@dataclass
class Services:
    store: Store
    settings: Settings
    plugins: PluginHost
    keys: KeyStore
    catalog: Catalog  # providers and their models
    budgets: Budgets
    routers: Routers  # `router/<name>` handles
    calls: Calls  # the one way to call a model
    chat: ChatService
    assistants: Assistants
    compactor: Compactor
    titler: Titler
    branches: Branches
    conversations: Conversations  # the front door every front end calls
    notices: list[str]

    def close(self) -> None:
        self.store.close()


def build() -> Services:
    log_notice = logs.setup()
    settings, notices = settings_file.load()
    notices += [log_notice] if log_notice else []
    store = Store(paths.database_path())
    plugins = load_plugins(disabled=settings.disabled_plugins)
    keys = KeyStore()
    catalog = Catalog(plugins.providers, keys, settings)
    catalog.built_in = plugins.built_in_providers()
    calls = calls_for(store, settings, catalog, plugins.backend, plugins.routers)
    assistants = Assistants(store)
    chat = ChatService(store, catalog, calls, assistants)
    compactor = Compactor(
        store, catalog, assistants, calls, plugins.summarizers,
        threshold=settings.compaction_threshold, summarizer_model=settings.summarizer_model,
    )  # fmt: skip
    titler = Titler(store, calls, settings.title_model)
    branches = Branches(store)
    conversations = Conversations(store, calls, chat, compactor, titler, branches)
    _automate(settings, store, chat, compactor, titler)
    notices += store.notices
    notices += [
        f"Plugin {r.name} failed to load: {r.error}"
        for r in plugins.records
        if r.status == "failed"
    ]
    notices += [f"Plugins: {warning}" for warning in plugins.warnings]
    return Services(
        store=store,
        settings=settings,
        plugins=plugins,
        keys=keys,
        catalog=catalog,
        budgets=calls.meter.budgets,
        routers=calls.routers,
        calls=calls,
        chat=chat,
        assistants=assistants,
        compactor=compactor,
        titler=titler,
        branches=branches,
        conversations=conversations,
        notices=notices,
    )


def calls_for(
    store: Store,
    settings: Settings,
    catalog: Catalog,
    backend_factory: Callable[[str], Backend],
    router_specs: dict[str, RouterSpec] | None = None,
) -> Calls:
    """The call builder with its budgets, routers and metering (also for a harness)."""
    budgets = Budgets(store, settings, catalog)
    routers = Routers(router_specs or {}, catalog, budgets, settings)
    return Calls(catalog, routers, Meter(store, budgets), backend_factory)


def _automate(
    settings: Settings, store: Store, chat: ChatService, compactor: Compactor, titler: Titler
) -> None:
    """Compaction before a reply when the context is nearly full, a title after the first."""

    def compact_if_needed(conversation_id: str) -> None:
        if compactor.needs_compaction(conversation_id):
            compactor.compact(conversation_id, CompactionSettings(mode=settings.compaction_mode))

    def title_after_first_exchange(conversation_id: str, reply: Any) -> None:
        conversation = store.get_conversation(conversation_id)
        titler.after_first_exchange(conversation_id, chat.model_of(conversation))

    if settings.auto_compact:
        chat.before_reply.append(compact_if_needed)
    if settings.auto_title:
        chat.after_reply.append(title_after_first_exchange)
