"""`chinwag export ID --format md|json [-o FILE]` and `chinwag import FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import UsageError, get_conversation, print_json
from chinwag.core.conversations.export import InvalidExport, parse


def add_parser(subparsers: Any) -> None:
    export = subparsers.add_parser("export", help="write a conversation as Markdown or JSON")
    export.add_argument("id")
    export.add_argument("--format", choices=("md", "json"), default="json")
    export.add_argument("-o", "--output", help="file to write (default: stdout)")
    export.set_defaults(handler=export_)
    import_ = subparsers.add_parser("import", help="add a conversation from a JSON export")
    import_.add_argument("file", help="a file written by `chinwag export --format json`")
    import_.add_argument("--json", action="store_true")
    import_.set_defaults(handler=import_file)


def export_(services: Services, args: argparse.Namespace) -> int:
    conversation = get_conversation(services, args.id)
    conversations = services.conversations
    text = (
        conversations.export_json(conversation.id)
        if args.format == "json"
        else conversations.export_markdown(conversation.id)
    )
    if args.output:
        Path(args.output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def import_file(services: Services, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    try:
        data = parse(text)
    except InvalidExport as error:
        raise UsageError(f"{path} was not imported: {error}; nothing was changed") from None
    conversation_id = services.conversations.import_from(data)
    if args.json:
        print_json({"conversation_id": conversation_id})
    else:
        print(f"imported {conversation_id}")
    return 0
