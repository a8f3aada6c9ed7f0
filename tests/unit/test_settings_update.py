"""Saving settings from the app writes only what changed; every other key stays on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.system import settings as settings_file
from chinwag.core.system.settings import (
    REMOVE,
    Settings,
    SettingsUnwritable,
    disabled_plugins_after,
    edits,
    merged,
    update,
)

STORED: dict[str, Any] = {
    "theme": "dark",
    "provider_options": {
        "bedrock": {"aws_region_name": "eu-west-1"},
        "google_vertex": {"vertex_project": "acme-prod", "vertex_location": "europe-west4"},
        "openai": {"log_completions": True, "timeout": 30},
        "azure": {"api_version": "2024-10-21", "extra_headers": {"X-Team": "chat"}},
        "acme_cloud": {"acme_tier": "gold"},
    },
    "monthly_budgets": {"openai": 12.5},
    "routers": {"vision": {"vision_model": "openai/gpt-4o"}},
    "disabled_plugins": ["uninstalled_plugin"],
    "local_api": True,
    "a_newer_versions_setting": {"kept": 1},
}


def test_a_change_sets_its_key_and_keeps_every_other() -> None:
    result = merged(STORED, {("provider_options", "openai", "timeout"): 60})
    expected = json.loads(json.dumps(STORED))
    expected["provider_options"]["openai"]["timeout"] = 60
    assert result == expected
    assert STORED["provider_options"]["openai"]["timeout"] == 30  # the input is not touched


def test_a_change_creates_the_tables_it_needs() -> None:
    result = merged({}, {("provider_options", "bedrock", "aws_region_name"): "us-east-1"})
    assert result == {"provider_options": {"bedrock": {"aws_region_name": "us-east-1"}}}


def test_removing_the_last_option_of_a_provider_removes_its_table() -> None:
    result = merged(STORED, {("provider_options", "bedrock", "aws_region_name"): REMOVE})
    assert "bedrock" not in result["provider_options"]
    vertex = STORED["provider_options"]["google_vertex"]
    assert result["provider_options"]["google_vertex"] == vertex
    assert merged({}, {("provider_options", "x", "y"): REMOVE}) == {}


def test_an_edit_back_to_the_default_or_emptied_removes_the_key() -> None:
    defaults = {"timeout": 300, "base_url": None, "num_retries": 5}
    changes = edits(
        ("provider_options", "openai"),
        {"timeout": 300, "base_url": None, "num_retries": 2},
        defaults,
    )
    assert changes == {
        ("provider_options", "openai", "timeout"): REMOVE,
        ("provider_options", "openai", "base_url"): REMOVE,
        ("provider_options", "openai", "num_retries"): 2,
    }


def test_a_plugin_the_page_does_not_list_stays_disabled() -> None:
    shown = ["local", "routers"]
    after = disabled_plugins_after(["gone", "local"], shown=shown, unticked=["routers"])
    assert after == ["gone", "routers"]


def test_update_writes_the_file_as_it_is_on_disk_plus_the_changes(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(STORED))
    live = Settings.model_validate(STORED)
    live.monthly_budgets = {"stale": 1.0}  # the file is what is kept, not a stale copy
    update(live, {("provider_options", "azure", "api_version"): "2025-01-01"}, path)

    on_disk = json.loads(path.read_text())
    assert on_disk["a_newer_versions_setting"] == {"kept": 1}
    assert on_disk["provider_options"]["azure"] == {
        "api_version": "2025-01-01",
        "extra_headers": {"X-Team": "chat"},
    }
    assert {k: v for k, v in on_disk.items() if k != "provider_options"} == {
        k: v for k, v in STORED.items() if k != "provider_options"
    }
    assert live.provider_options["azure"]["api_version"] == "2025-01-01"
    assert live.monthly_budgets == {"openai": 12.5}
    assert settings_file.load(path)[0] == live


def test_update_refuses_a_change_that_would_make_the_file_invalid(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(STORED))
    live = Settings.model_validate(STORED)
    with pytest.raises(SettingsUnwritable, match="nothing saved"):
        update(live, {("font_size",): 500}, path)
    assert json.loads(path.read_text()) == STORED
    assert live.font_size == 11


def test_update_leaves_a_file_it_cannot_read_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "dark",')  # a hand edit in progress
    with pytest.raises(SettingsUnwritable, match="could not be read"):
        update(Settings(), {("theme",): "light"}, path)
    assert path.read_text() == '{"theme": "dark",'
