"""Plugin tests: loopback-only networking, keys in the real keyring, settings on disk."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from chinwag.core.system import settings as settings_file
from chinwag.core.system.keys import KeyStore

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any lookup of a non-loopback host in this process fails the call that made it."""
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in LOOPBACK:
            raise OSError(f"test tried to reach {name}: only 127.0.0.1 is allowed")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture
def keys() -> Iterator[KeyStore]:
    """The real OS keyring; every key a test stores is deleted afterwards."""
    store = KeyStore()
    stored: list[str] = []
    real_set = store.set

    def tracking_set(name: str, value: Any) -> None:
        stored.append(name)
        real_set(name, value)

    store.set = tracking_set  # type: ignore[method-assign]
    yield store
    for name in stored:
        store.delete(name)


@pytest.fixture
def provider_options() -> Callable[[dict[str, dict[str, Any]]], None]:
    """Write settings.json with these provider options, as the settings dialog would."""

    def write(options: dict[str, dict[str, Any]]) -> None:
        settings, _ = settings_file.load()
        settings.provider_options = options
        settings_file.save(settings)

    return write


@pytest.fixture
def own_imports() -> Iterator[None]:
    """For a test that loads plugins in-process: the folder it puts on sys.path and the
    modules it imports leave with it, so no later test finds them."""
    path, modules = list(sys.path), set(sys.modules)
    yield
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        if name.startswith("chinwag_test_"):
            del sys.modules[name]
