"""`chinwag compact ID`: summarize what leaves the context window; nothing is deleted."""

from __future__ import annotations

import argparse
from typing import Any

from pydantic import ValidationError

from chinwag.app import Services
from chinwag.cli.common import (
    CallFailed,
    UsageError,
    check_model,
    get_conversation,
    print_json,
    validation_message,
)
from chinwag.core.conversations.compaction import MODES, CompactionSettings
from chinwag.core.conversations.compactor import CompactionError


def add_parser(subparsers: Any) -> None:
    compact = subparsers.add_parser("compact", help="compact a conversation's context")
    compact.add_argument("id")
    compact.add_argument(
        "--mode", default="sliding_window", help=f"{', '.join(MODES)} or a plugin's"
    )
    compact.add_argument("--clip-chars", type=int, help="longest summary in characters")
    compact.add_argument("--sliding-window-percentage", type=float)
    compact.add_argument("--model", help="summarizer model, provider/model-name")
    compact.add_argument("--prompt", help="summarization prompt")
    compact.add_argument("--prompt-acknowledgement", action="store_true")
    compact.add_argument("--json", action="store_true")
    compact.set_defaults(handler=run)


def run(services: Services, args: argparse.Namespace) -> int:
    given = {
        "mode": args.mode,
        "clip_chars": args.clip_chars,
        "sliding_window_percentage": args.sliding_window_percentage,
        "model": args.model,
        "prompt": args.prompt,
        "prompt_acknowledgement": args.prompt_acknowledgement,
    }
    try:
        settings = CompactionSettings.model_validate(
            {k: v for k, v in given.items() if v is not None}
        )
    except ValidationError as error:
        raise UsageError(validation_message(error)) from None
    if settings.mode not in services.conversations.compaction_modes():
        modes = ", ".join(services.conversations.compaction_modes())
        raise UsageError(f"--mode {settings.mode!r} is not a compaction mode; choose from {modes}")
    conversation = get_conversation(services, args.id)
    check_model(services, settings.model)
    try:
        result = services.conversations.compact(conversation.id, settings)
    except CompactionError as error:
        raise CallFailed(str(error)) from None
    if args.json:
        print_json(result.model_dump())
        return 0
    print(
        f"{result.num_messages_before} -> {result.num_messages_after} messages in context "
        f"({result.mode}); nothing was deleted."
    )
    if result.summary:
        print(f"\nSummary:\n{result.summary}")
    return 0
