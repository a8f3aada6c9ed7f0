"""`chinwag chat`: send a prompt, stream the reply."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import CallFailed, UsageError, get_conversation, print_json
from chinwag.core.conversations import warm_up
from chinwag.core.llm.backend import Cancel, StreamEvent, TextDelta
from chinwag.core.llm.catalog import UnknownModel
from chinwag.core.types import MessageStatus


def add_parser(subparsers: Any) -> None:
    chat = subparsers.add_parser("chat", help="send a prompt and stream the reply")
    chat.add_argument("prompt", nargs="?", help="the prompt (default: read stdin)")
    chat.add_argument("-m", "--model", help="provider/model-name")
    chat.add_argument("-c", "--conversation", help="continue this conversation id")
    chat.add_argument("--system", help="system prompt for a new conversation")
    chat.add_argument("--json", action="store_true", help="print one JSON object at the end")
    chat.set_defaults(handler=run)


def as_text(raw: str | bytes) -> str:
    """Invalid UTF-8 (from stdin, or argv's surrogate escapes) becomes U+FFFD, never a crash."""
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")
    return data.decode("utf-8", "replace")


def run(services: Services, args: argparse.Namespace) -> int:
    # litellm's import and first-call set-up overlap the local model's start-up
    warm = threading.Thread(target=warm_up, daemon=True, name="litellm-warm-up")
    warm.start()
    try:
        return chat(services, args)
    finally:
        warm.join()  # never exit while it imports: an import during shutdown fails or hangs


def chat(services: Services, args: argparse.Namespace) -> int:
    raw = args.prompt if args.prompt is not None else sys.stdin.buffer.read()
    prompt = as_text(raw)
    if not prompt.strip():
        raise UsageError("nothing to send: give a prompt or pipe one on stdin")
    if args.model:
        try:
            services.calls.resolve(args.model)
        except UnknownModel as error:
            raise UsageError(str(error)) from None
    conversations = services.conversations
    if args.conversation:
        conversation = get_conversation(services, args.conversation)
        if args.model:
            conversations.update(conversation.id, model=args.model)
    else:
        conversation = conversations.create(model=args.model, system_prompt=args.system)

    def show(event: StreamEvent) -> None:
        if isinstance(event, TextDelta) and not args.json:
            sys.stdout.write(event.text)
            sys.stdout.flush()

    try:
        reply = conversations.send(conversation.id, prompt, Cancel(), show)
    except KeyboardInterrupt:
        print("\n(stopped; the partial reply was kept)", file=sys.stderr)
        return 130
    except UnknownModel as error:  # no model configured anywhere: say so, no traceback
        raise CallFailed(str(error)) from None
    if args.json:
        print_json(
            {
                "conversation_id": conversation.id,
                "message_id": reply.id,
                "text": reply.text,
                "status": reply.status.value,
                "model": reply.model,  # the model that answered (a router picks one)
                "usage": reply.usage.model_dump() if reply.usage else None,
                "cost": reply.cost,
            }
        )
    elif reply.text:
        print()
    if reply.status == MessageStatus.ERROR:
        raise CallFailed(reply.error or "the model call failed")
    return 0
