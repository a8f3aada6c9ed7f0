"""`chinwag usage`: what the model calls cost, from the usage ledger, grouped as asked."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import UsageError, print_json
from chinwag.core.usage.ledger import GROUPINGS, UsageTotals


def add_parser(subparsers: Any) -> None:
    usage = subparsers.add_parser("usage", help="tokens and cost of model calls (the ledger)")
    usage.add_argument("--by", choices=GROUPINGS, default="day", help="grouping (default: day)")
    usage.add_argument("--since", metavar="DATE", help="from this day on (YYYY-MM-DD, local)")
    usage.add_argument("--conversation", metavar="ID", help="only this conversation's calls")
    usage.add_argument("--json", action="store_true")
    usage.set_defaults(handler=run)


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since: {text!r} is not a date like 2026-01-31") from None


def as_json(totals: UsageTotals) -> dict[str, Any]:
    row = totals.model_dump()
    row["cost"] = None if totals.unpriced_calls == totals.calls else totals.cost
    return row


def run(services: Services, args: argparse.Namespace) -> int:
    since = parse_day(args.since)
    rows = services.conversations.usage_totals(
        args.by, since=since, conversation_id=args.conversation
    )
    total = UsageTotals(key="total")
    for row in rows:
        for name, value in row.model_dump(exclude={"key"}).items():
            setattr(total, name, getattr(total, name) + value)
    titles = _titles(services, rows) if args.by == "conversation" else {}
    if args.json:
        print_json(
            {
                "by": args.by,
                "since": since.isoformat() if since else None,
                "rows": [
                    as_json(r) | ({"title": titles.get(r.key)} if titles else {}) for r in rows
                ],
                "total": as_json(total),
            }
        )
        return 0
    if not rows:
        print("No model calls recorded" + (f" since {since}." if since else "."))
        return 0
    print(f"{args.by.upper():<38} {'CALLS':>6} {'PROMPT':>9} {'COMPLETION':>10}  COST")
    for row in [*rows, total]:
        label = titles.get(row.key) or row.key
        label = label if len(label) <= 38 else label[:37] + "…"
        print(
            f"{label:<38} {row.calls:>6} {row.prompt_tokens:>9} {row.completion_tokens:>10}"
            f"  {row.cost_text()}"
        )
    return 0


def _titles(services: Services, rows: list[UsageTotals]) -> dict[str, str]:
    titles = {}
    for row in rows:
        try:
            titles[row.key] = services.conversations.get(row.key).title or row.key
        except KeyError:
            titles[row.key] = f"{row.key} (deleted)" if row.key != "-" else "(no conversation)"
    return titles
