"""Window geometry and splitter positions, kept under CHINWAG_HOME (not the home dir)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter, QWidget

from chinwag.core import paths


def ui_settings() -> QSettings:
    return QSettings(str(paths.home() / "window-state.ini"), QSettings.Format.IniFormat)


def restore(key: str, window: QWidget, splitter: QSplitter | None = None) -> None:
    state = ui_settings()
    geometry = state.value(f"{key}/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    if splitter is not None:
        sizes = state.value(f"{key}/splitter")
        if isinstance(sizes, QByteArray):
            splitter.restoreState(sizes)


def save(key: str, window: QWidget, splitter: QSplitter | None = None) -> None:
    state = ui_settings()
    state.setValue(f"{key}/geometry", window.saveGeometry())
    if splitter is not None:
        state.setValue(f"{key}/splitter", splitter.saveState())
    state.sync()
