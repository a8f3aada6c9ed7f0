"""Run the API on loopback with uvicorn: in the foreground (`chinwag serve`) or a thread."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

import uvicorn
from fastapi import FastAPI

LOOPBACK = "127.0.0.1"


class NotLoopback(ValueError):
    pass


def check_host(host: str) -> str:
    """Only a loopback address is accepted: the API must never be reachable from outside."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise NotLoopback(f"{host!r} is not an IP address; the server binds {LOOPBACK}") from None
    if not address.is_loopback:
        raise NotLoopback(f"{host} is not a loopback address; the server binds {LOOPBACK} only")
    return host


def bind(port: int, host: str = LOOPBACK) -> socket.socket:
    """Bind before starting so the real port (port 0 picks a free one) is known up front."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((check_host(host), port))
    sock.listen(128)  # connections wait in the backlog until uvicorn accepts them
    return sock


def server(app: FastAPI, sock: socket.socket) -> uvicorn.Server:
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,  # URLs and headers stay out of logs
        server_header=False,
        lifespan="off",
    )
    return uvicorn.Server(config)


class ServerThread:
    """The API on a background thread (the desktop app's toggle, and the tests)."""

    def __init__(self, app: FastAPI, port: int = 0) -> None:
        self.sock = bind(port)
        self.port: int = self.sock.getsockname()[1]
        self.server = server(app, self.sock)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self, timeout: float = 10) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
