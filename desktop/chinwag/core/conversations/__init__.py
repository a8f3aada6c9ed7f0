"""Conversations and everything done to them; `Conversations` is the front door every front
end calls. Front ends import what they need from here, never from the store."""

from chinwag.core.store import StoreError
from chinwag.core.store.watch import ConversationMark, StoreWatch

__all__ = ["ConversationMark", "StoreError", "StoreWatch"]
