"""The one seam between the API routes and the core.

Routes reach assistants, titles, compaction and recompilation through these functions,
which call the core's front door (core.conversations), so the routes speak Letta and
OpenHands while the core stays their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chinwag.app import Services
from chinwag.core.conversations.compaction import CompactionSettings
from chinwag.core.conversations.compactor import CompactionError
from chinwag.core.conversations.titles import TitleRequest
from chinwag.core.llm.calls import Call
from chinwag.core.llm.catalog import MissingKey, UnknownModel
from chinwag.core.llm.routing import RoutingError
from chinwag.core.types import Assistant as CoreAssistant
from chinwag.core.types import Conversation


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
    return [_assistant(services, a) for a in services.conversations.assistants()]


def get_assistant(services: Services, assistant_id: str) -> Assistant:
    return _assistant(services, services.conversations.assistant(assistant_id))


def create_assistant(services: Services, name: str | None, system: str | None) -> Assistant:
    created = services.conversations.create_assistant(
        CoreAssistant(name=name or "Assistant", system_prompt=system or "")
    )
    return _assistant(services, created)


def _assistant(services: Services, assistant: CoreAssistant) -> Assistant:
    model = assistant.model
    if model is None:
        try:
            model = services.catalog.default_handle()
        except UnknownModel:
            model = None
    return Assistant(
        id=assistant.id, name=assistant.name, system=assistant.system_prompt, model=model
    )


# -- compaction and recompilation ---------------------------------------------------------


def compact(services: Services, conversation_id: str, settings: dict[str, Any]) -> dict[str, Any]:
    """Letta's CompactionResponse: num_messages_before, num_messages_after, summary."""
    try:
        result = services.conversations.compact(conversation_id, CompactionSettings(**settings))
    except CompactionError as error:
        raise CallFailed(str(error)) from None
    return result.model_dump(include={"num_messages_before", "num_messages_after", "summary"})


def recompile(services: Services, conversation_id: str, dry_run: bool) -> str:
    """The conversation's compiled system prompt; a dry run changes nothing."""
    return services.conversations.recompile(conversation_id, dry_run).system


# -- titles -------------------------------------------------------------------------------


def generate_title(
    services: Services,
    conversation: Conversation,
    max_length: int,
    overrides: dict[str, Any] | None = None,
    model: str | None = None,
) -> str:
    """OpenHands' title: generated, returned, not stored (core/titles.py does the work).

    Only `model` of the request's `llm` is honoured; sampling overrides are not yet."""
    if model is not None:
        services.calls.resolve(model)  # an unknown provider is a 404, not a quiet fallback
    request = TitleRequest(max_length=max_length, model=model)
    return services.conversations.title(conversation.id, request)


# -- one-shot completions (no conversation is stored) -------------------------------------


def prepare_call(
    services: Services, handle: str, messages: list[dict[str, Any]], extra: dict[str, Any]
) -> Call:
    """The gateway's call, through the one call builder; errors as the routes report them."""
    try:
        return services.calls.prepare(handle, "api", messages, extra=extra)
    except (MissingKey, UnknownModel):
        raise
    except LookupError as error:  # a provider that knows no such model (e.g. no such .gguf)
        raise UnknownModel(str(error)) from None
    except RoutingError as error:
        raise CallFailed(str(error)) from None
