"""Run every benchmark (or those named) in its own process; print one JSON object per line.

Every module in this folder whose name does not start with "_" is a benchmark, so a new
one is picked up by being added here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def names() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))


def main(argv: list[str]) -> int:
    chosen = argv or names()
    unknown = set(chosen) - set(names())
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {names()}", file=sys.stderr
        )
        return 2
    failed = 0
    for name in chosen:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", f"benchmarks.{name}"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            failed += 1
            tail = done.stderr.strip().splitlines()[-5:]
            print(json.dumps({"benchmark": name, "error": tail, "code": done.returncode}))
            continue
        result = json.loads(lines[-1])
        result.setdefault("benchmark", name)
        result["wall_seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(result), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
