"""Plugins written into the real plugins folder as installed distributions (a module and
its .dist-info with a `chinwag` entry point), as `pip install --target` leaves them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from chinwag.plugins import plugins_dir


def install(name: str, body: str, version: str = "0.1", folder: Path | None = None) -> Path:
    """Install plugin `name` (entry point and module chinwag_test_NAME); returns its file."""
    root = folder or plugins_dir()
    root.mkdir(parents=True, exist_ok=True)
    module = root / f"chinwag_test_{name}.py"
    module.write_text(textwrap.dedent(body), encoding="utf-8")
    info = root / f"chinwag_test_{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: chinwag-test-{name}\nVersion: {version}\n"
    )
    (info / "entry_points.txt").write_text(f"[chinwag]\n{name} = chinwag_test_{name}\n")
    return module


def line_of(module: Path, text: str) -> int:
    """The 1-based line of `module` holding `text`."""
    lines = module.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


PROVIDER = """
from chinwag.api import ModelInfo, Provider, hookimpl

def provider(provider_id, **fields):
    fields.setdefault("list_models", lambda: [ModelInfo(name="m1")])
    return Provider(
        id=provider_id, display_name=provider_id.title(), litellm_prefix="openai",
        needs_key=False, **fields,
    )
"""
