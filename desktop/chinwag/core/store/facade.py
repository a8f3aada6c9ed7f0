"""Store: the one object the rest of Chinwag uses for its history.

A thin facade over one Connection and the tables that share it. Composition, not mixins:
each table is a small class with a single job and only the Connection in common, and the
facade's methods spell out the public API (names, signatures, what each promises) in one
place, so callers never depend on how the tables are split.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chinwag.core.store.assistants import AssistantTable
from chinwag.core.store.cancels import CancelRequests
from chinwag.core.store.compactions import CompactionTable
from chinwag.core.store.connection import Connection
from chinwag.core.store.conversations import ConversationTable
from chinwag.core.store.messages import MessageTable
from chinwag.core.store.usage import UsageTable
from chinwag.core.types import Conversation, Message


class Store:
    """SQLite store: conversations and messages, WAL, FTS5, checkpointed streaming."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # The raw connection, for the store's own modules and for tests that need SQL.
        self.connection = Connection(path)
        self.notices = self.connection.notices  # things a person should be told at start-up
        self.assistants = AssistantTable(self.connection)
        self.compactions = CompactionTable(self.connection)
        self.usage = UsageTable(self.connection)
        self._conversations = ConversationTable(self.connection)
        self._messages = MessageTable(self.connection)
        self._cancels = CancelRequests(self.connection)

    @property
    def read_only(self) -> str:
        """The reason when the disk is full or read-only (history readable, no saving)."""
        return self.connection.read_only

    def close(self) -> None:
        self.connection.close()

    def integrity_ok(self) -> bool:
        return self.connection.integrity_ok()

    # -- conversations --------------------------------------------------------------------

    def create_conversation(self, conversation: Conversation | None = None) -> Conversation:
        return self._conversations.create(conversation)

    def get_conversation(self, conversation_id: str) -> Conversation:
        return self._conversations.get(conversation_id)

    def list_conversations(
        self, search: str | None = None, include_archived: bool = False, limit: int = 500
    ) -> list[Conversation]:
        return self._conversations.all(search, include_archived, limit)

    def update_conversation(self, conversation_id: str, **fields: Any) -> Conversation:
        return self._conversations.update(conversation_id, **fields)

    def delete_conversation(self, conversation_id: str) -> None:
        self._conversations.delete(conversation_id)

    def compiled_system(self, conversation_id: str) -> str | None:
        return self._conversations.compiled_system(conversation_id)

    # -- messages -------------------------------------------------------------------------

    def add_message(self, message: Message, as_root: bool = False) -> Message:
        """Append a message to the chosen branch (or after message.parent_id) and choose it.

        as_root starts a new branch at the very beginning (an edited first message).
        """
        return self._messages.add(message, as_root)

    def checkpoint(self, message_id: str, text: str, reasoning: str = "") -> None:
        """Save the text streamed so far; called about every half second while streaming."""
        self._messages.checkpoint(message_id, text, reasoning)

    def finish_message(self, message: Message) -> None:
        """Write the final state of a streamed message (complete, cancelled or error)."""
        self._messages.finish(message)

    def get_message(self, message_id: str) -> Message:
        return self._messages.get(message_id)

    def context_messages(self, conversation_id: str) -> list[Message]:
        """What the model sees next: the chosen branch from the compaction point on, and
        every pinned message."""
        return self._messages.in_context(conversation_id)

    def list_messages(
        self,
        conversation_id: str,
        offset: int = 0,
        limit: int | None = None,
        all_branches: bool = False,
    ) -> list[Message]:
        """The chosen branch, oldest first (every message, in or out of context);
        all_branches=True gives every message ever written, in write order."""
        if all_branches:
            return self._messages.in_write_order(conversation_id, offset, limit)
        return self._messages.on_branch(conversation_id, offset, limit)

    def count_messages(self, conversation_id: str) -> int:
        """Every message row of the conversation, on every branch."""
        return self._messages.count(conversation_id)

    def branch_length(self, conversation_id: str) -> int:
        """How many messages the chosen branch holds: len(list_messages(conversation_id))
        without reading them."""
        return self._messages.branch_length(conversation_id)

    def set_pinned(self, message_id: str, pinned: bool) -> None:
        """A pinned message stays in the model's context through every compaction."""
        self._messages.set_pinned(message_id, pinned)

    def seq_of(self, message_id: str) -> int:
        return self._messages.seq_of(message_id)

    def children(self, message_id: str | None, conversation_id: str) -> list[Message]:
        """Messages written right after message_id (None: the roots), oldest first."""
        return self._messages.children(message_id, conversation_id)

    def path_ids(self, leaf_id: str) -> list[str]:
        """The ids from the root down to leaf_id (any message, chosen branch or not)."""
        return self._messages.path_ids(leaf_id)

    def message_outline(self, conversation_id: str) -> list[tuple[str, int, int]]:
        """(id, characters, line breaks) of each message on the chosen branch, in order:
        enough for a view to estimate heights of 10,000 messages without loading their text."""
        return self._messages.outline(conversation_id)

    def conversation_totals(self, conversation_id: str) -> tuple[int, float | None]:
        """Total tokens and cost (USD, None when no message has a known price)."""
        return self._messages.totals(conversation_id)

    # -- cancel across processes ----------------------------------------------------------

    def request_cancel(self, conversation_id: str) -> bool:
        """Ask whoever streams into this conversation to stop; False when nothing streams."""
        return self._cancels.request(conversation_id)

    def cancel_requested(self, conversation_id: str) -> bool:
        return self._cancels.requested(conversation_id)

    def clear_cancel(self, conversation_id: str) -> None:
        self._cancels.clear(conversation_id)
