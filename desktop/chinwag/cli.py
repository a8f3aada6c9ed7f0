"""`chinwag` opens the desktop app; `chinwag <subcommand>` works headless on the same core."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from chinwag import __version__
from chinwag.app import Services, build
from chinwag.core.backend import Cancel, StreamEvent, TextDelta
from chinwag.core.catalog import UnknownModel, split_handle
from chinwag.core.models import Conversation, Message, MessageStatus


class UsageError(Exception):
    """Bad arguments or an unknown id: exit 2 with one line."""


class CallFailed(Exception):
    """The model call failed: exit 1 with one line."""


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _conversation(services: Services, conversation_id: str) -> Conversation:
    try:
        return services.store.get_conversation(conversation_id)
    except KeyError:
        raise UsageError(f"conversation not found: {conversation_id}") from None


def _message_json(message: Message) -> dict[str, Any]:
    data = message.model_dump(mode="json")
    data["text"] = message.text
    return data


def cmd_chat(services: Services, args: argparse.Namespace) -> int:
    prompt = args.prompt if args.prompt is not None else sys.stdin.read()
    if not prompt.strip():
        raise UsageError("nothing to send: give a prompt or pipe one on stdin")
    if args.model:
        try:
            services.catalog.resolve(args.model)
        except UnknownModel as error:
            raise UsageError(str(error)) from None
    if args.conversation:
        conversation = _conversation(services, args.conversation)
        if args.model:
            services.store.update_conversation(conversation.id, model=args.model)
    else:
        conversation = services.store.create_conversation(
            Conversation(model=args.model, system_prompt=args.system)
        )

    def show(event: StreamEvent) -> None:
        if isinstance(event, TextDelta) and not args.json:
            sys.stdout.write(event.text)
            sys.stdout.flush()

    cancel = Cancel()
    try:
        reply = services.chat.send(conversation.id, prompt, cancel, show)
    except KeyboardInterrupt:
        print("\n(stopped; the partial reply was kept)", file=sys.stderr)
        return 130
    if args.json:
        _print_json(
            {
                "conversation_id": conversation.id,
                "message_id": reply.id,
                "text": reply.text,
                "status": reply.status.value,
                "usage": reply.usage.model_dump() if reply.usage else None,
                "cost": reply.cost,
            }
        )
    elif reply.text:
        print()
    if reply.status == MessageStatus.ERROR:
        raise CallFailed(reply.error or "the model call failed")
    return 0


def cmd_conversations_list(services: Services, args: argparse.Namespace) -> int:
    found = services.store.list_conversations(search=args.search, include_archived=args.all)
    if args.json:
        _print_json([c.model_dump(mode="json") for c in found])
        return 0
    for c in found:
        print(f"{c.id}  {c.updated_at:%Y-%m-%d %H:%M}  {c.title or '(untitled)'}")
    return 0


def cmd_conversations_show(services: Services, args: argparse.Namespace) -> int:
    conversation = _conversation(services, args.id)
    messages = services.store.list_messages(conversation.id)
    if args.json:
        data = conversation.model_dump(mode="json")
        data["messages"] = [_message_json(m) for m in messages]
        _print_json(data)
        return 0
    print(f"# {conversation.title or '(untitled)'}  [{services.chat.model_of(conversation)}]")
    for m in messages:
        status = "" if m.status == MessageStatus.COMPLETE else f" ({m.status.value})"
        print(f"\n## {m.role.value}{status}\n{m.text}")
        if m.error:
            print(f"[error: {m.error}]")
    return 0


def cmd_conversations_update(services: Services, args: argparse.Namespace) -> int:
    _conversation(services, args.id)
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
    updated = services.store.update_conversation(args.id, **fields)
    _print_json(updated.model_dump(mode="json"))
    return 0


def cmd_conversations_delete(services: Services, args: argparse.Namespace) -> int:
    try:
        services.store.delete_conversation(args.id)
    except KeyError:
        raise UsageError(f"conversation not found: {args.id}") from None
    print(f"deleted {args.id}")
    return 0


def cmd_models(services: Services, args: argparse.Namespace) -> int:
    models = services.catalog.models()
    try:
        default = services.catalog.default_handle()
    except UnknownModel:
        default = None
    if args.json:
        _print_json(
            [
                {
                    "handle": m.handle,
                    "provider": m.provider.id,
                    "name": m.info.name,
                    "context_window": m.info.context_window,
                    "input_cost_per_token": m.info.input_cost_per_token,
                    "output_cost_per_token": m.info.output_cost_per_token,
                    "default": m.handle == default,
                }
                for m in models
            ]
        )
        return 0
    for m in models:
        print(f"{m.handle}{'  (default)' if m.handle == default else ''}")
    return 0


def cmd_plugins(services: Services, args: argparse.Namespace) -> int:
    records = [r.__dict__ for r in services.plugins.records]
    if args.json:
        _print_json(records)
        return 0
    for r in services.plugins.records:
        line = f"{r.name} ({r.distribution} {r.version}): {r.status}"
        print(line + (f" - {r.error.splitlines()[0]}" if r.error else ""))
    return 0


Handler = Callable[[Services, argparse.Namespace], int]


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="chinwag", description=__doc__)
    root.add_argument("--version", action="version", version=f"chinwag {__version__}")
    sub = root.add_subparsers(dest="command", metavar="COMMAND")

    chat = sub.add_parser("chat", help="send a prompt and stream the reply")
    chat.add_argument("prompt", nargs="?", help="the prompt (default: read stdin)")
    chat.add_argument("-m", "--model", help="provider/model-name")
    chat.add_argument("-c", "--conversation", help="continue this conversation id")
    chat.add_argument("--system", help="system prompt for a new conversation")
    chat.add_argument("--json", action="store_true", help="print one JSON object at the end")
    chat.set_defaults(handler=cmd_chat)

    conversations = sub.add_parser("conversations", help="list, show, update, delete")
    csub = conversations.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = csub.add_parser("list")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--search", help="words in titles or messages")
    listing.add_argument("--all", action="store_true", help="include archived")
    listing.set_defaults(handler=cmd_conversations_list)
    show = csub.add_parser("show")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_conversations_show)
    update = csub.add_parser("update")
    update.add_argument("id")
    update.add_argument("--title")
    update.add_argument("--model")
    update.add_argument("--summary")
    update.set_defaults(handler=cmd_conversations_update)
    delete = csub.add_parser("delete")
    delete.add_argument("id")
    delete.set_defaults(handler=cmd_conversations_delete)

    models = sub.add_parser("models", help="every model of every enabled provider")
    models.add_argument("--json", action="store_true")
    models.set_defaults(handler=cmd_models)

    plugins = sub.add_parser("plugins", help="loaded plugins and their status")
    plugins.add_argument("--json", action="store_true")
    plugins.set_defaults(handler=cmd_plugins)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        from chinwag.ui.main import run

        return run()
    try:
        services = build()
    except Exception as error:
        print(f"chinwag: {error}", file=sys.stderr)
        return 1
    try:
        for notice in services.notices:
            print(f"chinwag: {notice.splitlines()[0]}", file=sys.stderr)
        return handler(services, args)
    except UsageError as error:
        print(f"chinwag: {error}", file=sys.stderr)
        return 2
    except CallFailed as error:
        print(f"chinwag: {error}", file=sys.stderr)
        return 1
    finally:
        services.close()
