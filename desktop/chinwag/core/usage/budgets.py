"""Spending limits: `max_budget_per_task` per conversation and a monthly budget per provider.

Checked before every paid call (any provider that needs a key); a reached limit stops the
call with a message that says which limit, what was spent, and offers the local model.
Calls with no known price add nothing to what is spent: the limit holds on known prices.
"""

from __future__ import annotations

from datetime import datetime

from chinwag.core.llm.catalog import Catalog, split_handle
from chinwag.core.store import Store
from chinwag.core.system.settings import Settings


def month_start(now: datetime | None = None) -> datetime:
    """The first instant of this calendar month, in local time."""
    local = (now or datetime.now()).astimezone()
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


class Budgets:
    def __init__(self, store: Store, settings: Settings, catalog: Catalog) -> None:
        self.store = store
        self.settings = settings
        self.catalog = catalog

    def is_paid(self, handle: str) -> bool:
        """Calls to a provider that needs a key cost money; local ones do not."""
        try:
            return self.catalog.resolve(handle).provider.needs_key
        except LookupError:
            return True

    def limit_of(self, conversation_id: str) -> float | None:
        """The conversation's own budget, else the default from settings, else none."""
        own = self.store.usage.budget_of(conversation_id)
        return own if own is not None else self.settings.max_budget_per_task

    def problem(self, handle: str, conversation_id: str | None) -> str | None:
        """Why a call to `handle` must not be made now, or None when it may."""
        if not self.is_paid(handle):
            return None
        if conversation_id is not None:
            limit = self.limit_of(conversation_id)
            if limit is not None:
                spent = self.store.usage.spent(conversation_id=conversation_id)
                if spent >= limit:
                    return self._message(
                        f"this conversation has spent ${spent:.4f} of its ${limit:.4f} budget "
                        "(max_budget_per_task)"
                    )
        provider_id = _provider_of(handle)
        monthly = self.settings.monthly_budgets.get(provider_id)
        if monthly is not None:
            spent = self.store.usage.spent(provider=provider_id, since=month_start())
            if spent >= monthly:
                return self._message(
                    f"{provider_id} has cost ${spent:.4f} this month, its monthly budget is "
                    f"${monthly:.4f}"
                )
        return None

    def local_model(self) -> str | None:
        """A model that costs nothing to call, if one is installed."""
        keyless = [p for p in self.catalog.providers.values() if not p.needs_key]
        keyless.sort(key=lambda p: p.id != "local")  # the built-in one first
        for provider in keyless:
            models = provider.list_models() if self.catalog.not_ready(provider) is None else []
            if models:
                return provider.handle(models[0].name)
        return None

    def _message(self, reason: str) -> str:
        local = self.local_model()
        offer = (
            f"switch to the local model {local} (free)"
            if local
            else "add a local model (a .gguf file in the models folder)"
        )
        return f"Budget reached: {reason}. No paid call was made; {offer}, or raise the budget."


def _provider_of(handle: str) -> str:
    try:
        return split_handle(handle)[0]
    except LookupError:
        return handle
