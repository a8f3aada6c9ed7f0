"""Mistakes that would otherwise fail silently: a misspelt or unmarked hook, a plugin name
in the settings or CHINWAG_LOAD_PLUGINS that matches nothing installed, and a copy in the
plugins folder that an installed copy of the same distribution hides.

Each becomes a sentence for the user; none stops a plugin from loading.
"""

from __future__ import annotations

import difflib
import importlib.metadata
from collections.abc import Collection, Iterable
from pathlib import Path

IMPL_MARK = "chinwag_impl"  # the attribute pluggy's HookimplMarker("chinwag") sets


def hook_mistakes(plugin: object, hooks: Collection[str]) -> list[str]:
    """Functions that look meant as hooks but will never be called."""
    found = []
    for name in sorted(dir(plugin)):
        if name.startswith("_"):
            continue
        value = getattr(plugin, name, None)
        if not callable(value) or isinstance(value, type):
            continue
        marked = getattr(value, IMPL_MARK, None) is not None
        close = difflib.get_close_matches(name, list(hooks), n=1, cutoff=0.8)
        if marked and name not in hooks:
            hint = f"did you mean {close[0]!r}?" if close else f"the hooks are {', '.join(hooks)}"
            found.append(f"{name!r} is not a Chinwag hook, so it is never called ({hint})")
        elif not marked and name in hooks:
            found.append(f"{name!r} is not marked with @hookimpl, so it is never called")
        elif not marked and close and name.startswith("register"):
            found.append(f"{name!r} is never called: did you mean the hook {close[0]!r}?")
    return found


def unknown_names(where: str, names: Iterable[str], installed: Collection[str]) -> list[str]:
    """A sentence for each name in `where` that is no installed plugin or distribution."""
    found = []
    for name in sorted(set(names) - set(installed)):
        close = difflib.get_close_matches(name, list(installed), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        found.append(f"{where} names {name!r}, which is not an installed plugin{hint}")
    return found


def hidden_folder_copies(folder: Path) -> dict[str, str]:
    """Distribution name -> why the plugins folder's copy of it is not the one loaded."""
    hidden = {}
    for info in sorted(folder.glob("*.dist-info")):
        copy = importlib.metadata.PathDistribution(info)
        name = copy.metadata["Name"]
        if not name:
            continue
        try:
            loaded = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        place = Path(str(loaded.locate_file(""))).resolve()
        if place != folder.resolve():
            hidden[name] = (
                f"the plugins folder's {name} {copy.version} is hidden by {name} "
                f"{loaded.version} installed in {place}: remove one of them"
            )
    return hidden
