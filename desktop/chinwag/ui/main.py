"""Starts the desktop app: window first, slow work (litellm import) in the background."""

from __future__ import annotations

import sys
import threading

from chinwag.app import build
from chinwag.core.litellm_backend import import_litellm


def run() -> int:
    from PySide6.QtWidgets import QApplication

    from chinwag.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Chinwag")
    app.setDesktopFileName("chinwag")
    services = build()
    window = MainWindow(services)
    window.show()
    threading.Thread(target=import_litellm, daemon=True, name="warm-up").start()
    try:
        return app.exec()
    finally:
        services.close()
