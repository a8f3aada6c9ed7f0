"""Uncaught exceptions open the crash dialog; its report never holds a key."""

from __future__ import annotations

import sys

from pytestqt.qtbot import QtBot

from chinwag.core.system import paths
from chinwag.core.system.crash_report import redact
from chinwag.ui.app import crash

KEY = "sk-live-abcdefghijklmnop1234567890"


def test_report_blanks_known_and_key_shaped_secrets() -> None:
    text = redact(
        f"failed with {KEY} and Authorization: Bearer abc.def.ghi12345 and api_key=hunter2222",
        secrets=["hunter2222"],
    )
    assert KEY not in text and "abc.def.ghi12345" not in text and "hunter2222" not in text
    assert "[redacted]" in text


def test_uncaught_exception_opens_dialog_without_the_key(qtbot: QtBot) -> None:
    original = sys.excepthook
    crash.install(lambda: ["my-private-key-value"])
    try:
        try:
            raise ValueError(f"provider said: bad key {KEY} / my-private-key-value")
        except ValueError as error:
            sys.excepthook(type(error), error, error.__traceback__)
        dialogs = [w for w in qtbot_widgets() if isinstance(w, crash.CrashDialog)]
        assert len(dialogs) == 1
        report = dialogs[0].details.toPlainText()
        assert "ValueError" in report and "provider said" in report
        assert KEY not in report and "my-private-key-value" not in report
        saved = (paths.logs_dir() / "last-crash.txt").read_text()
        assert KEY not in saved
        dialogs[0].close()
    finally:
        sys.excepthook = original


def qtbot_widgets() -> list[object]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_an_exception_in_another_thread_reaches_the_dialog(qtbot: QtBot) -> None:
    import threading

    original, original_thread = sys.excepthook, threading.excepthook
    crash.install(lambda: [])
    try:

        def fail() -> None:
            raise RuntimeError(f"worker died with {KEY}")

        worker = threading.Thread(target=fail)
        worker.start()
        worker.join()
        qtbot.waitUntil(
            lambda: any(isinstance(w, crash.CrashDialog) for w in qtbot_widgets()), timeout=3000
        )
        dialog = next(w for w in qtbot_widgets() if isinstance(w, crash.CrashDialog))
        assert "worker died" in dialog.details.toPlainText()
        assert KEY not in dialog.details.toPlainText()
        dialog.close()
    finally:
        sys.excepthook, threading.excepthook = original, original_thread
