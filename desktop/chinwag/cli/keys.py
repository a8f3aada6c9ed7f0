"""`chinwag keys set|list|delete`: API keys in the OS keyring.

A key is read from stdin or a hidden prompt, never from the command line, where the
shell history and the process list would keep it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from chinwag.app import Services
from chinwag.cli.common import CallFailed, UsageError, print_json
from chinwag.core.hub.client import TOKEN_ENV, TOKEN_KEY
from chinwag.core.system.keys import KeyringUnavailable, mask


@dataclass(frozen=True)
class KeyOwner:
    """Who a key is for: a provider, or the Hugging Face Hub (gated model downloads)."""

    id: str
    display_name: str
    key_name: str
    key_env_var: str | None


HUB = KeyOwner(TOKEN_KEY, "Hugging Face Hub", TOKEN_KEY, TOKEN_ENV)


def _owners(services: Services) -> list[KeyOwner]:
    providers = sorted(services.plugins.providers.values(), key=lambda p: p.id)
    owners = [
        KeyOwner(p.id, p.display_name, p.key_name, p.key_env_var) for p in providers if p.key_name
    ]
    return [*owners, HUB] if all(o.id != HUB.id for o in owners) else owners


def add_parser(subparsers: Any) -> None:
    keys = subparsers.add_parser("keys", help="store, list and delete API keys (OS keyring)")
    actions = keys.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_ = actions.add_parser("set", help="store a key: from stdin, or asked for without echo")
    set_.add_argument("provider")
    set_.set_defaults(handler=set_key)
    listing = actions.add_parser("list", help="which providers have a key (masked)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_keys)
    delete = actions.add_parser("delete", help="remove a provider's key from the keyring")
    delete.add_argument("provider")
    delete.set_defaults(handler=delete_key)


def _keyed_provider(services: Services, provider_id: str) -> KeyOwner:
    owners = _owners(services)
    found = next((o for o in owners if o.id == provider_id), None)
    if found is None:
        keyed = ", ".join(o.id for o in owners)
        raise UsageError(f"no provider {provider_id!r} takes a key (these do: {keyed})")
    return found


def _read_key(provider: KeyOwner) -> SecretStr:
    if sys.stdin.isatty():
        value = getpass.getpass(f"{provider.display_name} API key (not shown): ")
    else:
        value = sys.stdin.read()
    return SecretStr(value.strip())


def set_key(services: Services, args: argparse.Namespace) -> int:
    provider = _keyed_provider(services, args.provider)
    secret = _read_key(provider)
    if not secret.get_secret_value():
        raise UsageError("no key given: pipe it on stdin or type it at the prompt")
    try:
        services.keys.set(provider.key_name, secret)
    except KeyringUnavailable as error:
        raise CallFailed(str(error)) from None
    print(f"stored the {provider.display_name} key ({mask(secret)}) in the OS keyring")
    return 0


def list_keys(services: Services, args: argparse.Namespace) -> int:
    rows = []
    for provider in _owners(services):
        secret, source = services.keys.find(provider.key_name, provider.key_env_var)
        rows.append(
            {
                "provider": provider.id,
                "key": mask(secret) if secret else None,
                "source": source,
                "env_var": provider.key_env_var,
            }
        )
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        where = f"{row['key']} ({row['source']})" if row["key"] else "-"
        print(f"{row['provider']:<20} {where}")
    return 0


def delete_key(services: Services, args: argparse.Namespace) -> int:
    provider = _keyed_provider(services, args.provider)
    try:
        deleted = services.keys.delete(provider.key_name)
    except KeyringUnavailable as error:
        raise CallFailed(str(error)) from None
    if not deleted:
        raise UsageError(f"the keyring holds no {provider.display_name} key")
    print(f"deleted the {provider.display_name} key from the OS keyring")
    return 0
