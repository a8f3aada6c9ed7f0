"""Assistants and their conversations: creation with isolated blocks, the effective model,
and the compiled system prompt (Letta's recompile).

A conversation's system prompt is compiled once (at creation, on recompile, after a
compaction) and stored, so an edit to an assistant or a block reaches a running
conversation only when it is recompiled: what the model sees changes when the user says so.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from chinwag.core.conversations.model_choice import answering_model, answering_settings
from chinwag.core.llm.catalog import Catalog
from chinwag.core.store import Store
from chinwag.core.types import DEFAULT_ASSISTANT_ID, Assistant, Block, Conversation


class RecompileResult(BaseModel):
    system: str
    in_context_message_ids: list[str]


def compile_system(
    system_prompt: str, blocks: list[Block], summary: str | None
) -> str:  # fmt: skip
    """The system message: instructions, then each block, then the summary of what left."""
    parts = [system_prompt.strip()] if system_prompt.strip() else []
    for block in blocks:
        parts.append(f"<{block.label}>\n{block.value}\n</{block.label}>")
    if summary:
        parts.append(
            "<conversation_summary>\nEarlier messages, no longer shown, in summary:\n"
            f"{summary}\n</conversation_summary>"
        )
    return "\n\n".join(parts)


class Assistants:
    def __init__(self, store: Store) -> None:
        self.store = store

    def default(self) -> Assistant:
        return self.store.assistants.get(DEFAULT_ASSISTANT_ID)

    def model_settings_of(self, conversation: Conversation) -> dict[str, Any]:
        return answering_settings(conversation, self.store.assistants.get(conversation.agent_id))

    def model_of(self, conversation: Conversation, catalog: Catalog) -> str:
        return answering_model(conversation, self.store.assistants.get(conversation.agent_id),
                               catalog)  # fmt: skip

    def system_of(self, conversation: Conversation) -> str:
        """The compiled system prompt, compiling it now for a conversation that has none."""
        compiled = self.store.compiled_system(conversation.id)
        if compiled is None:
            compiled = self.recompile(conversation.id).system
        return compiled

    def recompile(self, conversation_id: str) -> RecompileResult:
        """Rebuild the system message from the current assistant, blocks and summary."""
        system = self.compile(self.store.get_conversation(conversation_id))
        updated = self.store.update_conversation(conversation_id, compiled_system=system)
        return RecompileResult(system=system, in_context_message_ids=updated.in_context_message_ids)

    def compile(self, conversation: Conversation) -> str:
        """The system message as it would be compiled now; stores nothing."""
        assistant = self.store.assistants.get(conversation.agent_id)
        return compile_system(
            conversation.system_prompt
            if conversation.system_prompt is not None
            else assistant.system_prompt,
            self.store.assistants.conversation_blocks(conversation.id),
            conversation.summary,
        )

    def set_block(
        self, label: str, value: str, conversation_id: str | None = None,
        assistant_id: str | None = None,
    ) -> Block:  # fmt: skip
        """Edit a block where it lives: an isolated copy stays local to its conversation."""
        if conversation_id is not None:
            conversation = self.store.get_conversation(conversation_id)
            isolated = {
                b.label for b in self.store.assistants.conversation_blocks(conversation_id)
                if b.conversation_id == conversation_id
            }  # fmt: skip
            if label in isolated:
                return self.store.assistants.set_block(
                    label, value, conversation_id=conversation_id
                )
            assistant_id = conversation.agent_id
        if assistant_id is None:
            raise ValueError("give a conversation or an assistant")
        return self.store.assistants.set_block(label, value, assistant_id=assistant_id)
