"""No dead code in the app, its plugins, scripts and benchmarks: vulture (pyproject.toml).

Vulture finds what nothing refers to. It cannot see callers outside Python's name lookups
(Qt's virtual methods, pluggy's hooks, FastAPI's routes, pydantic's validators):
`[tool.vulture]` names those. Data fields (annotated class attributes: pydantic models,
dataclasses) are left out here: serialization reads them, which vulture cannot see either.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FINDING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<message>.+)$")


@cache
def field_lines(path: Path) -> frozenset[int]:
    """Lines of `name: type [= default]` in a class body."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return frozenset(
        statement.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for statement in node.body
        if isinstance(statement, ast.AnnAssign)
    )


def is_data_field(path: str, line: int, message: str) -> bool:
    return message.startswith("unused variable") and line in field_lines(REPO / path)


def test_vulture_finds_no_dead_code() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "vulture"], cwd=REPO, capture_output=True, text=True
    )
    assert run.returncode in (0, 3), run.stderr  # 3: it found something
    findings = [FINDING.match(line) for line in run.stdout.splitlines()]
    assert all(findings), run.stdout
    dead = [
        m.group(0)
        for m in findings
        if m and not is_data_field(m["path"], int(m["line"]), m["message"])
    ]
    assert dead == [], "\n".join(dead)
