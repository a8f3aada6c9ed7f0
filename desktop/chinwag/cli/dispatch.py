"""`chinwag <subcommand>`: parses it and runs it headless on the core.

Each subcommand group is a module here with `add_parser(subparsers)`; its handlers take
(services, args) and return an exit code, raising UsageError (exit 2) or CallFailed (exit 1).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence

from chinwag import __version__
from chinwag.app import build
from chinwag.cli import (
    assistants,
    branches,
    budget,
    chat,
    compact,
    control,
    conversations,
    keys,
    messages,
    models,
    plugins,
    serve,
    title,
    transfer,
    usage,
)
from chinwag.cli.common import CallFailed, Handler, UsageError
from chinwag.core.conversations import StoreError

DESCRIPTION = "Chinwag opens the desktop app; `chinwag COMMAND` works headless on the same core."
COMMANDS = [chat, conversations, keys, models, plugins, serve]
COMMANDS += [assistants, branches, compact, control, messages, title, transfer]
COMMANDS += [usage, budget]


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="chinwag", description=DESCRIPTION)
    root.add_argument("--version", action="version", version=f"chinwag {__version__}")
    subparsers = root.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(subparsers)
    return root


def run_command(argv: Sequence[str]) -> int:
    root = parser()
    args = root.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        root.print_help(sys.stderr)
        return 2
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
    except BrokenPipeError:  # `chinwag ... | head` stopped reading: end quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (CallFailed, StoreError) as error:
        print(f"chinwag: {error}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as error:  # damage found past the first page, on a read
        print(
            f"chinwag: the history database {services.conversations.database_path} is damaged "
            f"({error}). "
            "It was left as it is; move it aside to start a new one.",
            file=sys.stderr,
        )
        return 1
    finally:
        services.close()
