"""The bearer token: generated once, kept in the OS keyring, compared in constant time."""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request
from pydantic import SecretStr

from chinwag.core.system.keys import KeyStore

TOKEN_NAME = "server-token"


def server_token(keys: KeyStore) -> SecretStr:
    """The token in the keyring, created on first use; no keyring means no server."""
    token = keys.get(TOKEN_NAME)
    if token is None:
        token = SecretStr(secrets.token_urlsafe(32))
        keys.set(TOKEN_NAME, token)
    return token


def regenerate_token(keys: KeyStore) -> SecretStr:
    token = SecretStr(secrets.token_urlsafe(32))
    keys.set(TOKEN_NAME, token)
    return token


def bearer_of(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


class TokenCheck:
    """A FastAPI dependency: 401 unless the request carries the server's token."""

    def __init__(self, token: SecretStr) -> None:
        self._expected = token.get_secret_value().encode()

    def replace(self, token: SecretStr) -> None:
        """A regenerated token takes effect at once; the old one stops working."""
        self._expected = token.get_secret_value().encode()

    def __call__(self, request: Request) -> None:
        given = bearer_of(request)
        if given is None or not hmac.compare_digest(given.encode(), self._expected):
            raise HTTPException(
                status_code=401,
                detail="missing or wrong bearer token (see `chinwag serve` output)",
                headers={"WWW-Authenticate": "Bearer"},
            )
