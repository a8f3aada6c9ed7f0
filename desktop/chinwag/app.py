"""The composition root: the one place that wires the core, the plugins and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chinwag.core.conversations.assistants import Assistants
from chinwag.core.conversations.branches import Branches
from chinwag.core.conversations.chat import ChatService
from chinwag.core.conversations.compaction import CompactionSettings
from chinwag.core.conversations.compactor import Compactor
from chinwag.core.conversations.service import Conversations
from chinwag.core.conversations.titles import Titler
from chinwag.core.llm.catalog import Catalog
from chinwag.core.llm.completion import Completer
from chinwag.core.llm.routing import Routers
from chinwag.core.store import Store
from chinwag.core.system import logs, paths
from chinwag.core.system import settings as settings_file
from chinwag.core.system.keys import KeyStore
from chinwag.core.system.settings import Settings
from chinwag.core.usage.budgets import Budgets
from chinwag.core.usage.metering import Meter
from chinwag.core.usage.registry import LLMRegistry
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
    # Conversations (issue 5): assistants, compaction, titles, branches.
    assistants: Assistants = field(init=False)
    compactor: Compactor = field(init=False)
    titler: Titler = field(init=False)
    branches: Branches = field(init=False)
    conversations: Conversations = field(init=False)  # the front door every front end calls
    # Usage (issue 8): budgets and routers; the ledger is `store.usage`.
    budgets: Budgets = field(init=False)
    routers: Routers = field(init=False)

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
    registry = LLMRegistry()
    budgets = Budgets(store, settings, catalog)
    routers = Routers(plugins.routers, catalog, budgets, settings)
    catalog.router_primary = routers.primary
    meter = Meter(store, registry, budgets)
    backends: dict[str, Any] = {}

    def backend_for(name: str) -> Any:
        """Every backend, built in or a plugin's, is metered: ledger, budgets, logs."""
        if name not in backends:
            backends[name] = meter.wrap(plugins.backend(name))
        return backends[name]

    chat = ChatService(store, catalog, registry, backend_for, routers=routers)
    notices += store.notices
    notices += [
        f"Plugin {r.name} failed to load: {r.error}"
        for r in plugins.records
        if r.status == "failed"
    ]
    services = Services(store, settings, plugins, keys, catalog, registry, chat, notices)
    services.budgets, services.routers = budgets, routers
    _wire_conversations(services, backend_for)
    return services


def _wire_conversations(services: Services, backend_for: Any) -> None:
    """Assistants, compaction (automatic before a reply), titles (after the first one)."""
    store, settings, chat = services.store, services.settings, services.chat
    completer = Completer(services.catalog, services.registry, backend_for)
    completer.routers = services.routers
    services.assistants = chat.assistants
    services.compactor = Compactor(
        store, services.catalog, chat.assistants, completer, services.plugins.summarizers,
        threshold=settings.compaction_threshold, summarizer_model=settings.summarizer_model,
    )  # fmt: skip
    services.titler = Titler(store, completer, settings.title_model)
    services.branches = Branches(store)
    services.conversations = Conversations(
        store, services.catalog, chat, services.compactor, services.titler, services.branches
    )

    def compact_if_needed(conversation_id: str) -> None:
        if services.compactor.needs_compaction(conversation_id):
            services.compactor.compact(
                conversation_id, CompactionSettings(mode=settings.compaction_mode)
            )

    def title_after_first_exchange(conversation_id: str, reply: Any) -> None:
        conversation = store.get_conversation(conversation_id)
        services.titler.after_first_exchange(conversation_id, chat.model_of(conversation))

    if settings.auto_compact:
        chat.before_reply.append(compact_if_needed)
    if settings.auto_title:
        chat.after_reply.append(title_after_first_exchange)
