"""Smoke-test a built bundle on any OS (CI, .github/workflows/release.yml): open the app,
check its main window is shown, chat once with the bundled model through the window,
quit, then read the reply back with the bundle's CLI. Standard library only.

    python packaging/smoke.py APP [CLI]     (CLI defaults to APP)

On Linux the test suite does the same and more (tests/installer/); this is the
cross-platform subset for the Windows and macOS runners.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

MESSAGE = "Say hello in one line."
MODEL = "local/SmolLM2-135M-Instruct.Q4_1"


def fail(why: str) -> None:
    raise SystemExit(f"smoke: FAILED: {why}")


def main(app: str, cli: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "smoke.jsonl"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHINWAG_")}
        env |= {"CHINWAG_HOME": str(Path(tmp) / "home"), "CHINWAG_SMOKE_REPORT": str(report),
                "CHINWAG_SMOKE_MESSAGE": MESSAGE}  # fmt: skip
        done = subprocess.run([app], capture_output=True, text=True, timeout=900, env=env)
        if done.returncode != 0:
            fail(f"the app exited with {done.returncode}:\n{done.stderr[-3000:]}")
        if not report.exists():
            fail("the app never reported its window")
        events = {e["event"]: e for e in map(json.loads, report.read_text().splitlines())}
        shown = events.get("window_shown", {})
        if not shown.get("visible") or shown.get("title") != "Chinwag":
            fail(f"no visible main window: {events}")
        if "reply_finished" not in events:
            fail(f"no reply: {events}")
        conversation = events["reply_finished"]["conversation"]
        del env["CHINWAG_SMOKE_REPORT"], env["CHINWAG_SMOKE_MESSAGE"]
        shown_cli = subprocess.run(
            [cli, "conversations", "show", conversation, "--json"],
            capture_output=True, text=True, timeout=300, env=env, check=True,
        )  # fmt: skip
        reply = json.loads(shown_cli.stdout)["messages"][-1]
        if reply["role"] != "assistant" or reply["model"] != MODEL or not reply["text"].strip():
            fail(f"unexpected reply: {reply}")
        print(f"smoke: ok: window after {shown['seconds']} s, reply after "
              f"{events['reply_finished']['seconds']} s: {reply['text'][:80]!r}")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[-1])
