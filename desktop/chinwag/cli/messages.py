"""`chinwag messages pin|unpin ID`: pinned messages never leave the context on compaction."""

from __future__ import annotations

import argparse
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import UsageError


def add_parser(subparsers: Any) -> None:
    messages = subparsers.add_parser("messages", help="pin or unpin a message")
    actions = messages.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, pinned in (("pin", True), ("unpin", False)):
        action = actions.add_parser(name)
        action.add_argument("id", help="message id")
        action.set_defaults(handler=run, pinned=pinned)


def run(services: Services, args: argparse.Namespace) -> int:
    try:
        services.conversations.set_pinned(args.id, args.pinned)
    except KeyError:
        raise UsageError(f"message not found: {args.id}") from None
    print(f"{'pinned' if args.pinned else 'unpinned'} {args.id}")
    return 0
