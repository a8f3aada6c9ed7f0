"""Live updates: a timer polls the store watch and says when anyone wrote to the store.

The poll is one `PRAGMA data_version` on a connection of its own (see core.store_watch),
so it never waits for a writer; windows then reload only the conversation rows and messages
that changed.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QObject, QTimer, Signal

from chinwag.core.conversations import StoreWatch

POLL_MS = 400


class LiveUpdates(QObject):
    changed = Signal()

    def __init__(self, watch: StoreWatch, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.watch = watch
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        try:
            moved = self.watch.changed()
        except sqlite3.Error:  # busy or briefly unreadable: the next tick sees it
            return
        if moved:
            self.changed.emit()

    def stop(self) -> None:
        self.timer.stop()
        self.watch.close()
