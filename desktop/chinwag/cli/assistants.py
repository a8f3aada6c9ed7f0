"""`chinwag assistants list|create|show|update|block`: Letta's agents."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import ValidationError

from chinwag.app import Services
from chinwag.cli.common import UsageError, check_model, print_json, validation_message
from chinwag.core.types import Assistant


def add_parser(subparsers: Any) -> None:
    assistants = subparsers.add_parser("assistants", help="assistants and their context blocks")
    actions = assistants.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_)
    create = actions.add_parser("create")
    create.add_argument("name")
    _fields(create)
    create.add_argument(
        "--block", action="append", default=[], metavar="LABEL=VALUE", help="repeatable"
    )
    create.set_defaults(handler=create_)
    show = actions.add_parser("show")
    show.add_argument("id", help="id or name")
    show.set_defaults(handler=show_)
    update = actions.add_parser("update")
    update.add_argument("id", help="id or name")
    update.add_argument("--name")
    _fields(update)
    update.set_defaults(handler=update_)
    block = actions.add_parser("block", help="set a block of an assistant or a conversation")
    block.add_argument("label")
    block.add_argument("value")
    owner = block.add_mutually_exclusive_group(required=True)
    owner.add_argument("--assistant", help="id or name: shared by its conversations")
    owner.add_argument("--conversation", help="id: its isolated copy if any, else shared")
    block.set_defaults(handler=block_)


def _fields(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--system", help="system prompt")
    parser.add_argument("--model", help="default model, provider/model-name")
    parser.add_argument("--model-settings", help="JSON object")


def _settings(raw: str | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise UsageError(f"--model-settings is not JSON: {error}") from None
    if not isinstance(value, dict):
        raise UsageError("--model-settings must be a JSON object")
    return value


def _find(services: Services, id_or_name: str) -> Assistant:
    try:
        return services.conversations.find_assistant(id_or_name)
    except KeyError:
        raise UsageError(f"assistant not found: {id_or_name}") from None


def _describe(services: Services, assistant: Assistant) -> dict[str, Any]:
    blocks = services.conversations.assistant_blocks(assistant.id)
    return assistant.model_dump(mode="json") | {
        "blocks": [b.model_dump(include={"id", "label", "value"}) for b in blocks]
    }


def list_(services: Services, args: argparse.Namespace) -> int:
    found = services.conversations.assistants()
    if args.json:
        print_json([_describe(services, a) for a in found])
        return 0
    for a in found:
        print(f"{a.id}  {a.name}  [{a.model or 'default model'}]")
    return 0


def create_(services: Services, args: argparse.Namespace) -> int:
    check_model(services, args.model)
    blocks: dict[str, str] = {}
    for item in args.block:
        label, sep, value = item.partition("=")
        if not sep or not label:
            raise UsageError(f"--block {item!r} is not LABEL=VALUE")
        blocks[label] = value
    try:
        assistant = Assistant(
            name=args.name, system_prompt=args.system or "", model=args.model,
            model_settings=_settings(args.model_settings),
        )  # fmt: skip
    except ValidationError as error:
        raise UsageError(validation_message(error)) from None
    created = services.conversations.create_assistant(assistant, blocks)
    print_json(_describe(services, created))
    return 0


def show_(services: Services, args: argparse.Namespace) -> int:
    print_json(_describe(services, _find(services, args.id)))
    return 0


def update_(services: Services, args: argparse.Namespace) -> int:
    assistant = _find(services, args.id)
    check_model(services, args.model)
    fields: dict[str, Any] = {}
    for name, value in (("name", args.name), ("system_prompt", args.system), ("model", args.model)):
        if value is not None:
            fields[name] = value
    if args.model_settings is not None:
        fields["model_settings"] = _settings(args.model_settings)
    if not fields:
        raise UsageError("nothing to update: give --name, --system, --model or --model-settings")
    updated = services.conversations.update_assistant(assistant.id, **fields)
    print_json(_describe(services, updated))
    return 0


def block_(services: Services, args: argparse.Namespace) -> int:
    if args.assistant:
        block = services.conversations.set_block(
            args.label, args.value, assistant_id=_find(services, args.assistant).id
        )
    else:
        try:
            block = services.conversations.set_block(
                args.label, args.value, conversation_id=args.conversation
            )
        except KeyError:
            raise UsageError(f"conversation not found: {args.conversation}") from None
    print_json(block.model_dump())
    return 0
