"""`chinwag branches`: list the versions along a conversation, choose, edit, regenerate."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import CallFailed, UsageError, get_conversation, print_json
from chinwag.core.llm.backend import StreamEvent, TextDelta
from chinwag.core.types import Message, MessageStatus


def add_parser(subparsers: Any) -> None:
    branches = subparsers.add_parser("branches", help="message versions: list, select, edit")
    actions = branches.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the chosen branch with each message's versions")
    listing.add_argument("id", help="conversation id")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_)
    select = actions.add_parser("select", help="continue from this message version")
    select.add_argument("message_id")
    select.set_defaults(handler=select_)
    edit = actions.add_parser("edit", help="a new version of a user message, then a reply")
    edit.add_argument("message_id")
    edit.add_argument("text")
    edit.add_argument("--no-reply", action="store_true")
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(handler=edit_)
    regenerate = actions.add_parser("regenerate", help="a new version of a reply")
    regenerate.add_argument("message_id")
    regenerate.add_argument("--json", action="store_true")
    regenerate.set_defaults(handler=regenerate_)


def _message(services: Services, message_id: str) -> Message:
    try:
        return services.conversations.message(message_id)
    except KeyError:
        raise UsageError(f"message not found: {message_id}") from None


def list_(services: Services, args: argparse.Namespace) -> int:
    conversation = get_conversation(services, args.id)
    rows = services.conversations.branch(conversation.id)
    if args.json:
        print_json(
            [
                {"id": m.id, "role": m.role.value, "text": m.text, "status": m.status.value}
                | v.model_dump(include={"index", "count", "version_ids"})
                for m, v in rows
            ]
        )
        return 0
    for m, v in rows:
        versions = f"  < {v.index}/{v.count} >" if v.count > 1 else ""
        print(f"{m.id}  {m.role.value:9}{versions}  {m.text[:60]!r}")
    return 0


def select_(services: Services, args: argparse.Namespace) -> int:
    message = _message(services, args.message_id)
    leaf = services.conversations.select_version(message.id)
    print(f"continuing from {leaf}")
    return 0


def _reply(services: Services, conversation_id: str, as_json: bool) -> int:
    def show(event: StreamEvent) -> None:
        if isinstance(event, TextDelta) and not as_json:
            sys.stdout.write(event.text)
            sys.stdout.flush()

    reply = services.conversations.reply(conversation_id, on_event=show)
    if as_json:
        print_json({"message_id": reply.id, "text": reply.text, "status": reply.status.value})
    elif reply.text:
        print()
    if reply.status == MessageStatus.ERROR:
        raise CallFailed(reply.error or "the model call failed")
    return 0


def edit_(services: Services, args: argparse.Namespace) -> int:
    message = _message(services, args.message_id)
    try:
        edited = services.conversations.edit(message.id, args.text)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if args.no_reply:
        print_json({"message_id": edited.id}) if args.json else print(edited.id)
        return 0
    return _reply(services, edited.conversation_id, args.json)


def regenerate_(services: Services, args: argparse.Namespace) -> int:
    message = _message(services, args.message_id)
    try:
        conversation_id = services.conversations.prepare_regenerate(message.id)
    except ValueError as error:
        raise UsageError(str(error)) from None
    return _reply(services, conversation_id, args.json)
