"""User settings in settings.json under the Chinwag home. Never holds a secret.

A file that cannot be read is moved aside (kept, not deleted) and defaults are used,
with a notice saying where the old file went.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
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
    path = path or paths.settings_path()
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(settings.model_dump_json(indent=2), encoding="utf-8")
    os.replace(temporary, path)
