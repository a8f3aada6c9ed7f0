"""The Linux bundle (packaging/linux/build.sh), printed as one JSON object.

- size: MB on disk, whole and by its largest parts; the .deb's size.
- startup: launch to the main window visible (reported by the bundle's smoke hook,
  packaging/chinwag_frozen.py), three runs on a fresh home each, on QT_QPA_PLATFORM
  (offscreen in run_all.sh) or the display given (xvfb-run -a ... -m benchmarks.bundle).

Without a build it says so and measures nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "build" / "linux"
RUNS = 3


def megabytes(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.lstat().st_size for p in files) / 1e6, 1)


def startup_seconds(program: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.jsonl"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHINWAG_")}
        env |= {"CHINWAG_HOME": f"{tmp}/home", "CHINWAG_SMOKE_REPORT": str(report)}
        launched = time.time()
        subprocess.run([str(program)], env=env, check=True, capture_output=True, timeout=300)
        shown = json.loads(report.read_text().splitlines()[0])
        return float(shown["at"]) - launched


def main() -> None:
    bundle = OUT / "dist" / "chinwag"
    if not (bundle / "chinwag").exists():
        print(json.dumps({"bundle": None, "note": "build it first: packaging/linux/build.sh"}))
        return
    internal = bundle / "_internal"
    parts = {p.name: megabytes(p) for p in internal.iterdir()}
    largest = dict(sorted(parts.items(), key=lambda item: -item[1])[:8])
    debs = sorted(OUT.glob("chinwag_*.deb"))
    times = [startup_seconds(bundle / "chinwag") for _ in range(RUNS)]
    print(
        json.dumps(
            {
                "bundle_mb": megabytes(bundle),
                "largest_parts_mb": largest,
                "deb_mb": megabytes(debs[-1]) if debs else None,
                "window_shown_s": {
                    "median": round(statistics.median(times), 2),
                    "runs": [round(t, 2) for t in times],
                },
            }
        )
    )


if __name__ == "__main__":
    main()
