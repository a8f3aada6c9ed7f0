"""`chinwag conversations list|show|update|delete`."""

from __future__ import annotations

import argparse
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import UsageError, get_conversation, print_json
from chinwag.core.catalog import UnknownModel, split_handle
from chinwag.core.models import MessageStatus


def add_parser(subparsers: Any) -> None:
    conversations = subparsers.add_parser("conversations", help="list, show, update, delete")
    actions = conversations.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--search", help="words in titles or messages")
    listing.add_argument("--all", action="store_true", help="include archived")
    listing.set_defaults(handler=list_)
    show_ = actions.add_parser("show")
    show_.add_argument("id")
    show_.add_argument("--json", action="store_true")
    show_.set_defaults(handler=show)
    update_ = actions.add_parser("update")
    update_.add_argument("id")
    update_.add_argument("--title")
    update_.add_argument("--model")
    update_.add_argument("--summary")
    update_.set_defaults(handler=update)
    delete_ = actions.add_parser("delete")
    delete_.add_argument("id")
    delete_.set_defaults(handler=delete)


def list_(services: Services, args: argparse.Namespace) -> int:
    found = services.store.list_conversations(search=args.search, include_archived=args.all)
    if args.json:
        print_json([c.model_dump(mode="json") for c in found])
        return 0
    for c in found:
        print(f"{c.id}  {c.updated_at:%Y-%m-%d %H:%M}  {c.title or '(untitled)'}")
    return 0


def show(services: Services, args: argparse.Namespace) -> int:
    conversation = get_conversation(services, args.id)
    messages = services.store.list_messages(conversation.id)
    if args.json:
        data = conversation.model_dump(mode="json")
        data["messages"] = [m.model_dump(mode="json") | {"text": m.text} for m in messages]
        print_json(data)
        return 0
    print(f"# {conversation.title or '(untitled)'}  [{services.chat.model_of(conversation)}]")
    for m in messages:
        status = "" if m.status == MessageStatus.COMPLETE else f" ({m.status.value})"
        print(f"\n## {m.role.value}{status}\n{m.text}")
        if m.error:
            print(f"[error: {m.error}]")
    return 0


def update(services: Services, args: argparse.Namespace) -> int:
    get_conversation(services, args.id)
    fields: dict[str, Any] = {}
    if args.title is not None:
        fields.update(title=args.title, title_set_by_user=True)
    if args.model is not None:
        try:
            split_handle(args.model)
        except UnknownModel as error:
            raise UsageError(str(error)) from None
        fields["model"] = args.model
    if args.summary is not None:
        fields["summary"] = args.summary
    if not fields:
        raise UsageError("nothing to update: give --title, --model or --summary")
    print_json(services.store.update_conversation(args.id, **fields).model_dump(mode="json"))
    return 0


def delete(services: Services, args: argparse.Namespace) -> int:
    try:
        services.store.delete_conversation(args.id)
    except KeyError:
        raise UsageError(f"conversation not found: {args.id}") from None
    print(f"deleted {args.id}")
    return 0
