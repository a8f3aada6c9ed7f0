"""Shared fixtures: every test gets its own CHINWAG_HOME; the real local model is shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.store import Store

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "home"
    monkeypatch.setenv("CHINWAG_HOME", str(path))
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    return path


@pytest.fixture
def store(home: Path) -> Iterator[Store]:
    s = Store(home / "chinwag.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The built-in model, installed by scripts/setup.sh; its absence is a setup error."""
    folders = [Path(p) for p in os.environ.get("CHINWAG_MODELS_PATH", "").split(os.pathsep) if p]
    folders.append(REPO / ".cache" / "models")
    for folder in folders:
        if any(folder.glob("*.gguf")):
            return folder
    raise RuntimeError("the local model is missing: run scripts/setup.sh dev first")


@pytest.fixture
def with_model(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHINWAG_MODELS_PATH", str(model_dir))
    return model_dir


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli(home: Path) -> Any:
    """Run `chinwag ARGS...` as a real process with this test's environment."""

    def run(*args: str, input: str | None = None, timeout: float = 180) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "chinwag", *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=os.environ.copy(),
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run
