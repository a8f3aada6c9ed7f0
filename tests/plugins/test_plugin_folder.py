"""The plugins folder: how a user adds a plugin to the installed app (no pip inside it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from chinwag.plugins import plugins_dir

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def install_into_folder(name: str, work: Path) -> None:
    """What packaging/README.md tells users: pip install --target <folder> --no-deps."""
    shutil.copytree(FIXTURES / name, work / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "install",
         "--no-deps", "--no-build-isolation", "--target", str(plugins_dir()), str(work / name)],
        check=True, capture_output=True, env=os.environ | {"PIP_NO_INDEX": "1"},
    )  # fmt: skip


def test_a_plugin_in_the_folder_is_discovered_and_serves_models(
    home: Path, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAMPLE_API_KEY", "sk-sample-env-key-123456")  # listed once usable
    install_into_folder("chinwag-sample-plugin", tmp_path)
    assert plugins_dir() == home / "plugins"

    run = cli("plugins", "--json")
    assert run.code == 0, run.stderr
    sample = {r["name"]: r for r in run.json()}["sample"]
    assert (sample["distribution"], sample["version"], sample["status"]) == (
        "chinwag-sample-plugin", "0.3.1", "ok",
    )  # fmt: skip
    models = cli("models", "--json")
    assert models.code == 0, models.stderr
    assert "sample/sample-chat-1" in {m["handle"] for m in models.json()}


def test_a_broken_plugin_in_the_folder_is_contained(tmp_path: Path, cli: Any) -> None:
    install_into_folder("chinwag-broken-plugin", tmp_path)
    run = cli("plugins", "--json")
    assert run.code == 0, run.stderr
    records = {r["name"]: r for r in run.json()}
    assert records["broken"]["status"] == "failed"
    assert records["local"]["status"] == "ok"


def test_without_a_plugins_folder_only_the_environment_counts(cli: Any) -> None:
    run = cli("plugins", "--json")
    assert run.code == 0, run.stderr
    assert "sample" not in {r["name"] for r in run.json()}


def test_the_plugins_listing_says_where_to_install_plugins(home: Path, cli: Any) -> None:
    run = cli("plugins")
    assert run.code == 0, run.stderr
    assert f"pip install --target {home / 'plugins'} --no-deps PLUGIN" in run.stdout
