"""A gated repo with the Hub token in the real OS keyring (`chinwag keys set huggingface`):
the token goes to the Hub, not to the CDN, and is nowhere on disk or in any output."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.system.keys import KeyStore
from tests.hub.conftest import GATED, GRANTED, UNGRANTED
from tests.support.hub_server import HubServer

pytestmark = pytest.mark.keyring

FILE = "gated-Q4_K_M.gguf"


@pytest.fixture
def no_hub_token() -> Iterator[None]:
    KeyStore().delete("huggingface")
    yield
    KeyStore().delete("huggingface")


def test_a_granted_token_from_the_keyring_opens_a_gated_repo(
    cli: Any, hub: HubServer, home: Path, no_hub_token: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHINWAG_LOG_LEVEL", "DEBUG")
    stored = cli("keys", "set", "huggingface", input=GRANTED + "\n")
    assert stored.code == 0, stored.stderr
    listed = cli("keys", "list", "--json")
    row = next(r for r in listed.json() if r["provider"] == "huggingface")
    assert row == {
        "provider": "huggingface",
        "key": "****" + GRANTED[-4:],
        "source": "keyring",
        "env_var": "HF_TOKEN",
    }
    files = cli("models", "files", GATED, "--json")
    got = cli("models", "download", GATED, FILE)
    assert got.code == 0, got.stderr
    assert (home / "models" / FILE).exists()

    resolve = [s for s in hub.seen if "/resolve/" in s.path]
    cdn = [s for s in hub.seen if s.path.startswith("/cdn/")]
    assert resolve and all(s.authorized for s in resolve)
    assert cdn and not any(s.authorized for s in cdn)  # another site: no token
    outputs = [stored, listed, files, got]
    assert not [r for r in outputs if GRANTED in r.stdout + r.stderr]
    on_disk = [p for p in home.rglob("*") if p.is_file() and not p.name.endswith(".gguf")]
    assert any(p.name == "chinwag.log" for p in on_disk)
    assert [p for p in on_disk if GRANTED.encode() in p.read_bytes()] == []


def test_a_token_without_access_is_told_to_accept_the_terms(
    cli: Any, hub: HubServer, home: Path, no_hub_token: None
) -> None:
    assert cli("keys", "set", "huggingface", input=UNGRANTED).code == 0
    refused = cli("models", "download", GATED, FILE)
    assert refused.code == 1
    assert "your token has no access to it yet: accept its terms at" in refused.stderr
    assert f"{hub.url}/{GATED}" in refused.stderr
    assert not (home / "models" / FILE).exists()
