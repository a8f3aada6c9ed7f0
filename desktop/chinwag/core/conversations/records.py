"""Conversations as stored: the reads views make, and the edits that need no model call.

`Conversations` (service.py), the front door, builds on this; a view that only reads and
edits (the message view, the conversation list, the usage table) can be given this alone.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from chinwag.core.conversations.assistants import Assistants, RecompileResult
from chinwag.core.conversations.export import ConversationExport, import_data, to_json
from chinwag.core.conversations.markdown_export import to_markdown
from chinwag.core.store import Store
from chinwag.core.store.watch import StoreWatch
from chinwag.core.types import (
    DEFAULT_ASSISTANT_ID,
    Assistant,
    Block,
    Compaction,
    Conversation,
    Message,
)
from chinwag.core.usage.ledger import Grouping, UsageTotals

# What `update` may change; a summary or system prompt also recompiles what the model sees.
EDITABLE = {"title", "summary", "model", "model_settings", "system_prompt", "archived", "pinned"}


class ConversationRecords:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._assistants = Assistants(store)

    # -- create, read, update, delete ------------------------------------------------------

    def create(
        self,
        assistant_id: str | None = None,
        model: str | None = None,
        model_settings: dict[str, Any] | None = None,
        isolated_block_labels: list[str] | None = None,
        summary: str | None = None,
        system_prompt: str | None = None,
        title: str | None = None,
    ) -> Conversation:
        """A new conversation, compiled at once; a title given is the user's and is kept,
        none lets the titler name it after the first exchange. KeyError: unknown assistant
        or block label."""
        assistant = self._store.assistants.get(assistant_id or DEFAULT_ASSISTANT_ID)
        conversation = self._store.create_conversation(
            Conversation(
                agent_id=assistant.id,
                model=model,
                model_settings=model_settings,
                summary=summary,
                system_prompt=system_prompt,
                title=title,
                title_set_by_user=title is not None,
            )
        )
        if isolated_block_labels:  # copies of the assistant's blocks, edited only here
            try:
                self._store.assistants.isolate(conversation.id, assistant.id, isolated_block_labels)
            except KeyError:
                self._store.delete_conversation(conversation.id)
                raise
        self._assistants.recompile(conversation.id)
        return self.get(conversation.id)

    def get(self, conversation_id: str) -> Conversation:
        """KeyError for an unknown id."""
        return self._store.get_conversation(conversation_id)

    def find(
        self, search: str | None = None, include_archived: bool = False, limit: int = 500
    ) -> list[Conversation]:
        """Pinned first, then the most recently updated; search looks in titles and messages."""
        return self._store.list_conversations(search, include_archived, limit)

    def update(self, conversation_id: str, **fields: Any) -> Conversation:
        """Edit a conversation's details. A title is the user's from then on; a new summary or
        system prompt reaches the model at once (recompiled). Only what is given changes."""
        unknown = set(fields) - EDITABLE
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        if "title" in fields:
            fields["title_set_by_user"] = fields["title"] is not None
        updated = self._store.update_conversation(conversation_id, **fields)
        if "summary" in fields or "system_prompt" in fields:
            self._assistants.recompile(conversation_id)
            updated = self.get(conversation_id)
        return updated

    def delete(self, conversation_id: str) -> None:
        """KeyError for an unknown id."""
        self._store.delete_conversation(conversation_id)

    # -- named reads for views -------------------------------------------------------------

    def messages(
        self, conversation_id: str, offset: int = 0, limit: int | None = None
    ) -> list[Message]:
        """A page of the chosen branch, oldest first."""
        return self._store.list_messages(conversation_id, offset=offset, limit=limit)

    def message(self, message_id: str) -> Message:
        return self._store.get_message(message_id)

    def last_message(self, conversation_id: str) -> Message | None:
        """The newest message of the chosen branch (not of every branch)."""
        branch = self._store.list_messages(conversation_id)
        return branch[-1] if branch else None

    def outline(self, conversation_id: str) -> list[tuple[str, int, int]]:
        """(id, characters, line breaks) per message of the chosen branch: cheap heights."""
        return self._store.message_outline(conversation_id)

    def compactions(self, conversation_id: str) -> list[Compaction]:
        return self._store.compactions.of(conversation_id)

    def totals(self, conversation_id: str) -> tuple[int, float | None]:
        """Tokens and cost (USD; None when no price is known) of the whole conversation."""
        return self._store.conversation_totals(conversation_id)

    def compiled_system(self, conversation_id: str) -> str | None:
        return self._store.compiled_system(conversation_id)

    def set_pinned(self, message_id: str, pinned: bool) -> None:
        """A pinned message stays in the model's context through every compaction."""
        self._store.set_pinned(message_id, pinned)

    def watch(self) -> StoreWatch:
        """A cheap poll of the database for writes by anyone (this app, the API, the CLI)."""
        return StoreWatch(self._store.path)

    @property
    def database_path(self) -> Path:
        return self._store.path

    # -- the system prompt ----------------------------------------------------------------

    def recompile(self, conversation_id: str, dry_run: bool = False) -> RecompileResult:
        """The system prompt from the current assistant, blocks and summary."""
        if not dry_run:
            return self._assistants.recompile(conversation_id)
        conversation = self.get(conversation_id)
        return RecompileResult(
            system=self._assistants.compile(conversation),
            in_context_message_ids=conversation.in_context_message_ids,
        )

    # -- export and import -----------------------------------------------------------------

    def export_json(self, conversation_id: str) -> str:
        return to_json(self._store, conversation_id)

    def export_markdown(self, conversation_id: str) -> str:
        return to_markdown(self._store, conversation_id)

    def import_from(self, data: ConversationExport) -> str:
        """A new conversation from an export; returns its id."""
        return import_data(self._store, data)

    # -- assistants and their blocks --------------------------------------------------------

    def assistants(self) -> list[Assistant]:
        return self._store.assistants.all()

    def assistant(self, assistant_id: str) -> Assistant:
        """KeyError for an unknown id."""
        return self._store.assistants.get(assistant_id)

    def find_assistant(self, id_or_name: str) -> Assistant:
        """KeyError when no assistant has this id or name."""
        return self._store.assistants.find(id_or_name)

    def create_assistant(
        self, assistant: Assistant, blocks: dict[str, str] | None = None
    ) -> Assistant:
        return self._store.assistants.create(assistant, blocks)

    def update_assistant(self, assistant_id: str, **fields: Any) -> Assistant:
        return self._store.assistants.update(assistant_id, **fields)

    def assistant_blocks(self, assistant_id: str) -> list[Block]:
        return self._store.assistants.blocks(assistant_id)

    def blocks_of(self, conversation_id: str) -> list[Block]:
        """The blocks a conversation sees: its isolated copies and its assistant's shared ones."""
        return self._store.assistants.conversation_blocks(conversation_id)

    def set_block(
        self, label: str, value: str, conversation_id: str | None = None,
        assistant_id: str | None = None,
    ) -> Block:  # fmt: skip
        """Edit a block where it lives: an isolated copy stays local to its conversation."""
        return self._assistants.set_block(label, value, conversation_id, assistant_id)

    # -- usage and budgets -----------------------------------------------------------------

    def usage_totals(
        self, by: Grouping, since: date | None = None, conversation_id: str | None = None
    ) -> list[UsageTotals]:
        return self._store.usage.totals(by, since=since, conversation_id=conversation_id)

    def spent(self, provider: str | None = None, since: datetime | None = None) -> float:
        return self._store.usage.spent(provider=provider, since=since)

    def set_budget(self, conversation_id: str, usd: float | None) -> None:
        """A conversation's own spending limit (None: the default applies)."""
        self._store.usage.set_budget(conversation_id, usd)
