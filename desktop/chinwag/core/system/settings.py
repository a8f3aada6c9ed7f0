"""User settings in settings.json under the Chinwag home. Never holds a secret.

A file that cannot be read is moved aside (kept, not deleted) and defaults are used,
with a notice saying where the old file went. A change made in the app (`update`) writes
only the keys it changes: everything else in the file stays as it is, including keys this
version does not know (another provider plugin's options, a newer version's settings).
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chinwag.core.system import paths


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    default_model: str | None = Field(None, description="provider/model; None picks one")
    enter_sends: bool = True
    theme: Literal["system", "light", "dark"] = "system"
    font_size: int = Field(11, ge=6, le=48)
    provider_options: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="non-secret per-provider fields, e.g. base_url"
    )
    disabled_plugins: list[str] = Field(default_factory=list)
    auto_compact: bool = True
    compaction_threshold: float = Field(
        0.9, gt=0, le=1, description="compact when the next request exceeds this share"
    )
    compaction_mode: Literal[
        "all", "sliding_window", "self_compact_all", "self_compact_sliding_window"
    ] = "sliding_window"
    summarizer_model: str | None = Field(None, description="None: cheapest of the provider")
    auto_title: bool = True
    title_model: str | None = Field(None, description="None: the conversation's model")
    max_budget_per_task: float | None = Field(
        None, ge=0, description="USD a conversation may spend unless it has its own budget"
    )
    monthly_budgets: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict, description="provider id -> USD per calendar month (local time)"
    )
    routers: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="per-router options, e.g. routers.vision.vision_model"
    )
    local_api: bool = Field(False, description="run the local API inside the app")
    local_api_port: int = Field(8283, ge=0, le=65535, description="0: any free port")


DEFAULTS: dict[str, Any] = {
    name: info.get_default(call_default_factory=True)
    for name, info in Settings.model_fields.items()
}


def load(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings and any notices for the user."""
    path = path or paths.settings_path()
    if not path.exists():
        return Settings(), []
    try:
        return Settings.model_validate(json.loads(path.read_text(encoding="utf-8"))), []
    except (ValueError, ValidationError, UnicodeDecodeError) as error:
        aside = path.with_name(f"{path.name}.invalid-{datetime.now():%Y%m%d-%H%M%S}")
        path.rename(aside)
        first = str(error).splitlines()[0]
        return Settings(), [
            f"Settings could not be read ({first}); kept as {aside}, defaults used."
        ]


def save(settings: Settings, path: Path | None = None) -> None:
    """Write atomically: a crash mid-write leaves the old file, never half a file."""
    _write(path or paths.settings_path(), settings.model_dump_json(indent=2))


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


class Remove(Enum):
    """A change that deletes its key, so the field's default applies again."""

    KEY = "remove"


REMOVE = Remove.KEY
SettingPath = tuple[str, ...]
"""Where a value lives in settings.json, e.g. ("provider_options", "bedrock", "aws_region_name")."""
Changes = Mapping[SettingPath, Any]


class SettingsUnwritable(ValueError):
    """settings.json cannot be read back, or the change would make it invalid: nothing written."""


def edits(scope: SettingPath, edited: Mapping[str, Any], defaults: Mapping[str, Any]) -> Changes:
    """The changes for fields a user edited under `scope`.

    A field emptied (None) or set back to its default removes its key rather than writing
    the default, so the file holds only what the user chose and a later default reaches them.
    """
    return {
        (*scope, name): REMOVE if value is None or value == defaults.get(name, REMOVE) else value
        for name, value in edited.items()
    }


def disabled_plugins_after(
    stored: Iterable[str], shown: Collection[str], unticked: Collection[str]
) -> list[str]:
    """The disabled list after a page that lists `shown` plugins: names it does not show
    (a plugin not installed right now) stay disabled."""
    kept = [name for name in stored if name not in shown]
    return kept + [name for name in shown if name in unticked and name not in kept]


def merged(stored: Mapping[str, Any], changes: Changes) -> dict[str, Any]:
    """`stored` with each change applied and every other key as it was.

    Removing the last key of a table (a provider's options) removes the emptied table too.
    """
    result = copy.deepcopy(dict(stored))
    for path, value in changes.items():
        *parents, key = path
        trail: list[tuple[dict[str, Any], str]] = []
        node = result
        for name in parents:
            child = node.get(name)
            if not isinstance(child, dict):
                child = {}
                if value is not REMOVE:
                    node[name] = child
            trail.append((node, name))
            node = child
        if value is not REMOVE:
            node[key] = value
            continue
        node.pop(key, None)
        for parent, name in reversed(trail):
            if parent.get(name) != {}:
                break
            del parent[name]
    return result


def update(settings: Settings, changes: Changes, path: Path | None = None) -> None:
    """Apply `changes` to settings.json as it is on disk now, and to `settings`, the live
    object every service reads (updated in place, so they all see the change)."""
    path = path or paths.settings_path()
    try:
        stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (ValueError, UnicodeDecodeError) as error:
        raise SettingsUnwritable(f"{path} could not be read ({error}); nothing saved") from None
    if not isinstance(stored, dict):
        raise SettingsUnwritable(f"{path} does not hold a JSON object; nothing saved")
    result = merged(stored, changes)
    try:
        validated = Settings.model_validate(result)
    except ValidationError as error:
        first = str(error).splitlines()[0]
        raise SettingsUnwritable(f"{path} would not be valid ({first}); nothing saved") from None
    _write(path, json.dumps(result, indent=2))
    for name in Settings.model_fields:
        setattr(settings, name, getattr(validated, name))
