"""Starts the desktop app: window first, slow work (litellm import) in the background."""

from __future__ import annotations

import sys
import threading

from typing import TYPE_CHECKING

from chinwag.app import Services, build
from chinwag.core.litellm_backend import import_litellm

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from chinwag.ui.main_window import MainWindow


def known_secrets(services: Services) -> list[str]:
    """Every key the app can see, so the crash report can blank them out."""
    found = []
    for provider in services.plugins.providers.values():
        if provider.key_name:
            key = services.keys.get(provider.key_name, provider.key_env_var)
            if key is not None:
                found.append(key.get_secret_value())
    return found


def warm_up(services: Services) -> None:
    """Off the UI thread: import litellm, then start the default local model's server."""
    import_litellm()
    try:
        handle = services.catalog.default_handle()
        services.catalog.config_for(handle, usage_id="warm-up")
    except Exception:  # warm-up is best effort; the first real call reports any problem
        pass


def launch(app: QApplication) -> tuple[MainWindow, Services]:
    """Everything up to a visible window; nothing here imports litellm or waits on it."""
    from PySide6.QtCore import QTimer

    from chinwag.ui import crash, theme
    from chinwag.ui.main_window import MainWindow

    app.setApplicationName("Chinwag")
    app.setDesktopFileName("chinwag")
    services = build()
    theme.apply(app, services.settings)
    crash.install(lambda: known_secrets(services))
    window = MainWindow(services)
    window.show()
    warm = threading.Thread(target=warm_up, args=(services,), daemon=True, name="warm-up")
    QTimer.singleShot(0, warm.start)  # once the event loop runs: the first paint goes first
    return window, services


def run() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    _window, services = launch(app)
    try:
        return app.exec()
    finally:
        services.close()
