"""Menu actions with their shortcuts shown in the tooltip (PySide6 only: the main window's
frame builds its menus before the rest of the app is imported)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def shortcut_hint(text: str, keys: QKeySequence | QKeySequence.StandardKey) -> str:
    sequence = keys if isinstance(keys, QKeySequence) else QKeySequence(keys)
    return f"{text} ({sequence.toString(QKeySequence.SequenceFormat.NativeText)})"


def action(parent: QWidget, text: str, keys: QKeySequence, slot: Callable[[], object]) -> QAction:
    made = QAction(text, parent)
    made.setShortcut(keys)
    made.setToolTip(shortcut_hint(text, keys))
    made.triggered.connect(slot)
    return made
