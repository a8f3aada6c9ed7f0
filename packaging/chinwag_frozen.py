"""Entry point of the frozen app (PyInstaller, every OS): `chinwag` as from pip, plus what
only a bundle needs.

- A windowed program (chinwag.exe on Windows) gets stand-in standard streams.
- The built-in model ships inside the bundle (`models/`), so it joins CHINWAG_MODELS_PATH:
  the local provider finds it like any other models folder, no download on first run.
- CHINWAG_SMOKE_REPORT=FILE makes the desktop app report, as JSON lines in FILE, that its
  main window is on screen and ready; CHINWAG_SMOKE_MESSAGE=TEXT then sends TEXT through the
  window's own composer and, once the reply has finished, quits like File > Quit. The
  installer smoke tests (tests/installer/, .github/workflows/release.yml) use this to check
  a built bundle end to end; without these variables nothing here touches the app.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()


def bundle_dir() -> Path:
    return Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent))


def add_bundled_models() -> None:
    models = bundle_dir() / "models"
    if models.is_dir():
        folders = [p for p in os.environ.get("CHINWAG_MODELS_PATH", "").split(os.pathsep) if p]
        os.environ["CHINWAG_MODELS_PATH"] = os.pathsep.join([*folders, str(models)])


def give_windowed_program_streams() -> None:
    """A windowed program (Windows' chinwag.exe) starts with sys.stdout and sys.stderr set
    to None: print() tolerates that, .write() does not (the crash handler writes its report
    to stderr as well as to the log folder and the dialog)."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def report(event: str, **fields: Any) -> None:
    path = os.environ["CHINWAG_SMOKE_REPORT"]
    elapsed = round(time.perf_counter() - STARTED, 3)
    with open(path, "a", encoding="utf-8") as out:
        line = {"event": event, "seconds": elapsed, "at": time.time(), **fields}
        out.write(json.dumps(line) + "\n")


def drive_smoke_test() -> None:
    """Wrap the app's launch: report the window once shown, then chat once and quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from chinwag.ui.app import main as ui_main

    launch = ui_main.launch

    def launch_and_report(app: QApplication) -> Any:
        window = launch(app)
        window.ready.connect(lambda: shown(window))
        return window

    def shown(window: Any) -> None:
        report("window_shown", visible=window.isVisible(), title=window.windowTitle())
        message = os.environ.get("CHINWAG_SMOKE_MESSAGE")
        if not message:
            QTimer.singleShot(0, QApplication.closeAllWindows)
            return
        pane = window.pane

        def finished(streaming: bool) -> None:
            if not streaming:
                report("reply_finished", conversation=pane.conversation.id)
                QTimer.singleShot(0, QApplication.closeAllWindows)

        pane.streaming_changed.connect(finished)
        pane.composer.setPlainText(message)
        pane.send()
        report("message_sent", streaming=pane.streaming)

    ui_main.launch = launch_and_report


def main() -> int:
    give_windowed_program_streams()
    add_bundled_models()
    if os.environ.get("CHINWAG_SMOKE_REPORT") and len(sys.argv) == 1:
        drive_smoke_test()
    from chinwag.cli import main as chinwag_main

    return chinwag_main()


if __name__ == "__main__":
    raise SystemExit(main())
