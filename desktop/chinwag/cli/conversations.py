"""`chinwag conversations list|create|show|update|delete`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import UsageError, check_model, get_conversation, print_json
from chinwag.core.llm.catalog import UnknownModel, split_handle
from chinwag.core.types import DEFAULT_ASSISTANT_ID, MessageStatus


def add_parser(subparsers: Any) -> None:
    conversations = subparsers.add_parser("conversations", help="list, show, update, delete")
    actions = conversations.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--search", help="words in titles or messages")
    listing.add_argument("--all", action="store_true", help="include archived")
    listing.set_defaults(handler=list_)
    create_ = actions.add_parser("create")
    create_.add_argument("--assistant", help="id or name (default: the default assistant)")
    create_.add_argument("--model", help="provider/model-name; overrides the assistant's")
    create_.add_argument("--model-settings", help="JSON object; overrides the assistant's")
    create_.add_argument(
        "--isolate", action="append", default=[], metavar="LABEL",
        help="copy this assistant block into the conversation (repeatable)",
    )  # fmt: skip
    create_.add_argument("--summary")
    create_.add_argument("--title")
    create_.set_defaults(handler=create)
    show_ = actions.add_parser("show")
    show_.add_argument("id")
    show_.add_argument("--json", action="store_true")
    show_.set_defaults(handler=show)
    update_ = actions.add_parser("update")
    update_.add_argument("id")
    update_.add_argument("--title")
    update_.add_argument("--model")
    update_.add_argument("--summary")
    update_.add_argument("--model-settings", help="JSON object ('null' clears it)")
    update_.set_defaults(handler=update)
    delete_ = actions.add_parser("delete")
    delete_.add_argument("id")
    delete_.set_defaults(handler=delete)


def list_(services: Services, args: argparse.Namespace) -> int:
    found = services.conversations.find(search=args.search, include_archived=args.all)
    if args.json:
        print_json([c.model_dump(mode="json") for c in found])
        return 0
    for c in found:
        print(f"{c.id}  {c.updated_at:%Y-%m-%d %H:%M}  {c.title or '(untitled)'}")
    return 0


def show(services: Services, args: argparse.Namespace) -> int:
    conversation = get_conversation(services, args.id)
    messages = services.conversations.messages(conversation.id)
    compactions = services.conversations.compactions(conversation.id)
    if args.json:
        data = conversation.model_dump(mode="json")
        data["messages"] = [m.model_dump(mode="json") | {"text": m.text} for m in messages]
        data["compactions"] = [c.model_dump(mode="json") for c in compactions]
        print_json(data)
        return 0
    markers = {c.last_evicted_id: c for c in compactions}
    print(
        f"# {conversation.title or '(untitled)'}  [{services.conversations.model_of(conversation)}]"
    )
    for m in messages:
        status = "" if m.status == MessageStatus.COMPLETE else f" ({m.status.value})"
        print(f"\n## {m.role.value}{status}\n{m.text}")
        if m.error:
            print(f"[error: {m.error}]")
        if m.id in markers:
            print(f"\n---- compacted here ({markers[m.id].mode}); summary: ----")
            print(markers[m.id].summary)
    return 0


def update(services: Services, args: argparse.Namespace) -> int:
    get_conversation(services, args.id)
    fields: dict[str, Any] = {}
    if args.title is not None:
        fields["title"] = args.title
    if args.model is not None:
        try:
            split_handle(args.model)
        except UnknownModel as error:
            raise UsageError(str(error)) from None
        fields["model"] = args.model
    if args.summary is not None:
        fields["summary"] = args.summary
    if args.model_settings is not None:
        fields["model_settings"] = _json_object(args.model_settings, allow_null=True)
    if not fields:
        raise UsageError("nothing to update: give --title, --model, --summary or --model-settings")
    updated = services.conversations.update(args.id, **fields)
    print_json(updated.model_dump(mode="json"))
    return 0


def create(services: Services, args: argparse.Namespace) -> int:
    assistant_id = DEFAULT_ASSISTANT_ID
    if args.assistant:
        try:
            assistant_id = services.conversations.find_assistant(args.assistant).id
        except KeyError:
            raise UsageError(f"assistant not found: {args.assistant}") from None
    check_model(services, args.model)
    try:
        conversation = services.conversations.create(
            assistant_id,
            model=args.model,
            model_settings=_json_object(args.model_settings),
            isolated_block_labels=args.isolate,
            summary=args.summary,
            title=args.title,
        )
    except KeyError as error:
        raise UsageError(str(error).strip("'\"")) from None
    print_json(conversation.model_dump(mode="json"))
    return 0


def _json_object(raw: str | None, allow_null: bool = False) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise UsageError(f"--model-settings is not JSON: {error}") from None
    if value is None and allow_null:
        return None
    if not isinstance(value, dict):
        raise UsageError("--model-settings must be a JSON object")
    return value


def delete(services: Services, args: argparse.Namespace) -> int:
    try:
        services.conversations.delete(args.id)
    except KeyError:
        raise UsageError(f"conversation not found: {args.id}") from None
    print(f"deleted {args.id}")
    return 0
