"""API keys: only in the OS keyring (service "chinwag"), or an environment variable.

There is no file fallback: a machine without a usable keyring gets a clear message.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import SecretStr

from chinwag.core.system import logs

SERVICE = "chinwag"


class KeyringUnavailable(Exception):
    pass


def _keyring() -> Any:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or "null" in type(backend).__module__:
        raise KeyringUnavailable(
            "No usable OS keyring was found. Install and unlock a Secret Service "
            "(gnome-keyring or KWallet) or set the provider's environment variable instead."
        )
    return keyring


def backend_name() -> str:
    try:
        return type(_keyring().get_keyring()).__name__
    except KeyringUnavailable:
        return "none"


def mask(secret: SecretStr) -> str:
    """Enough to tell two keys apart, never enough to use one."""
    value = secret.get_secret_value()
    return f"****{value[-4:]}" if len(value) >= 16 else "****"


class KeyStore:
    def __init__(self) -> None:
        # True while the first window is built (ui.main): the keyring is not asked then.
        # Its first use loads its backends and makes a D-Bus call per provider, 150+ ms
        # (more with a slow or locked keyring) on the UI thread before anything shows.
        # Keys from environment variables still count meanwhile.
        self.keyring_deferred = False

    def get(self, name: str, env_var: str | None = None) -> SecretStr | None:
        """The key: from the keyring first, then the environment variable."""
        return self.find(name, env_var)[0]

    def find(self, name: str, env_var: str | None = None) -> tuple[SecretStr | None, str | None]:
        """The key and where it came from: "keyring", the variable's name, or None."""
        try:
            value = None if self.keyring_deferred else _keyring().get_password(SERVICE, name)
        except KeyringUnavailable:
            value = None
        except Exception:  # a locked or broken keyring reads as "no key here"
            value = None
        if value:
            logs.remember_secret(value)
            return SecretStr(value), "keyring"
        if env_var and os.environ.get(env_var):
            logs.remember_secret(os.environ[env_var])
            return SecretStr(os.environ[env_var]), env_var
        return None, None

    def set(self, name: str, value: SecretStr) -> None:
        secret = value.get_secret_value().strip()
        if not secret:
            raise ValueError("the key is empty")
        logs.remember_secret(secret)
        _keyring().set_password(SERVICE, name, secret)

    def delete(self, name: str) -> bool:
        keyring = _keyring()
        try:
            keyring.delete_password(SERVICE, name)
        except keyring.errors.PasswordDeleteError:
            return False
        return True
