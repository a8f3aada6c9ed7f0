"""What every subcommand shares: its error types and small output helpers."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from chinwag.app import Services
from chinwag.core.llm.catalog import UnknownModel
from chinwag.core.types import Conversation

Handler = Callable[[Services, argparse.Namespace], int]


class UsageError(Exception):
    """Bad arguments or an unknown id: exit 2 with one line."""


class CallFailed(Exception):
    """The model call failed: exit 1 with one line."""


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def get_conversation(services: Services, conversation_id: str) -> Conversation:
    try:
        return services.conversations.get(conversation_id)
    except KeyError:
        raise UsageError(f"conversation not found: {conversation_id}") from None


def validation_message(error: ValidationError) -> str:
    """A pydantic error as one line: 'field: message'."""
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def check_model(services: Services, handle: str | None) -> None:
    if handle is None:
        return
    try:
        services.calls.resolve(handle)
    except UnknownModel as error:
        raise UsageError(str(error)) from None
