"""`chinwag models`: every model of every enabled provider."""

from __future__ import annotations

import argparse
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import print_json
from chinwag.core.catalog import UnknownModel


def add_parser(subparsers: Any) -> None:
    models = subparsers.add_parser("models", help="every model of every enabled provider")
    models.add_argument("--json", action="store_true")
    models.set_defaults(handler=run)


def run(services: Services, args: argparse.Namespace) -> int:
    models = services.catalog.models()
    try:
        default = services.catalog.default_handle()
    except UnknownModel:
        default = None
    if args.json:
        print_json(
            [
                {"handle": m.handle, "provider": m.provider.id, "default": m.handle == default}
                | m.info.model_dump()
                for m in models
            ]
        )
        return 0
    for m in models:
        print(f"{m.handle}{'  (default)' if m.handle == default else ''}")
    return 0
