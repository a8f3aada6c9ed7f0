"""The one seam between the API routes and the core.

Every route reaches assistants, titles, compaction and recompilation through these
functions, so when the core gains them (core/assistants.py, core/compaction.py,
core/titles.py) only this module changes. What the core cannot do yet raises
`NotSupported`, which the API answers with 501: nothing here pretends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chinwag.app import Services
from chinwag.core.backend import Cancel, ChatRequest, StreamError, TextDelta
from chinwag.core.catalog import MissingKey, UnknownModel
from chinwag.core.chat import redact
from chinwag.core.llm_config import LLMConfig
from chinwag.core.models import DEFAULT_ASSISTANT_ID, Conversation, Role


class NotSupported(Exception):
    """The core has no such feature yet; the API says 501 with this message."""


class CallFailed(Exception):
    """The model call failed; the message is already free of secrets."""


# -- assistants (Letta agents) ------------------------------------------------------------


@dataclass(frozen=True)
class Assistant:
    id: str
    name: str
    system: str
    model: str | None
    description: str | None = None


def assistants(services: Services) -> list[Assistant]:
    """Chinwag has one built-in assistant until core/assistants.py lands (issue 5)."""
    return [_default_assistant(services)]


def get_assistant(services: Services, assistant_id: str) -> Assistant:
    for assistant in assistants(services):
        if assistant.id == assistant_id:
            return assistant
    raise KeyError(assistant_id)


def create_assistant(services: Services, name: str | None, system: str | None) -> Assistant:
    raise NotSupported(
        "creating assistants is not available yet: use the built-in assistant "
        f"{DEFAULT_ASSISTANT_ID!r} (GET /v1/agents/)"
    )


def _default_assistant(services: Services) -> Assistant:
    try:
        model: str | None = services.catalog.default_handle()
    except UnknownModel:
        model = None
    return Assistant(id=DEFAULT_ASSISTANT_ID, name="Chinwag", system="", model=model)


# -- compaction and recompilation ---------------------------------------------------------


def compact(services: Services, conversation_id: str, settings: dict[str, Any]) -> dict[str, Any]:
    """Letta's CompactionResponse: num_messages_before, num_messages_after, summary."""
    raise NotSupported("compaction is not available yet in this Chinwag build")


def recompile(services: Services, conversation_id: str, dry_run: bool) -> str:
    """The conversation's compiled system prompt."""
    raise NotSupported("recompiling the system prompt is not available yet in this Chinwag build")


# -- titles -------------------------------------------------------------------------------

TITLE_PROMPT = (
    "Write a title of at most {max_length} characters for the conversation below. "
    "Answer with the title only: no quotes, no punctuation at the end."
)
TITLE_SOURCE_CHARS = 2000
TITLE_MAX_TOKENS = 64  # a title is short; a model that rambles is cut off early


def generate_title(
    services: Services,
    conversation: Conversation,
    max_length: int,
    overrides: dict[str, Any] | None = None,
    model: str | None = None,
) -> str:
    """A title from the conversation's first messages, at most max_length characters.

    To be replaced by core/titles.py (issue 5) once merged.
    """
    messages = services.store.list_messages(conversation.id, limit=6)
    transcript = "\n".join(
        f"{m.role.value}: {m.text}" for m in messages if m.role != Role.SYSTEM and m.text
    )[:TITLE_SOURCE_CHARS]
    if not transcript:
        return fit_title("New conversation", max_length)
    handle = model or services.chat.model_of(conversation)
    prompt = [
        {"role": "system", "content": TITLE_PROMPT.format(max_length=max_length)},
        {"role": "user", "content": transcript},
    ]
    text = complete(
        services, handle, prompt, "title", overrides, extra={"max_tokens": TITLE_MAX_TOKENS}
    )
    title = fit_title(text, max_length)
    if not title:
        first_user = next((m.text for m in messages if m.role == Role.USER and m.text), "")
        title = fit_title(first_user, max_length) or fit_title("New conversation", max_length)
    return title


def fit_title(text: str, max_length: int) -> str:
    """First non-empty line, unquoted, cut at a word boundary to max_length."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    line = line.removeprefix("Title:").removeprefix("title:").strip().strip("\"'`*#").strip()
    if len(line) <= max_length:
        return line
    cut = line[:max_length]
    space = cut.rfind(" ")
    return (cut[:space] if space >= max_length // 2 else cut).rstrip(" ,.;:-")


# -- one-shot completions (no conversation is stored) -------------------------------------


def config_for(
    services: Services, handle: str, usage_id: str, overrides: dict[str, Any] | None = None
) -> LLMConfig:
    try:
        return services.catalog.config_for(handle, usage_id=usage_id, **(overrides or {}))
    except (MissingKey, UnknownModel):
        raise
    except LookupError as error:  # a provider that knows no such model (e.g. no such .gguf)
        raise UnknownModel(str(error)) from None


def complete(
    services: Services,
    handle: str,
    messages: list[dict[str, Any]],
    usage_id: str,
    overrides: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """Call a model once and return its text; raises CallFailed with a redacted message."""
    resolved = services.catalog.resolve(handle)
    config = config_for(services, handle, usage_id, overrides)
    request = ChatRequest(config=config, messages=messages, extra=extra or {})
    backend = services.chat.backend_for(resolved.provider.backend)
    text: list[str] = []
    for event in backend.stream(request, Cancel()):
        if isinstance(event, TextDelta):
            text.append(event.text)
        elif isinstance(event, StreamError):
            raise CallFailed(redact(event.message, config))
    return "".join(text)
