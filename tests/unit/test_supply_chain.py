"""Guards against the known-bad releases named in the foundation issue."""

import importlib.metadata
import site
from pathlib import Path

BANNED = {"litellm": {"1.82.7", "1.82.8", "1.107.0"}, "pyside6-essentials": {"6.12.0"}}
EXPECTED_PTH = {"distutils-precedence.pth", "_virtualenv.pth"}


def test_no_banned_release_is_installed() -> None:
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"].lower()
        assert dist.version not in BANNED.get(name, set()), f"{name} {dist.version} is banned"


def test_site_packages_holds_no_unexpected_pth_file() -> None:
    """A .pth file runs code at every Python start (how litellm 1.82.7/8 was weaponised)."""
    found = set()
    for folder in site.getsitepackages():
        found |= {p.name for p in Path(folder).glob("*.pth")}
    unexpected = {
        name for name in found - EXPECTED_PTH if not name.startswith("__editable__.chinwag-")
    }
    assert not unexpected, f"unexpected .pth files in site-packages: {sorted(unexpected)}"
