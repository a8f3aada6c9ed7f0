"""What used to go wrong silently is reported: an intruder on a built-in id, a clashing
summarizer mode, a misspelt or unmarked hook, a name that matches no plugin, and a copy
in the plugins folder hidden by an installed one."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.plugins.folder_plugins import PROVIDER, install


def records_of(run: Any) -> dict[str, dict[str, Any]]:
    assert run.code == 0, run.stderr
    return {r["name"]: r for r in run.json()}


def test_a_third_party_plugin_cannot_take_a_built_in_provider_id(cli: Any) -> None:
    # "aaa" sorts before every first-party entry point, which is how it used to win.
    install(
        "aaa_openai",
        PROVIDER
        + """
@hookimpl
def register_providers(register):
    register(provider("openai", base_url="http://127.0.0.1:9/v1"))
""",
    )
    records = records_of(cli("plugins", "--json"))
    assert records["openai"]["status"] == "ok" and records["openai"]["built_in"] is True
    intruder = records["aaa_openai"]
    assert intruder["status"] == "failed" and intruder["built_in"] is False
    assert "'openai' is already registered by plugin 'openai' (built in)" in intruder["error"]
    models = cli("models", "--all", "--json")
    openai = [m for m in models.json() if m["provider"] == "openai"]
    assert openai and all(m["handle"] != "openai/m1" for m in openai)


SUMMARIZER = """
from chinwag.api import hookimpl

class Summarizer:
    def __init__(self, mode):
        self.mode = mode

    def cut(self, window, settings):
        return len(window.messages) - 1

    def summarize(self, request, complete):
        return "In short: " + " / ".join(m["text"] for m in request.transcript)
"""


def test_a_summarizer_plugin_cannot_take_a_built_in_mode(cli: Any) -> None:
    install(
        "aaa_summaries",
        SUMMARIZER
        + """
@hookimpl
def register_summarizers(register):
    register(Summarizer("all"))
""",
    )
    records = records_of(cli("plugins", "--json"))
    assert records["summarizers"]["status"] == "ok"
    assert "all" in records["summarizers"]["summarizers"]
    clash = records["aaa_summaries"]
    assert clash["status"] == "failed"
    assert "summarizer id 'all' is already registered by plugin 'summarizers'" in clash["error"]


MISSPELT = """
from chinwag.api import ModelInfo, Provider, hookimpl

@hookimpl
def register_provider(register):
    pass

def register_backends(register):
    pass
"""


def test_misspelt_and_unmarked_hooks_are_reported(cli: Any, home: Path) -> None:
    install("typo", MISSPELT)
    records = records_of(cli("plugins", "--json"))
    warnings = records["typo"]["warnings"]
    assert (
        "'register_provider' is not a Chinwag hook, so it is never called "
        "(did you mean 'register_providers'?)"
    ) in warnings
    assert any("'register_backends' is not marked with @hookimpl" in w for w in warnings)
    text = cli("plugins")
    assert "warning: 'register_provider' is not a Chinwag hook" in text.stdout
    log = (home / "logs" / "chinwag.log").read_text(encoding="utf-8")
    assert "'register_provider' is not a Chinwag hook" in log
    assert all(not r["warnings"] for name, r in records.items() if name != "typo")


def test_names_that_match_no_plugin_are_reported(
    cli: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.json").write_text(json.dumps({"disabled_plugins": ["opnai", "groq"]}))
    monkeypatch.setenv("CHINWAG_LOAD_PLUGINS", "local,openai,anthropc")
    run = cli("plugins")
    assert run.code == 0, run.stderr
    expected = [
        "CHINWAG_LOAD_PLUGINS names 'anthropc', which is not an installed plugin; "
        "did you mean 'anthropic'?",
        "disabled_plugins names 'opnai', which is not an installed plugin; did you mean 'openai'?",
    ]
    for sentence in expected:
        assert f"warning: {sentence}" in run.stdout
        assert sentence in run.stderr  # the notice every command prints
    assert "'groq', which is not" not in run.stdout  # a real plugin's name is fine


def test_a_folder_copy_hidden_by_an_installed_one_is_reported(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    body = PROVIDER + "@hookimpl\ndef register_providers(register):\n    register(provider('twin'))"
    install("twin", body, version="0.1", folder=site)  # the pip-installed copy
    install("twin", body, version="0.2")  # the plugins folder's copy
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    records = records_of(cli("plugins", "--json"))
    twin = records["twin"]
    assert (twin["version"], twin["status"]) == ("0.1", "ok")
    assert twin["warnings"] == [
        f"the plugins folder's chinwag-test-twin 0.2 is hidden by chinwag-test-twin 0.1 "
        f"installed in {site.resolve()}: remove one of them"
    ]


KEYLESS = (
    PROVIDER
    + """
@hookimpl
def register_providers(register):
    register(provider("aaa_keyless"))
"""
)


def default_of(cli: Any) -> str:
    models = cli("models", "--json")
    assert models.code == 0, models.stderr
    return str(next(m["handle"] for m in models.json() if m["default"]))


def test_installing_a_keyless_provider_does_not_change_the_default_model(
    cli: Any, with_model: Path
) -> None:
    before = default_of(cli)
    assert before.startswith("local/")
    install("aaa_keyless", KEYLESS)
    assert default_of(cli) == before


def test_a_keyless_plugin_does_not_replace_a_keyed_default_either(
    cli: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHINWAG_MODELS_PATH", raising=False)  # no local model here
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-only-not-a-real-key-0000")
    before = default_of(cli)
    assert before.startswith("openai/")
    install("aaa_keyless", KEYLESS)
    assert default_of(cli) == before
    # The user picks it: now it is the default.
    (home / "settings.json").write_text(json.dumps({"default_model": "aaa_keyless/m1"}))
    assert default_of(cli) == "aaa_keyless/m1"
