"""A plugin's hook or model list that exits, interrupts, raises or hangs is contained:
that plugin is failed with its file and line, every other plugin and command works."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from chinwag import plugins
from tests.plugins.folder_plugins import PROVIDER, install, line_of

HOSTILE_HOOKS = {
    "exits": "sys.exit(0)",
    "interrupts": "raise KeyboardInterrupt",
    "hangs": "threading.Event().wait()",
}


def hostile(behaviour: str) -> str:
    return f"""
import sys, threading
from chinwag.api import hookimpl

@hookimpl
def register_providers(register):
    {HOSTILE_HOOKS[behaviour]}
"""


@pytest.mark.parametrize("behaviour", list(HOSTILE_HOOKS))
def test_a_hook_that_exits_interrupts_or_hangs_fails_only_its_plugin(
    behaviour: str, cli: Any, with_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHINWAG_PLUGIN_HOOK_TIMEOUT", "1")
    module = install(behaviour, hostile(behaviour))
    run = cli("plugins", "--json", timeout=60)
    assert run.code == 0, run.stderr
    records = {r["name"]: r for r in run.json()}
    failed = records[behaviour]
    assert failed["status"] == "failed"
    expected = {"exits": "SystemExit", "interrupts": "KeyboardInterrupt", "hangs": "within 1 s"}
    assert expected[behaviour] in failed["error"]
    assert f"{module}:{line_of(module, HOSTILE_HOOKS[behaviour])}" in failed["error"]
    assert all(r["status"] == "ok" for name, r in records.items() if name != behaviour)
    assert f"Plugin {behaviour} failed to load" in run.stderr

    models = cli("models", "--all", "--json", timeout=60)
    assert models.code == 0, models.stderr
    providers = {m["provider"] for m in models.json()}
    assert {"local", "openai", "anthropic"} <= providers


@pytest.mark.parametrize("body", ["import sys\nsys.exit(3)\n", "raise KeyboardInterrupt\n"])
def test_a_plugin_that_exits_or_interrupts_at_import_is_failed_with_its_line(
    body: str, cli: Any
) -> None:
    module = install("at_import", body)
    failed = {r["name"]: r for r in cli("plugins", "--json").json()}["at_import"]
    assert failed["status"] == "failed"
    assert ("SystemExit: 3" if "exit" in body else "KeyboardInterrupt") in failed["error"]
    assert f"(at {module}:{len(body.splitlines())})" in failed["error"]


LIST_MODELS = {
    "raises": "raise RuntimeError('the catalogue is down')",
    "exits": "raise SystemExit(2)",
    "hangs": "threading.Event().wait()",
    "returns_junk": "return 'not a list'",
}


@pytest.mark.parametrize("behaviour", list(LIST_MODELS))
def test_a_provider_whose_model_list_fails_hides_only_its_own_models(
    behaviour: str, cli: Any, with_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHINWAG_PLUGIN_MODELS_TIMEOUT", "1")
    install(
        "flaky",
        PROVIDER
        + f"""
import threading

def broken_list():
    {LIST_MODELS[behaviour]}

@hookimpl
def register_providers(register):
    register(provider("flaky", list_models=broken_list))
""",
    )
    models = cli("models", "--json", timeout=60)
    assert models.code == 0, models.stderr
    listed = models.json()
    assert any(m["provider"] == "local" for m in listed)
    assert not any(m["provider"] == "flaky" for m in listed)
    assert "flaky list_models" in models.stderr
    assert "no Flaky models are listed" in models.stderr


def test_chat_works_while_another_provider_model_list_hangs(
    cli: Any, with_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHINWAG_PLUGIN_MODELS_TIMEOUT", "1")
    install(
        "stuck",
        PROVIDER
        + """
import threading

@hookimpl
def register_providers(register):
    register(provider("stuck", list_models=lambda: threading.Event().wait()))
""",
    )
    chat = cli("chat", "--json", "Say hi.", timeout=120)
    assert chat.code == 0, chat.stderr
    assert chat.json()["model"].startswith("local/")


@pytest.mark.usefixtures("own_imports")
def test_a_hook_given_up_on_cannot_register_afterwards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugins, "HOOK_TIMEOUT_SECONDS", 0.3)
    install(
        "late",
        PROVIDER
        + """
import time

@hookimpl
def register_providers(register):
    time.sleep(0.8)
    register(provider("late"))
""",
    )
    host = plugins.load_plugins()
    time.sleep(1.5)  # the hook has woken up and tried to register by now
    late = next(r for r in host.records if r.name == "late")
    assert late.status == "failed" and "within 0.3 s" in (late.error or "")
    assert "late" not in host.providers and late.providers == []
    assert "local" in host.providers


def test_the_user_s_ctrl_c_still_stops_the_cli_while_a_hook_runs(home: Path) -> None:
    """SIGINT reaches the main thread only, so it is the user's, never taken for the plugin's."""
    started = home / "hook-started"
    install(
        "slow",
        f"""
import pathlib, threading
from chinwag.api import hookimpl

@hookimpl
def register_providers(register):
    pathlib.Path({str(started)!r}).touch()
    threading.Event().wait()
""",
    )
    env = os.environ | {"CHINWAG_PLUGIN_HOOK_TIMEOUT": "60"}
    process = subprocess.Popen(
        [sys.executable, "-m", "chinwag", "plugins", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists()
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=10)
    assert process.returncode != 0
    assert out == b""  # it stopped; it did not go on as if the plugin had failed
