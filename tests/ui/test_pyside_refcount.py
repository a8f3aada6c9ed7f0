"""PySide6 6.12.0 corrupts None's reference count on every None-returning call, and
CPython dies once it reaches zero. The pinned version must survive a long session's worth."""

from __future__ import annotations

import subprocess
import sys

import PySide6

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for i in range(200_000):
    label.setText("x")
after = sys.getrefcount(None)
print(before, after)
"""


def test_200k_none_returning_calls_survive() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    before, after = (int(n) for n in done.stdout.split())
    # None is immortal on 3.12+; on 3.11 its count must not have drifted by the call count
    assert abs(after - before) < 1000, (before, after)


def test_pyside_is_not_the_broken_release() -> None:
    assert PySide6.__version__ != "6.12.0"
