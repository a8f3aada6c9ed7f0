"""The local API inside the app: uvicorn on 127.0.0.1 in a background thread.

Starting imports FastAPI and binds a socket, stopping waits for uvicorn to finish its
requests; both happen off the UI thread, which only hears `changed` when they are done.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from pydantic import SecretStr
from PySide6.QtCore import QObject, Signal

from chinwag.app import Services

if TYPE_CHECKING:
    from chinwag.server.auth import TokenCheck
    from chinwag.server.run import ServerThread

STOPPED, STARTING, RUNNING = "stopped", "starting", "running"
STOPPING, FAILED = "stopping", "failed"


class _Relay(QObject):
    started = Signal(object, object, str)  # ServerThread | None, TokenCheck | None, error
    stopped = Signal()


class LocalApi(QObject):
    changed = Signal()  # read state, url and error

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.state = STOPPED
        self.error = ""
        self._wanted = False  # the latest wish: a stop asked for while starting still counts
        self._server: ServerThread | None = None
        self._check: TokenCheck | None = None
        self._relay = _Relay(self)
        self._relay.started.connect(self._on_started)
        self._relay.stopped.connect(self._on_stopped)

    @property
    def running(self) -> bool:
        return self.state == RUNNING

    @property
    def url(self) -> str:
        return self._server.url if self._server is not None else ""

    def token(self) -> SecretStr:
        from chinwag.server.auth import server_token

        return server_token(self.services.keys)

    def regenerate(self) -> SecretStr:
        """A new token in the keyring; a running server refuses the old one from now on."""
        from chinwag.server.auth import regenerate_token

        token = regenerate_token(self.services.keys)
        if self._check is not None:
            self._check.replace(token)
        return token

    def start(self) -> None:
        self._wanted = True
        if self.state in (STARTING, RUNNING, STOPPING):
            return
        self.state, self.error = STARTING, ""
        self.changed.emit()
        port, relay = self.services.settings.local_api_port, self._relay

        def work() -> None:
            try:
                server, check = self._serve(port)
            except Exception as error:  # the page shows why (port taken, no keyring, ...)
                relay.started.emit(None, None, _explain(error, port))
            else:
                relay.started.emit(server, check, "")

        threading.Thread(target=work, daemon=True, name="local-api-start").start()

    def _serve(self, port: int) -> tuple[ServerThread, TokenCheck]:
        from chinwag.server.app import create_app
        from chinwag.server.run import ServerThread

        app = create_app(self.services, self.token())
        server = ServerThread(app, port)
        try:
            server.start()
        except BaseException:
            server.stop()
            raise
        return server, app.state.token_check

    def stop(self, wait: bool = False) -> None:
        """Stop serving; `wait` blocks until uvicorn has finished (at app exit)."""
        self._wanted = False
        server = self._server
        if server is None or self.state != RUNNING:
            return
        self.state = STOPPING
        self.changed.emit()
        if wait:
            server.stop()
            self._on_stopped()
            return
        relay = self._relay

        def work() -> None:
            server.stop()
            relay.stopped.emit()

        threading.Thread(target=work, daemon=True, name="local-api-stop").start()

    def _on_started(
        self, server: ServerThread | None, check: TokenCheck | None, error: str
    ) -> None:
        self._server, self._check = server, check
        self.state, self.error = (RUNNING, "") if server is not None else (FAILED, error)
        self.changed.emit()
        if server is not None and not self._wanted:
            self.stop()

    def _on_stopped(self) -> None:
        if self.state != STOPPING:
            return
        self._server = self._check = None
        self.state = STOPPED
        self.changed.emit()
        if self._wanted:  # switched on again while stopping
            self.start()


def _explain(error: Exception, port: int) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"cannot listen on 127.0.0.1:{port}: {error.strerror}"
    return str(error) or type(error).__name__
