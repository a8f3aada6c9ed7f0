"""Starts the desktop app: the window first, then the core, then the slow work.

1. The main window's frame, built from PySide6 alone, is shown (`launch`).
2. After its first paint the core is imported and the services built (`attach`): the
   history is listed and the window is ready.
3. After that paint: the keyring; once the user starts typing, off the UI thread,
   litellm's import and the local model (`warm_up`).
"""

from __future__ import annotations

import builtins
import contextlib
import gc
import importlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from chinwag.ui.app import crash, theme
from chinwag.ui.app.main_window import MainWindow

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from chinwag.app import Services


def known_secrets(services: Services) -> list[str]:
    """Every key the app can see (and the local API's token), so the crash report can
    blank them out."""
    found = []
    token = services.keys.get("server-token")  # chinwag.server.auth.TOKEN_NAME, unimported
    if token is not None:
        found.append(token.get_secret_value())
    for provider in services.plugins.providers.values():
        if provider.key_name:
            key = services.keys.get(provider.key_name, provider.key_env_var)
            if key is not None:
                found.append(key.get_secret_value())
    return found


def freeze_heap() -> None:
    """Move everything imported so far (litellm is ~200 MB of objects) out of the garbage
    collector's reach: otherwise each full collection walks it all, pausing every thread,
    the UI thread included, for a few hundred ms at a time while a reply streams."""
    gc.collect()
    gc.freeze()


@contextmanager
def standard_imports() -> Iterator[None]:
    """Import with Python's own machinery instead of PySide6's `__import__` hook.

    The hook reads the source of every module imported after PySide6 (looking for `from
    __feature__ import`, which Chinwag never uses): over litellm's ~3,000 modules that is
    60 MB of memory that stays (benchmarks/memory.py). The swap is process-wide for the
    duration; imports on other threads meanwhile only miss that feature too."""
    hooked = builtins.__import__
    builtins.__import__ = importlib.__import__
    try:
        yield
    finally:
        if builtins.__import__ is importlib.__import__:
            builtins.__import__ = hooked


def prepare_litellm() -> None:
    """litellm imported and its first-call set-up done, the way the app does it."""
    from chinwag.core.conversations import warm_up as warm_up_litellm

    with standard_imports():
        warm_up_litellm()
    freeze_heap()


def warm_up(services: Services) -> None:
    """Off the UI thread: litellm, then the server of the model a new conversation gets."""
    prepare_litellm()
    with contextlib.suppress(Exception):  # best effort: the first real call reports a problem
        services.calls.ready(services.conversations.model_for_new())


SWITCH_INTERVAL_S = 0.0005


def share_the_interpreter() -> None:
    """Let the UI thread get the GIL back quickly from a busy stream worker.

    Qt calls release the GIL; getting it back waits for the worker to yield, which it does
    every switch interval (5 ms by default). A frame makes dozens of Qt calls, so with a
    worker parsing 1,000 chunks a second the default turns a 3 ms paint into hundreds of ms.
    """
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def launch(app: QApplication) -> MainWindow:
    """Show the main window now; it fills itself after its first paint (`window.ready`)."""
    share_the_interpreter()
    app.setApplicationName("Chinwag")
    app.setDesktopFileName("chinwag")
    theme.apply_remembered(app)
    services: list[Services] = []
    crash.install(lambda: known_secrets(services[0]) if services else [])
    window = MainWindow()
    after_first_paint(window, lambda: services.append(attach(app, window)))
    window.show()
    return window


def attach(app: QApplication, window: MainWindow) -> Services:
    """Build the services into the shown window; nothing here imports litellm."""
    from chinwag.app import build

    services = build()
    theme.apply(app, services.settings)
    services.keys.keyring_deferred = True  # the model picker asks it after the next paint
    warm = threading.Thread(target=warm_up, args=(services,), daemon=True, name="warm-up")
    window.warm_up_thread = warm  # joined before exit: an import during shutdown deadlocks

    def on_first_keystroke() -> None:
        window.pane.composer.textChanged.disconnect(on_first_keystroke)
        warm.start()

    def after_painted() -> None:  # the history is on screen before the keyring
        services.keys.keyring_deferred = False
        window.pane.refresh_models()
        # litellm (~160 MB) and the local model (~450 MB with its cache) load once the user
        # starts a message, not at start: an open window that is only read stays small.
        window.pane.composer.textChanged.connect(on_first_keystroke)

    window.attach(services)
    after_first_paint(window.pane, after_painted)
    return services


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Run callback once the widget's next paint is done."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                widget.removeEventFilter(self)
                QTimer.singleShot(0, callback)
            return False

    widget.installEventFilter(FirstPaint(widget))


def run() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    window = launch(app)
    code = 1
    try:
        code = app.exec()
        return code
    finally:
        if window.attached():
            window.services.close()
        warm = window.warm_up_thread
        if warm is not None and warm.is_alive():
            # Quit soon after start: the history is closed, so waiting for litellm's import
            # (10-20 s) would only delay the exit, and an import during interpreter shutdown
            # deadlocks. End the process here instead.
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
