"""User settings in settings.json under the Chinwag home. Never holds a secret.

A field that is not valid (`"font_size": 100`) alone takes its default, with a notice at
every start until the user fixes it; the file is never rewritten to "fix" it. A file that
cannot be read at all (not JSON, not a JSON object, nested too deep) is moved aside (kept,
not deleted) and defaults are used, with a notice saying where it went. A change made in
the app (`update`) writes only the keys it changes: everything else in the file stays as
it is, including keys this version does not know (another provider plugin's options, a
newer version's settings). The file is created readable by the user only.
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
    compaction_mode: str = Field(
        "sliding_window", pattern=r"^[a-z][a-z0-9_]*$", description="a registered summarizer's"
    )
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


MAX_DEPTH = 32  # far deeper than any setting; bounds what parsing and merging recurse into


class Unreadable(ValueError):
    """The file holds no JSON object this version can read."""


def read(path: Path) -> dict[str, Any]:
    """The JSON object in `path` (a UTF-8 byte order mark is fine), or `Unreadable`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except RecursionError:
        raise Unreadable(f"it is nested more than {MAX_DEPTH} levels deep") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise Unreadable(str(error).splitlines()[0]) from None
    if not isinstance(data, dict):
        raise Unreadable(f"it holds a JSON {type(data).__name__}, not an object")
    if _depth(data) > MAX_DEPTH:
        raise Unreadable(f"it is nested more than {MAX_DEPTH} levels deep")
    return data


def _depth(value: Any) -> int:
    """How deeply `value` nests, counted without recursion (a hostile file can't overflow it)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        node, level = pending.pop()
        if isinstance(node, dict | list) and level <= MAX_DEPTH + 1:
            deepest = max(deepest, level)
            children = node.values() if isinstance(node, dict) else node
            pending.extend((child, level + 1) for child in children)
    return deepest


def validated(data: Mapping[str, Any]) -> tuple[Settings, dict[str, str]]:
    """Settings from `data` with each invalid value left out, and why each was.

    A bad entry of a table (one provider's monthly budget) leaves out that entry only,
    keyed "monthly_budgets.openai"; any other bad value leaves out its field.
    """
    kept = copy.deepcopy(dict(data))
    problems: dict[str, str] = {}
    while True:
        try:
            return Settings.model_validate(kept), problems
        except ValidationError as error:
            round_problems = len(problems)
            for detail in error.errors():
                loc = detail["loc"]
                name = str(loc[0]) if loc else ""
                entry = loc[1] if len(loc) > 1 else None
                if name in problems or f"{name}.{entry}" in problems:
                    continue  # a second error in a value already left out
                if name not in kept:
                    raise  # not one value's fault: never loop on it
                table = kept[name]
                got = repr(detail.get("input"))
                why = f"{detail['msg']}, got {got if len(got) <= 60 else got[:57] + '...'}"
                if isinstance(table, dict) and isinstance(entry, str) and entry in table:
                    del table[entry]
                    problems[f"{name}.{entry}"] = why
                else:
                    del kept[name]
                    problems[name] = why
            if len(problems) == round_problems:
                raise  # nothing left to leave out: never loop


def load(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings and any notices for the user."""
    path = path or paths.settings_path()
    if not path.exists():
        return Settings(), []
    try:
        settings, problems = validated(read(path))
    except Unreadable as error:
        aside = path.with_name(f"{path.name}.invalid-{datetime.now():%Y%m%d-%H%M%S}")
        path.rename(aside)
        return Settings(), [
            f"Settings could not be read ({error}); kept as {aside}, defaults used."
        ]
    return settings, [
        f"Settings: {name} in {path} is not valid ({why}); "
        + (f"the default {DEFAULTS[name]!r} is used" if name in DEFAULTS else "it is left out")
        + " until you change it. Nothing else was reset."
        for name, why in problems.items()
    ]


def save(settings: Settings, path: Path | None = None) -> None:
    """Write atomically: a crash mid-write leaves the old file, never half a file."""
    _write(path or paths.settings_path(), settings.model_dump_json(indent=2))


def _write(path: Path, text: str) -> None:
    """A new file is readable by the user only; a file the user already has keeps its mode."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)  # a leftover would keep its own mode
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with open(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
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
    object every service reads (updated in place, so they all see the change).

    A field already invalid in the file and not part of the change stays as the user
    wrote it (and at its default in `settings`): saving one setting never fixes another.
    """
    path = path or paths.settings_path()
    try:
        stored = read(path) if path.exists() else {}
    except Unreadable as error:
        raise SettingsUnwritable(f"{path} could not be read ({error}); nothing saved") from None
    result = merged(stored, changes)
    changed = {change[0] for change in changes}
    try:
        live, problems = validated(result)
        problems = {name: why for name, why in problems.items() if name.split(".")[0] in changed}
    except ValidationError as error:
        problems = {"": str(error).splitlines()[0]}
    if problems or _depth(result) > MAX_DEPTH:
        first = next(iter(problems.items()), ("", f"nested over {MAX_DEPTH} levels"))
        raise SettingsUnwritable(
            f"{path} would not be valid ({first[0]}: {first[1]}); nothing saved"
        )
    _write(path, json.dumps(result, indent=2))
    for name in Settings.model_fields:
        setattr(settings, name, getattr(live, name))
