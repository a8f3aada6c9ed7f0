"""Reading settings.json: one bad field costs only that field, the file is never rewritten
behind the user's back, a byte order mark is fine, and hostile nesting is refused."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.system import settings as settings_file
from chinwag.core.system.settings import SettingsUnwritable, update

MINE: dict[str, Any] = {
    "theme": "dark",
    "font_size": 100,  # out of range: the one bad field
    "enter_sends": False,
    "max_budget_per_task": 2.5,
    "monthly_budgets": {"openai": 12.5},
    "provider_options": {"openai": {"base_url": "http://127.0.0.1:9/v1"}},
}


def write(path: Path, data: Any, bom: bool = False) -> bytes:
    raw = (b"\xef\xbb\xbf" if bom else b"") + json.dumps(data).encode()
    path.write_bytes(raw)
    return raw


def test_one_bad_field_takes_its_default_and_every_other_setting_is_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.json"
    raw = write(path, MINE)
    for _start in range(2):  # the notice comes back at every start until it is fixed
        settings, notices = settings_file.load(path)
        assert settings.font_size == 11
        assert (settings.theme, settings.enter_sends) == ("dark", False)
        assert settings.max_budget_per_task == 2.5
        assert settings.monthly_budgets == {"openai": 12.5}
        assert settings.provider_options["openai"]["base_url"] == "http://127.0.0.1:9/v1"
        [notice] = notices
        assert notice.startswith(f"Settings: font_size in {path} is not valid")
        assert "got 100" in notice and "default 11" in notice
        assert path.read_bytes() == raw  # never rewritten to "fix" it
        assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # nothing set aside


def test_saving_another_setting_keeps_the_bad_field_as_the_user_wrote_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.json"
    write(path, MINE)
    settings, _ = settings_file.load(path)
    update(settings, {("theme",): "light"}, path)
    on_disk = json.loads(path.read_text())
    assert on_disk == MINE | {"theme": "light"}
    assert (settings.theme, settings.font_size) == ("light", 11)
    update(settings, {("font_size",): 14}, path)  # fixing it the ordinary way
    assert settings_file.load(path) == (settings, [])
    with pytest.raises(SettingsUnwritable, match="font_size"):
        update(settings, {("font_size",): 100}, path)


def test_a_byte_order_mark_is_read_like_any_other_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    write(path, {"theme": "light", "font_size": 14}, bom=True)
    settings, notices = settings_file.load(path)
    assert (settings.theme, settings.font_size, notices) == ("light", 14, [])
    update(settings, {("enter_sends",): False}, path)
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "theme": "light", "font_size": 14, "enter_sends": False,
    }  # fmt: skip


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_refused_with_a_clear_message(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "settings.json"
    raw = ('{"provider_options": {"x": ' + "[" * depth + "]" * depth + "}}").encode()
    path.write_bytes(raw)
    settings, [notice] = settings_file.load(path)
    assert settings == settings_file.Settings()
    assert "Settings could not be read (it is nested more than 32 levels deep)" in notice
    [aside] = [p for p in tmp_path.iterdir() if p.name.startswith("settings.json.invalid-")]
    assert aside.read_bytes() == raw  # kept whole


def test_the_settings_file_is_created_readable_by_the_user_only(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    update(settings_file.Settings(), {("theme",): "dark"}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o640)  # the user's own choice for a file they have is kept
    settings_file.save(settings_file.Settings(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_bad_entry_of_a_table_costs_only_that_entry(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    raw = write(
        path,
        {
            "monthly_budgets": {"openai": -1, "anthropic": 5, "groq": "lots"},
            "provider_options": {"openai": "not a table", "ollama": {"base_url": "http://h"}},
            "disabled_plugins": [1, 2],
        },
    )
    settings, notices = settings_file.load(path)
    assert settings.monthly_budgets == {"anthropic": 5}
    assert settings.provider_options == {"ollama": {"base_url": "http://h"}}
    assert settings.disabled_plugins == []
    assert sorted(n.split(" in ")[0] for n in notices) == [
        "Settings: disabled_plugins",
        "Settings: monthly_budgets.groq",
        "Settings: monthly_budgets.openai",
        "Settings: provider_options.openai",
    ]
    assert path.read_bytes() == raw
