"""The real start (`ui.main.launch`) in its own process: the frame first, the history next,
and litellm only once the user starts a message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chinwag.core.store import Store
from chinwag.core.types import Conversation

START = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from chinwag.ui.app.main import after_first_paint, launch

app = QApplication(sys.argv)
window = launch(app)
seen = {}

def note(stage):
    seen[stage] = {"attached": window.attached(), "litellm": "litellm" in sys.modules}

def typed():
    window.warm_up_thread.join(600)
    note("after_typing")
    print(json.dumps(seen), flush=True)
    app.quit()

def idle():
    note("idle")
    seen["warm_up_started"] = window.warm_up_thread.is_alive()
    seen["listed"] = window.conversations.list.count()
    window.pane.composer.setPlainText("Hello")
    QTimer.singleShot(0, typed)

after_first_paint(window, lambda: note("first_paint"))
window.ready.connect(lambda: QTimer.singleShot(1500, idle))
app.exec()
"""


def test_frame_then_history_then_litellm_once_a_message_is_typed(home: Path) -> None:
    store = Store(home / "chinwag.db")
    store.create_conversation(Conversation(title="from before"))
    store.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", START], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["first_paint"] == {"attached": False, "litellm": False}
    assert seen["idle"] == {"attached": True, "litellm": False}
    assert seen["listed"] == 1 and seen["warm_up_started"] is False
    assert seen["after_typing"] == {"attached": True, "litellm": True}


def test_litellm_is_imported_past_pysides_import_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PySide6's `__import__` hook reads every later module's source into linecache (60 MB
    over litellm's modules); `standard_imports` imports with Python's own machinery."""
    import builtins
    import importlib
    import linecache

    import PySide6.QtCore  # noqa: F401  (installs the hook, as the app has by then)

    from chinwag.ui.app.main import standard_imports

    for name in ("read_by_the_hook", "imported_plainly"):
        (tmp_path / f"{name}.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    hooked = builtins.__import__
    assert hooked is not importlib.__import__
    __import__("read_by_the_hook")
    assert str(tmp_path / "read_by_the_hook.py") in linecache.cache  # what the hook costs
    with standard_imports():
        assert builtins.__import__ is importlib.__import__
        __import__("imported_plainly")
    assert builtins.__import__ is hooked
    assert str(tmp_path / "imported_plainly.py") not in linecache.cache
