"""Conversation titles after OpenHands' generate_title: a model's title within max_length,
else a heuristic from the first message. A title the user set is never overwritten."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from chinwag.core.llm.calls import CallFailed, Calls
from chinwag.core.store import Store
from chinwag.core.types import Role

TITLE_PROMPT = (
    "Write a short title (a few words) for a conversation that starts with the message "
    "below. Reply with the title only, no quotes."
)


class TitleRequest(BaseModel):
    """OpenHands' GenerateTitleRequest."""

    max_length: int = Field(50, ge=1, le=200, description="Maximum length of the generated title")
    model: str | None = Field(None, description="provider/model-name; None: the title model")


def fit(text: str, max_length: int) -> str:
    """One line, no quotes or 'Title:' prefix, at most max_length characters (word-cut)."""
    line = next((ln for ln in text.strip().splitlines() if ln.strip()), "")
    line = re.sub(r"^\W*title\s*:\s*", "", line, flags=re.IGNORECASE)
    line = " ".join(line.split()).strip(" \"'`*#.")
    if len(line) <= max_length:
        return line
    if max_length <= 1:
        return line[:max_length]
    head = line[: max_length - 1]
    space = head.rfind(" ")
    if space >= max_length // 2:
        head = head[:space]
    return head.rstrip(" ,;:-") + "…"


def heuristic(first_message: str, max_length: int) -> str:
    return fit(first_message, max_length) or fit("New conversation", max_length)


class Titler:
    def __init__(self, store: Store, calls: Calls, default_model: str | None) -> None:
        self.store = store
        self.calls = calls
        self.default_model = default_model  # the "title" model from settings; None: chat's

    def generate(self, conversation_id: str, request: TitleRequest, chat_model: str) -> str:
        """A title for the conversation; raises KeyError for an unknown id."""
        self.store.get_conversation(conversation_id)
        first = next(
            (m.text for m in self.store.list_messages(conversation_id) if m.role == Role.USER), ""
        )
        handle = request.model or self.default_model or chat_model
        try:
            answer = self.calls.complete(
                handle, "title",
                [{"role": "system", "content": TITLE_PROMPT},
                 {"role": "user", "content": first[:2000]}],
                conversation_id=conversation_id, max_output_tokens=32,
            )  # fmt: skip
        except CallFailed:
            answer = ""
        return fit(answer, request.max_length) or heuristic(first, request.max_length)

    def retitle(self, conversation_id: str, request: TitleRequest, chat_model: str) -> str:
        """Generate a title and save it, unless the user set one: that is never overwritten."""
        title = self.generate(conversation_id, request, chat_model)
        if not self.store.get_conversation(conversation_id).title_set_by_user:
            self.store.update_conversation(conversation_id, title=title)
        return title

    def after_first_exchange(self, conversation_id: str, chat_model: str) -> str | None:
        """Called after each reply: titles an untitled conversation once."""
        conversation = self.store.get_conversation(conversation_id)
        if conversation.title or conversation.title_set_by_user:
            return None
        return self.retitle(conversation_id, TitleRequest(), chat_model)
