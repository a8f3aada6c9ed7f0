"""`chinwag models`: every model of every enabled provider (and, as actions, the Hub's)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import print_json
from chinwag.cli.model_hub import add_actions
from chinwag.core.llm.catalog import UnknownModel


def add_parser(subparsers: Any) -> None:
    models = subparsers.add_parser("models", help="every model of every enabled provider")
    models.add_argument("--json", action="store_true")
    models.add_argument(
        "--live", action="store_true", help="also ask each ready provider's models endpoint"
    )
    models.add_argument(
        "--all", action="store_true", help="include providers not ready yet, with the reason"
    )
    models.set_defaults(handler=run)
    add_actions(models)  # search, files, download, remove: the Hugging Face Hub


def run(services: Services, args: argparse.Namespace) -> int:
    problems: list[str] = []
    models = services.catalog.models(live=args.live, everything=args.all, problems=problems)
    problems += [r.models_error for r in services.plugins.records if r.models_error]
    for problem in problems:
        print(f"chinwag: {problem}", file=sys.stderr)
    try:
        default = services.catalog.default_handle()
    except UnknownModel:
        default = None
    reasons = {p.id: services.catalog.not_ready(p) for p in services.catalog.providers.values()}
    if args.json:
        print_json(
            [
                {
                    "handle": m.handle,
                    "provider": m.provider.id,
                    "default": m.handle == default,
                    "ready": reasons[m.provider.id] is None,
                    "not_ready": reasons[m.provider.id],
                }
                | m.info.model_dump()
                for m in models
            ]
        )
        return 0
    for m in models:
        note = "  (default)" if m.handle == default else ""
        if reasons[m.provider.id]:
            note += "  (not ready)"
        print(f"{m.handle}{note}")
    for name, spec in sorted(services.routers.specs.items()):
        print(f"router/{name}  (router: {spec.description})")
    return 0
