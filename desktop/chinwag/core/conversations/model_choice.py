"""Which model answers a conversation: one rule, used by chat, compaction, titles and views."""

from __future__ import annotations

from typing import Any

from chinwag.core.llm.catalog import Catalog
from chinwag.core.types import Assistant, Conversation


def answering_model(conversation: Conversation, assistant: Assistant, catalog: Catalog) -> str:
    """The conversation's own model, else its assistant's, else the app default."""
    return conversation.model or assistant.model or catalog.default_handle()


def answering_settings(conversation: Conversation, assistant: Assistant) -> dict[str, Any]:
    """The conversation's model settings, else its assistant's: never a mix of the two."""
    if conversation.model_settings is not None:
        return conversation.model_settings
    return assistant.model_settings or {}
