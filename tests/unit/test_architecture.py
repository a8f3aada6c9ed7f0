"""The architecture's rules, as import-linter contracts (pyproject.toml `[tool.importlinter]`).

One test per contract, so a broken rule names itself; the output lists each import that
breaks it, with its line.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONTRACTS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"][
    "contracts"
]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


@pytest.mark.parametrize("contract", [c["id"] for c in CONTRACTS])
def test_import_contract_is_kept(contract: str) -> None:
    run = subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--no-logo", "--contract", contract],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert "Contracts: 1 kept, 0 broken." in run.stdout, run.stdout + run.stderr
    assert run.returncode == 0
