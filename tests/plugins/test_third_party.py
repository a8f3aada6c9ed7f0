"""Third-party plugins installed with pip: seen, usable, and a broken one contained."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.plugins.wire import WireServer, openai_chat_sse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DISTRIBUTIONS = {"chinwag-sample-plugin": "sample", "chinwag-broken-plugin": "broken"}


def pip(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],
        check=True,
        capture_output=True,
        env=os.environ | {"PIP_NO_INDEX": "1"},
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Both sample distributions, built from a copy (the build leaves files behind)."""
    work = tmp_path_factory.mktemp("dists")
    for name in DISTRIBUTIONS:
        shutil.copytree(FIXTURES / name, work / name)
        pip("install", "--no-deps", "--no-build-isolation", str(work / name))
    try:
        yield
    finally:
        pip("uninstall", "-y", *DISTRIBUTIONS)


def test_pip_installed_plugins_are_listed_with_their_distribution_and_status(
    installed: None, cli: Any
) -> None:
    run = cli("plugins", "--json")
    assert run.code == 0, run.stderr
    records = {r["name"]: r for r in run.json()}
    sample = records["sample"]
    assert (sample["distribution"], sample["version"]) == ("chinwag-sample-plugin", "0.3.1")
    assert (sample["status"], sample["providers"]) == ("ok", ["sample"])
    broken = records["broken"]
    assert broken["status"] == "failed"
    assert "fails at import, on purpose" in broken["error"]
    assert all(r["status"] == "ok" for n, r in records.items() if n != "broken")
    assert "Plugin broken failed to load" in run.stderr


def test_a_third_party_provider_lists_its_models_and_chats(
    installed: None,
    cli: Any,
    monkeypatch: pytest.MonkeyPatch,
    provider_options: Callable[[dict[str, Any]], None],
) -> None:
    monkeypatch.setenv("SAMPLE_API_KEY", "sk-sample-env-key-123456")
    models = cli("models", "--json")
    assert models.code == 0, models.stderr
    sample = next(m for m in models.json() if m["handle"] == "sample/sample-chat-1")
    assert (sample["context_window"], sample["ready"]) == (32_000, True)

    with WireServer(openai_chat_sse(["from ", "a plugin"])) as server:
        provider_options({"sample": {"base_url": f"{server.url}/v1"}})
        chat = cli("chat", "-m", "sample/sample-chat-1", "--json", "hello")
    assert chat.code == 0, chat.stderr
    assert chat.json()["text"] == "from a plugin"
    request = server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-sample-env-key-123456"
