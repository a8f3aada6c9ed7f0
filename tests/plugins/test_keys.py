"""API keys in the real OS keyring (gnome-keyring's Secret Service), through the CLI."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from chinwag.core.system.keys import KeyStore

pytestmark = pytest.mark.keyring

KEY = "sk-keyring-test-8d1f0c2b9a7e6d5c"


def secret_tool_search() -> str:
    done = subprocess.run(
        ["secret-tool", "search", "--all", "service", "chinwag"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.fixture
def no_openai_key(keys: KeyStore) -> Any:
    keys.delete("openai")
    yield
    keys.delete("openai")


def test_keys_set_reads_stdin_and_stores_in_the_secret_service(
    cli: Any, home: Path, no_openai_key: None
) -> None:
    run = cli("keys", "set", "openai", input=KEY + "\n")
    assert run.code == 0, run.stderr
    assert KEY not in run.stdout + run.stderr
    found = secret_tool_search()
    assert f"secret = {KEY}" in found
    assert "username = openai" in found
    assert KeyStore().get("openai") == SecretStr(KEY)


def test_keys_list_masks_and_delete_removes(cli: Any, no_openai_key: None) -> None:
    assert cli("keys", "set", "openai", input=KEY).code == 0
    listing = cli("keys", "list", "--json")
    row = next(r for r in listing.json() if r["provider"] == "openai")
    assert row == {
        "provider": "openai",
        "key": "****" + KEY[-4:],
        "source": "keyring",
        "env_var": "OPENAI_API_KEY",
    }
    assert KEY not in listing.stdout
    assert cli("keys", "delete", "openai").code == 0
    assert KEY not in secret_tool_search()
    again = cli("keys", "delete", "openai")
    assert again.code == 2 and "holds no OpenAI key" in again.stderr


def test_the_environment_variable_is_the_fallback(
    cli: Any, monkeypatch: pytest.MonkeyPatch, no_openai_key: None
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment-0001")
    row = next(r for r in cli("keys", "list", "--json").json() if r["provider"] == "openai")
    assert (row["source"], row["key"]) == ("OPENAI_API_KEY", "****0001")
    assert cli("keys", "set", "openai", input=KEY).code == 0
    row = next(r for r in cli("keys", "list", "--json").json() if r["provider"] == "openai")
    assert row["source"] == "keyring"  # the keyring wins over the variable


def test_a_key_is_never_taken_from_the_command_line(cli: Any) -> None:
    run = cli("keys", "set", "openai", KEY)
    assert run.code == 2  # argparse: unrecognized argument
    assert KEY not in secret_tool_search()


def test_an_unknown_or_keyless_provider_is_refused(cli: Any) -> None:
    run = cli("keys", "set", "local", input=KEY)
    assert run.code == 2
    assert "takes a key" in run.stderr and "openai" in run.stderr


def test_without_a_usable_keyring_the_message_names_the_fix_and_nothing_is_written(
    cli: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    run = cli("keys", "set", "openai", input=KEY)
    assert run.code == 1
    assert "No usable OS keyring" in run.stderr
    assert "Secret Service" in run.stderr and "environment variable" in run.stderr
    on_disk = [p for p in home.rglob("*") if p.is_file() and KEY.encode() in p.read_bytes()]
    assert on_disk == []


def read_until(fd: int, marker: bytes | None, seconds: float = 120) -> bytes:
    """What the terminal shows until `marker` appears (None: until the program exits)."""
    seen = b""
    while marker is None or marker not in seen:
        ready, _, _ = select.select([fd], [], [], seconds)
        if not ready:
            raise TimeoutError(f"no {marker!r} on the terminal; it showed {seen!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the program closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_on_a_terminal_the_key_is_asked_for_and_never_echoed(no_openai_key: None) -> None:
    pid, fd = pty.fork()
    if pid == 0:  # the child: `chinwag keys set openai` on a real terminal
        os.execve(
            sys.executable, [sys.executable, "-m", "chinwag", "keys", "set", "openai"], os.environ
        )
    try:
        shown = read_until(fd, b"(not shown): ")
        os.write(fd, KEY.encode() + b"\n")
        shown += read_until(fd, None)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, shown
    assert b"stored the OpenAI key" in shown
    assert KEY.encode() not in shown
    assert KeyStore().get("openai") == SecretStr(KEY)
