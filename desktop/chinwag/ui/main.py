"""Starts the desktop app: window first, slow work (litellm import) in the background."""

from __future__ import annotations

import sys
import threading

from chinwag.app import Services, build
from chinwag.core.litellm_backend import import_litellm


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


def run() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from chinwag.ui import crash, theme
    from chinwag.ui.main_window import MainWindow

    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Chinwag")
    app.setDesktopFileName("chinwag")
    services = build()
    theme.apply(app, services.settings)
    crash.install(lambda: known_secrets(services))
    window = MainWindow(services)
    window.show()
    threading.Thread(target=warm_up, args=(services,), daemon=True, name="warm-up").start()
    try:
        return app.exec()
    finally:
        services.close()
