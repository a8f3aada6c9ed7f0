"""`chinwag budget`: spending limits; a reached one stops paid calls (the local model is free).

chinwag budget show [--json]
chinwag budget set --conversation ID 0.50     # max_budget_per_task of one conversation
chinwag budget set --default 1.00             # every conversation without its own
chinwag budget set --provider openai 20       # per calendar month
chinwag budget clear --conversation ID        # (or --default, --provider P)
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import UsageError, get_conversation, print_json
from chinwag.core.system import settings as settings_file
from chinwag.core.usage.budgets import month_start


def add_parser(subparsers: Any) -> None:
    budget = subparsers.add_parser("budget", help="spending limits per conversation / provider")
    actions = budget.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="limits and what was spent against them")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=run_show)
    for name, handler in (("set", run_set), ("clear", run_clear)):
        action = actions.add_parser(name, help=f"{name} a limit (USD)")
        target = action.add_mutually_exclusive_group(required=True)
        target.add_argument("--conversation", metavar="ID")
        target.add_argument("--provider", metavar="ID", help="a monthly budget for a provider")
        target.add_argument("--default", action="store_true", help="conversations' default")
        if name == "set":
            action.add_argument("usd", type=str, help="limit in US dollars")
        action.set_defaults(handler=handler)


def _amount(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{text!r} is not an amount in dollars") from None
    if not math.isfinite(value) or value < 0:
        raise UsageError("a budget is a number of dollars, 0 or more")
    return value


def _apply(services: Services, args: argparse.Namespace, value: float | None) -> None:
    if args.conversation:
        conversation = get_conversation(services, args.conversation)
        services.conversations.set_budget(conversation.id, value)
        return
    if args.default:
        path: tuple[str, ...] = ("max_budget_per_task",)
    elif args.provider in services.plugins.providers:
        path = ("monthly_budgets", args.provider)
    else:
        raise UsageError(f"no provider {args.provider!r}")
    try:  # only this key is written: the rest of the file stays as the user has it
        settings_file.update(
            services.settings, {path: settings_file.REMOVE if value is None else value}
        )
    except settings_file.SettingsUnwritable as error:
        raise UsageError(str(error)) from None


def run_set(services: Services, args: argparse.Namespace) -> int:
    _apply(services, args, _amount(args.usd))
    return 0


def run_clear(services: Services, args: argparse.Namespace) -> int:
    _apply(services, args, None)
    return 0


def run_show(services: Services, args: argparse.Namespace) -> int:
    settings, conversations = services.settings, services.conversations
    since = month_start()
    monthly = {
        provider: {
            "budget": limit,
            "spent_this_month": conversations.spent(provider=provider, since=since),
        }
        for provider, limit in sorted(settings.monthly_budgets.items())
    }
    if args.json:
        print_json({"default_per_conversation": settings.max_budget_per_task, "monthly": monthly})
        return 0
    default = settings.max_budget_per_task
    print(f"per conversation (default): {'none' if default is None else f'${default:.4f}'}")
    for provider, figures in monthly.items():
        print(
            f"{provider}: ${figures['spent_this_month']:.4f} of ${figures['budget']:.4f} this month"
        )
    if not monthly:
        print("monthly: none")
    return 0
