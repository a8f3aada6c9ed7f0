"""Conversations and everything done to them; `Conversations` (service.py) is the front door
every front end calls. Front ends import what they need from here, never from the store or
a backend."""

from chinwag.core.store import StoreError
from chinwag.core.store.watch import ConversationMark, StoreWatch


def warm_up() -> None:
    """Ready the model-call machinery (litellm's import and first-call set-up) so the first
    reply skips it; slow, so call it off the UI thread."""
    from chinwag.core.llm.litellm_backend import warm_up as ready

    ready()


__all__ = ["ConversationMark", "StoreError", "StoreWatch", "warm_up"]
