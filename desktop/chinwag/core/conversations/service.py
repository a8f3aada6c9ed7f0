"""The front door: everything the desktop app, the CLI and the local API do to conversations.

Front ends translate their input and output and call this; the rules (which model answers,
how a conversation is created, what an edit of its details changes) live here or in the
services it holds, once. Reads for views are named queries (records.py), so no front end
needs the store.
"""

from __future__ import annotations

from typing import Any

from chinwag.core.conversations.branches import Branches, VersionInfo
from chinwag.core.conversations.chat import ChatService, OnEvent
from chinwag.core.conversations.compaction import CompactionResult, CompactionSettings
from chinwag.core.conversations.compactor import CompactionPlan, Compactor
from chinwag.core.conversations.records import ConversationRecords
from chinwag.core.conversations.titles import Titler, TitleRequest
from chinwag.core.llm.backend import Cancel
from chinwag.core.llm.calls import Calls
from chinwag.core.llm.catalog import UnknownModel
from chinwag.core.store import Store
from chinwag.core.types import DEFAULT_ASSISTANT_ID, ContentPart, Conversation, Message, Role
from chinwag.core.usage.pricing import Estimate, estimate_next


class Conversations(ConversationRecords):
    """The front door: its own operations here (model calls and the rules they follow),
    reads and plain edits from ConversationRecords."""

    def __init__(
        self,
        store: Store,
        calls: Calls,
        chat: ChatService,
        compactor: Compactor,
        titler: Titler,
        branches: Branches,
    ) -> None:
        super().__init__(store)
        self._calls = calls
        self._chat = chat
        self._compactor = compactor
        self._titler = titler
        self._branches = branches

    # -- which model answers --------------------------------------------------------------

    def model_of(self, conversation: Conversation) -> str:
        """The model that answers: the conversation's, else its assistant's, else the default."""
        return self._assistants.model_of(conversation, self._calls.catalog)

    def model_for_new(self, model: str | None = None, assistant_id: str | None = None) -> str:
        """The model a conversation not yet created would get (a picker's choice, or none)."""
        return self.model_of(Conversation(agent_id=assistant_id or DEFAULT_ASSISTANT_ID,
                                          model=model))  # fmt: skip

    def model_settings_of(self, conversation: Conversation) -> dict[str, Any]:
        return self._assistants.model_settings_of(conversation)

    def edit_model_settings(self, conversation_id: str, edited: dict[str, Any]) -> Conversation:
        """Change the fields a form edited (None: back to the provider's default) and keep
        every other one, also those the form does not show (thinking, response format).

        pydantic's ValidationError when the result does not suit the answering model."""
        conversation = self.get(conversation_id)
        if not edited:
            return conversation
        settings = dict(self.model_settings_of(conversation))
        for name, value in edited.items():
            if value is None:
                settings.pop(name, None)
            else:
                settings[name] = value
        checked = self.checked_settings(
            settings, self.model_of(conversation), conversation.agent_id
        )
        if checked is not None and set(checked) <= {"provider_type"}:
            checked = None  # nothing set: the provider's defaults
        return self.update(conversation_id, model_settings=checked)

    def checked_settings(
        self,
        settings: dict[str, Any] | None,
        model: str | None = None,
        assistant_id: str | None = None,
    ) -> dict[str, Any] | None:
        """Model settings checked against the provider of the model that will answer.

        UnknownModel for a model no provider knows; pydantic's ValidationError for settings
        its provider refuses."""
        provider = self._calls.resolve(self.model_for_new(model, assistant_id)).provider
        if settings is None:
            return None
        return provider.settings_type.model_validate(settings).model_dump(exclude_none=True)

    # -- estimates --------------------------------------------------------------------

    def estimate_next(
        self, conversation_id: str | None, draft: str, model: str | None = None
    ) -> Estimate:
        """The next request's tokens and price, with the model that will answer it."""
        handle: str | None
        try:
            if conversation_id is not None:
                handle = self.model_of(self.get(conversation_id))
            else:
                handle = self.model_for_new(model)
        except UnknownModel:  # no model anywhere: the tokens still count, the price is unknown
            handle = None
        return estimate_next(self._store, self._calls.resolve, handle, conversation_id, draft)

    # -- send, reply, cancel ---------------------------------------------------------------

    def send(
        self,
        conversation_id: str,
        content: str | list[ContentPart],
        cancel: Cancel | None = None,
        on_event: OnEvent | None = None,
    ) -> Message:
        """Add the user's message and stream the reply into the store."""
        return self._chat.send(conversation_id, content, cancel, on_event)

    def add_user_message(self, conversation_id: str, content: list[ContentPart]) -> Message:
        """A user message with no reply yet (the earlier of several sent at once)."""
        return self._store.add_message(
            Message(conversation_id=conversation_id, role=Role.USER, content=content)
        )

    def reply(
        self, conversation_id: str, cancel: Cancel | None = None, on_event: OnEvent | None = None
    ) -> Message:
        """Stream the reply to the conversation as it stands (after an edit or regenerate)."""
        return self._chat.reply(conversation_id, cancel, on_event)

    def cancel(self, conversation_id: str) -> bool:
        """Stop the running reply, in this process or another."""
        return self._chat.cancel(conversation_id)

    # -- branches --------------------------------------------------------------------------

    def versions(self, message_id: str) -> VersionInfo:
        return self._branches.versions(message_id)

    def branch(self, conversation_id: str) -> list[tuple[Message, VersionInfo]]:
        """The chosen branch with each message's place among its versions."""
        return self._branches.path_versions(conversation_id)

    def select_version(self, message_id: str) -> str:
        """Continue from this version; returns the branch's new last message id."""
        return self._branches.select(message_id)

    def edit(self, message_id: str, content: str | list[ContentPart]) -> Message:
        """A new version of a user message; `reply` then answers it."""
        return self._branches.edit(message_id, content)

    def prepare_regenerate(self, reply_id: str) -> str:
        """Point the branch before a reply, so `reply` writes a new version of it."""
        return self._branches.prepare_regenerate(reply_id)

    # -- compaction, titles, the system prompt ---------------------------------------------

    def compact(
        self, conversation_id: str, settings: CompactionSettings | None = None
    ) -> CompactionResult:
        return self._compactor.compact(conversation_id, settings)

    def compaction_modes(self) -> list[str]:
        """The registered summarizers' modes: the built-in ones and any plugin's."""
        return list(self._compactor.summarizers)

    def plan_compaction(self, conversation_id: str, settings: CompactionSettings) -> CompactionPlan:
        """What would leave the context and which model would summarize it; no model call."""
        return self._compactor.plan(conversation_id, settings)

    def summarize(self, plan: CompactionPlan) -> str:
        return self._compactor.summarize(plan)

    def apply_compaction(self, plan: CompactionPlan, summary: str) -> CompactionResult:
        return self._compactor.apply(plan, summary)

    def title(self, conversation_id: str, request: TitleRequest, save: bool = False) -> str:
        """A title from the model (else from the first message); `save` keeps it, unless
        the user set one."""
        model = self.model_of(self.get(conversation_id))
        if save:
            return self._titler.retitle(conversation_id, request, model)
        return self._titler.generate(conversation_id, request, model)
