"""`chinwag.api` is what plugin authors code against: typed when installed, old paths kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "tests" / "fixtures" / "chinwag-sample-plugin" / "chinwag_sample.py"

# The author's own mypy settings: strict, and their untyped dependencies (llama.cpp's).
MYPY_INI = """\
[mypy]
strict = True

[mypy-xllamacpp]
ignore_missing_imports = True
"""

# A plugin that misreads a type: mypy must catch it, which it can only do if it reads
# Chinwag's annotations rather than treating the package as untyped (Any).
MISUSE = """\
from chinwag.api import ModelInfo

window: str = ModelInfo(name="m", context_window=8).context_window
"""


def install_chinwag(target: Path, work: Path) -> None:
    """Build and install Chinwag as a user's pip would, from a copy (builds leave files)."""
    source = work / "source"
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for folder in ("desktop", "plugins"):
        shutil.copytree(REPO / folder, source / folder, ignore=skip)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    options = ["--no-deps", "--no-build-isolation", "--no-index", "--target", str(target)]
    subprocess.run([*pip, *options, str(source)], check=True, capture_output=True)


def test_plugins_type_check_with_mypy_strict_against_the_installed_chinwag(
    tmp_path: Path,
) -> None:
    """The sample plugin and the first-party ones, as a plugin author's mypy sees them:
    strict, no pydantic mypy plugin, Chinwag installed by pip rather than the source."""
    installed = tmp_path / "site"
    install_chinwag(installed, tmp_path)
    assert (installed / "chinwag" / "py.typed").is_file()
    author = tmp_path / "author"
    shutil.copytree(REPO / "plugins", author, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(SAMPLE, author / SAMPLE.name)
    (author / "misuse.py").write_text(MISUSE)
    (author / "mypy.ini").write_text(MYPY_INI)
    packages = sorted(p.name for p in author.iterdir() if p.is_dir())
    assert packages == [
        "chinwag_local",
        "chinwag_providers",
        "chinwag_routers",
        "chinwag_summarizers",
    ]

    # mypy finds packages on PYTHONPATH as it finds installed ones: typed only with py.typed.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYPY")}
    env["PYTHONPATH"] = str(installed)
    mypy = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")]
    checked = [SAMPLE.name, "misuse.py", *packages]
    result = subprocess.run([*mypy, *checked], cwd=author, env=env, capture_output=True, text=True)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, result.stdout + result.stderr
    assert errors[0].startswith("misuse.py:3: error: Incompatible types in assignment")
    assert '"int | None"' in errors[0]


def test_an_old_core_path_still_imports_and_warns_with_the_new_one() -> None:
    code = (
        "import warnings\n"
        "warnings.simplefilter('always')\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    import chinwag.core.provider as old\n"
        "import chinwag.core.llm.provider as new\n"
        "print(old is new, old.Provider is new.Provider)\n"
        "for w in caught:\n"
        "    print(w.category.__name__, w.message)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    same, *warnings = out.stdout.splitlines()
    assert same == "True True"
    assert warnings == [
        "DeprecationWarning chinwag.core.provider is deprecated: import "
        "chinwag.core.llm.provider (plugins: chinwag.api)"
    ]
