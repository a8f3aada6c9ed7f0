"""`chinwag plugins`: what loaded, what each registered, and what failed."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import print_json
from chinwag.plugins import plugins_dir


def add_parser(subparsers: Any) -> None:
    plugins = subparsers.add_parser("plugins", help="loaded plugins and their status")
    plugins.add_argument("--json", action="store_true")
    plugins.set_defaults(handler=run)


def run(services: Services, args: argparse.Namespace) -> int:
    records = services.plugins.records
    if args.json:
        print_json([dataclasses.asdict(r) for r in records])
        return 0
    for r in records:
        line = f"{r.name} ({r.distribution} {r.version}): {r.status}"
        registered = [*r.providers, *(f"backend {b}" for b in r.backends)]
        registered += [f"summarizer {s}" for s in r.summarizers]
        registered += [f"router {name}" for name in r.routers]
        if registered:
            line += f" [{', '.join(registered)}]"
        if r.status != "disabled":
            line += f" {r.load_ms:.1f} ms"
        print(line + (f" - {r.error.splitlines()[0]}" if r.error else ""))
        for warning in r.warnings:
            print(f"  warning: {warning}")
    for warning in services.plugins.warnings:
        print(f"warning: {warning}")
    print(f"add plugins with: pip install --target {plugins_dir()} --no-deps PLUGIN")
    return 0
