"""`chinwag cancel ID` and `chinwag recompile ID`: Letta's conversation controls."""

from __future__ import annotations

import argparse
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import get_conversation, print_json


def add_parser(subparsers: Any) -> None:
    cancel = subparsers.add_parser("cancel", help="stop a conversation's running reply")
    cancel.add_argument("id")
    cancel.add_argument("--json", action="store_true")
    cancel.set_defaults(handler=cancel_)
    recompile = subparsers.add_parser(
        "recompile", help="rebuild the system prompt from the current assistant and blocks"
    )
    recompile.add_argument("id")
    recompile.add_argument("--json", action="store_true")
    recompile.set_defaults(handler=recompile_)


def cancel_(services: Services, args: argparse.Namespace) -> int:
    conversation = get_conversation(services, args.id)
    asked = services.conversations.cancel(conversation.id)
    if args.json:
        print_json({"cancelled": asked})
    else:
        print("cancel requested" if asked else "nothing is running in this conversation")
    return 0


def recompile_(services: Services, args: argparse.Namespace) -> int:
    conversation = get_conversation(services, args.id)
    result = services.conversations.recompile(conversation.id)
    if args.json:
        print_json(result.model_dump())
    else:
        print(result.system)
        print(f"\n({len(result.in_context_message_ids)} messages in context)")
    return 0
