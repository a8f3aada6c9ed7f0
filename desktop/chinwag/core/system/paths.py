"""Where Chinwag keeps its files: everything under one home, overridable by CHINWAG_HOME.

The home and the logs folder are created readable by the user only (0700): they hold the
history, the settings and the logs. A folder that already exists keeps the mode it has.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def home() -> Path:
    override = os.environ.get("CHINWAG_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir("chinwag", "chinwag"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def database_path() -> Path:
    return home() / "chinwag.db"


def settings_path() -> Path:
    return home() / "settings.json"


def logs_dir() -> Path:
    path = home() / "logs"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def models_dirs() -> list[Path]:
    """The user's own models folder first, then any folders named in CHINWAG_MODELS_PATH
    (where the setup script and the installers put the built-in model)."""
    user = home() / "models"
    user.mkdir(exist_ok=True)
    extra = [Path(p) for p in os.environ.get("CHINWAG_MODELS_PATH", "").split(os.pathsep) if p]
    return [user, *extra]
