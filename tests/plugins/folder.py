"""A plugin written into the plugins folder, as a user installs one without pip."""

from __future__ import annotations

import sys

import pytest

from chinwag.plugins import plugins_dir


def install(monkeypatch: pytest.MonkeyPatch, module: str, source: str) -> None:
    """`module`.py and its dist-info (entry point `module` in the chinwag group); the
    folder leaves sys.path and the module leaves sys.modules with the test."""
    folder = plugins_dir()
    info = folder / f"{module}-1.0.dist-info"
    info.mkdir(parents=True)
    name = module.replace("_", "-")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[chinwag]\n{module} = {module}\n")
    (folder / f"{module}.py").write_text(source)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, module, raising=False)
