"""Branches: an edited user message or a regenerated reply is a new version beside the old.

Messages form a tree (each has a parent); the conversation's `leaf_id` picks one path
through it, which is what is shown and sent. Versions of a message are its siblings with
the same role. Choosing a version continues from its newest descendant.
"""

from __future__ import annotations

from pydantic import BaseModel

from chinwag.core.store import Store
from chinwag.core.types import ContentPart, Message, Role, TextPart


class VersionInfo(BaseModel):
    """For the `< 2/3 >` arrows: this message's place among its versions."""

    message_id: str
    index: int  # 1-based
    count: int
    version_ids: list[str]


class Branches:
    def __init__(self, store: Store) -> None:
        self.store = store

    def versions(self, message_id: str) -> VersionInfo:
        message = self.store.get_message(message_id)
        siblings = [
            m for m in self.store.children(message.parent_id, message.conversation_id)
            if m.role == message.role
        ]  # fmt: skip
        ids = [m.id for m in siblings]
        return VersionInfo(
            message_id=message_id, index=ids.index(message_id) + 1, count=len(ids), version_ids=ids
        )

    def path_versions(self, conversation_id: str) -> list[tuple[Message, VersionInfo]]:
        """The chosen branch with each message's version info."""
        return [(m, self.versions(m.id)) for m in self.store.list_messages(conversation_id)]

    def select(self, message_id: str) -> str:
        """Continue from this version: the branch now ends at its newest descendant."""
        message = self.store.get_message(message_id)
        leaf = message
        while True:
            children = self.store.children(leaf.id, message.conversation_id)
            if not children:
                break
            leaf = children[-1]
        self._move_leaf(message.conversation_id, leaf.id)
        return leaf.id

    def edit(self, message_id: str, content: str | list[ContentPart]) -> Message:
        """A new version of a user message; the reply to it is yet to be generated."""
        original = self.store.get_message(message_id)
        if original.role != Role.USER:
            raise ValueError("only a user message can be edited; regenerate a reply instead")
        parts: list[ContentPart] = [TextPart(text=content)] if isinstance(content, str) else content
        edited = Message(
            conversation_id=original.conversation_id,
            role=Role.USER,
            content=parts,
            parent_id=original.parent_id,
        )
        self.store.add_message(edited, as_root=original.parent_id is None)
        self._restore_window(original.conversation_id)
        return edited

    def prepare_regenerate(self, message_id: str) -> str:
        """Point the branch at the reply's parent, so the next reply is a new version of it.

        Returns the conversation id; the caller then runs ChatService.reply."""
        reply = self.store.get_message(message_id)
        if reply.role != Role.ASSISTANT:
            raise ValueError("only a reply can be regenerated; edit a user message instead")
        if reply.parent_id is None:
            raise ValueError("this reply answers nothing")
        self._move_leaf(reply.conversation_id, reply.parent_id)
        return reply.conversation_id

    def _move_leaf(self, conversation_id: str, leaf_id: str) -> None:
        self.store.update_conversation(conversation_id, leaf_id=leaf_id)
        self._restore_window(conversation_id)

    def _restore_window(self, conversation_id: str) -> None:
        """Keep the context window meaningful on the new branch.

        The window starts after the newest compaction whose last evicted message is on this
        branch; a branch that forks before every compaction starts with the whole path.
        """
        conversation = self.store.get_conversation(conversation_id)
        path = self.store.path_ids(conversation.leaf_id) if conversation.leaf_id else []
        on_path = set(path)
        for compaction in reversed(self.store.compactions.of(conversation_id)):
            if compaction.last_evicted_id in on_path:
                if conversation.context_start != compaction.context_start_after:
                    self.store.update_conversation(
                        conversation_id,
                        context_start=compaction.context_start_after,
                        summary=compaction.summary,
                    )
                return
        if conversation.context_start:
            self.store.update_conversation(conversation_id, context_start=0, summary=None)
