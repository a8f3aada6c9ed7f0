"""The models folder as the hub sees it: where downloads go, and removing what it put there.

A file `NAME.gguf` in a models folder is the model `local/NAME` (plugins/chinwag_local).
Downloads go to the user's own folder (`$CHINWAG_HOME/models`); folders named in
CHINWAG_MODELS_PATH hold models installed by other means and are never deleted from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chinwag.core.system.paths import models_dirs


@dataclass(frozen=True)
class Removed:
    name: str
    paths: tuple[Path, ...]  # the model file and any part file left by a download


def downloads_folder() -> Path:
    return models_dirs()[0]


def model_name(file_name: str) -> str:
    """The local model's name: `local/NAME` for NAME.gguf."""
    return file_name.rsplit("/", 1)[-1].removesuffix(".gguf")


def remove(name: str) -> Removed:
    """Delete the model `name` (or `local/name`) and its partial download, if any."""
    name = name.removeprefix("local/").removesuffix(".gguf")
    if not name or "/" in name or name in (".", ".."):
        raise ValueError(f"not a local model name: {name!r}")
    folder = downloads_folder()
    model = folder / f"{name}.gguf"
    part = folder / f"{name}.gguf.part"
    stamp = folder / f"{name}.gguf.part.sha256"  # download.stamp_path: what the part is of
    present = tuple(p for p in (model, part, stamp) if p.exists())
    if not present:
        elsewhere = [d for d in models_dirs()[1:] if (d / f"{name}.gguf").exists()]
        if elsewhere:
            raise ValueError(
                f"local/{name} is in {elsewhere[0]} (CHINWAG_MODELS_PATH), not in Chinwag's "
                f"models folder {folder}: Chinwag leaves it alone"
            )
        raise ValueError(f"no model local/{name} in {folder}")
    for path in present:
        path.unlink()
    return Removed(name, present)
