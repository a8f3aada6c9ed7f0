"""`chinwag title ID`: generate a title (a title the user set is kept, never overwritten)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pydantic import ValidationError

from chinwag.app import Services
from chinwag.cli.common import (
    UsageError,
    check_model,
    get_conversation,
    print_json,
    validation_message,
)
from chinwag.core.conversations.titles import TitleRequest


def add_parser(subparsers: Any) -> None:
    title = subparsers.add_parser("title", help="generate a conversation title")
    title.add_argument("id")
    title.add_argument("--max-length", type=int, default=50, help="1..200 (default 50)")
    title.add_argument("--model", help="provider/model-name")
    title.add_argument("--json", action="store_true")
    title.set_defaults(handler=run)


def run(services: Services, args: argparse.Namespace) -> int:
    try:
        request = TitleRequest(max_length=args.max_length, model=args.model)
    except ValidationError as error:
        raise UsageError(validation_message(error)) from None
    conversation = get_conversation(services, args.id)
    check_model(services, request.model)
    title = services.conversations.title(conversation.id, request, save=True)
    if conversation.title_set_by_user:
        print("chinwag: kept the title you set; not saved", file=sys.stderr)
    if args.json:
        print_json({"title": title})
    else:
        print(title)
    return 0
