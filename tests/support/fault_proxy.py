"""A fault-injecting HTTP proxy on 127.0.0.1 in front of a real OpenAI-compatible server.

Each request takes the next fault from a plan (then behaves), so a test can say "the first
two calls get a 500, the third goes through". The proxy streams the upstream body to the
client in HTTP/1.1 chunks, so dropping the connection mid-stream is a real truncated body,
not a clean end. It records what it forwarded (SSE events, their text) and when each client
connection closed, so tests can measure a cancel from the outside.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Fault:
    """What to do to one request. kind: ok, status, reset, stall, drop, malformed, echo_auth."""

    kind: str = "ok"
    status: int = 500
    retry_after: float | None = None
    after_events: int = 0  # stall/drop/malformed: forward this many SSE events first
    seconds: float = 0.0  # stall: how long to hold the connection silent
    body: str = ""


OK = Fault()


@dataclass
class Exchange:
    """One request as the proxy saw it."""

    path: str
    fault: Fault
    authorization: str = ""
    request_body: bytes = b""
    status: int = 0
    events: list[bytes] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    event_times: list[float] = field(default_factory=list)
    started_at: float = field(default_factory=time.monotonic)
    client_closed_at: float | None = None  # monotonic time the client hung up
    finished_at: float | None = None

    @property
    def forwarded_text(self) -> str:
        return "".join(self.text)


class FaultProxy:
    """Listen on 127.0.0.1; forward to `upstream` (an http://127.0.0.1:PORT base URL)."""

    def __init__(self, upstream: str, upstream_key: str | None = None) -> None:
        parts = urlsplit(upstream)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            raise ValueError("the proxy only forwards to loopback")
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.upstream_key = upstream_key
        self.plan: list[Fault] = []
        self.exchanges: list[Exchange] = []
        self.on_request: Callable[[Exchange], None] | None = None
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._listening = False
        self._closed = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        """Begin accepting. Until then the port is bound but refuses connections."""
        if not self._listening:
            self._sock.listen(16)
            self._listening = True
            thread = threading.Thread(target=self._accept_loop, daemon=True, name="proxy")
            thread.start()
            self._threads.append(thread)
        return self

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self._sock.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept_loop(self) -> None:
        self._sock.settimeout(0.05)
        while not self._closed.is_set():
            try:
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()
            self._threads.append(thread)

    # -- one connection -------------------------------------------------------------------

    def _next_fault(self) -> Fault:
        with self._lock:
            return self.plan.pop(0) if self.plan else OK

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(30)
        reader = client.makefile("rb")
        try:
            while not self._closed.is_set():
                request = _read_request(reader)
                if request is None:
                    return
                method, path, headers, body = request
                exchange = Exchange(path=path, fault=self._next_fault(), request_body=body)
                exchange.authorization = headers.get("authorization", "")
                with self._lock:
                    self.exchanges.append(exchange)
                if self.on_request is not None:
                    self.on_request(exchange)
                keep_open = self._answer(client, method, path, headers, body, exchange)
                exchange.finished_at = time.monotonic()
                if not keep_open:
                    return
        except (OSError, ValueError, http.client.HTTPException):  # a side hung up mid-way
            return
        finally:
            try:
                reader.close()
                client.close()
            except OSError:
                pass

    def _answer(
        self,
        client: socket.socket,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes,
        exchange: Exchange,
    ) -> bool:
        fault = exchange.fault
        if fault.kind == "reset":
            client.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            return False
        if fault.kind == "status":
            extra = (
                {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
            )
            message = fault.body or f"injected fault {fault.status}"
            payload = json.dumps({"error": {"message": message, "type": "injected"}}).encode()
            exchange.status = fault.status
            _send_head(client, fault.status, {"Content-Type": "application/json", **extra},
                       length=len(payload))  # fmt: skip
            client.sendall(payload)
            return True
        if fault.kind == "echo_auth":  # a server that quotes the key back, as some do
            payload = json.dumps(
                {"error": {"message": f"Incorrect API key provided: {exchange.authorization}"}}
            ).encode()
            exchange.status = 401
            _send_head(client, 401, {"Content-Type": "application/json"}, length=len(payload))
            client.sendall(payload)
            return True
        return self._forward(client, method, path, headers, body, exchange)

    def _forward(
        self,
        client: socket.socket,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes,
        exchange: Exchange,
    ) -> bool:
        upstream = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=120)
        forward_headers = {
            k: v for k, v in headers.items() if k not in ("host", "connection", "accept-encoding")
        }
        if self.upstream_key is not None:
            forward_headers["authorization"] = f"Bearer {self.upstream_key}"
        upstream.request(method, path, body=body, headers=forward_headers)
        response = upstream.getresponse()
        exchange.status = response.status
        content_type = response.getheader("Content-Type", "application/json")
        _send_head(client, response.status, {"Content-Type": content_type}, chunked=True)
        watcher = threading.Thread(target=self._watch_close, args=(client, exchange), daemon=True)
        watcher.start()
        try:
            if "event-stream" not in content_type:
                _send_chunk(client, response.read())
                _send_chunk(client, b"")
                return True
            return self._forward_events(client, response, exchange)
        except OSError:  # the client went away
            return False
        finally:
            upstream.close()

    def _forward_events(
        self, client: socket.socket, response: http.client.HTTPResponse, exchange: Exchange
    ) -> bool:
        fault = exchange.fault
        for event in _sse_events(response):
            if exchange.client_closed_at is not None:
                return False
            if len(exchange.events) == fault.after_events:
                if fault.kind == "drop":
                    client.shutdown(socket.SHUT_RDWR)
                    return False
                if fault.kind == "stall":
                    self._closed.wait(fault.seconds)
                    return False
                if fault.kind == "malformed":
                    _send_chunk(client, b'data: {"choices": [{"delta": {"content": "tru\n\n')
                    _send_chunk(client, b"data: not json at all\n\n")
                    _send_chunk(client, b"")
                    return False
            _send_chunk(client, event)
            exchange.events.append(event)
            exchange.event_times.append(time.monotonic())
            exchange.text.append(_event_text(event))
        _send_chunk(client, b"")
        return True

    @staticmethod
    def _watch_close(client: socket.socket, exchange: Exchange) -> None:
        """Note the moment the client closes its side (a cancel), without reading data."""
        try:
            while exchange.finished_at is None:
                try:
                    data = client.recv(1, socket.MSG_PEEK)
                except TimeoutError:
                    continue
                if not data:
                    exchange.client_closed_at = time.monotonic()
                    return
                time.sleep(0.005)  # a pipelined request is waiting; not our business
        except OSError:
            exchange.client_closed_at = exchange.client_closed_at or time.monotonic()


def _read_request(reader: Any) -> tuple[str, str, dict[str, str], bytes] | None:
    line = reader.readline(65536)
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        header = reader.readline(65536)
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = reader.read(length) if length else b""
    return method, path, headers, body


def _send_head(
    client: socket.socket,
    status: int,
    headers: dict[str, str],
    length: int | None = None,
    chunked: bool = False,
) -> None:
    reason = http.client.responses.get(status, "Status")
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    else:
        lines.append(f"Content-Length: {length or 0}")
    client.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


def _send_chunk(client: socket.socket, data: bytes) -> None:
    client.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")


def _sse_events(response: http.client.HTTPResponse) -> Any:
    """Yield whole SSE events (bytes up to and including the blank line)."""
    event = b""
    while True:
        line = response.readline()
        if not line:
            if event.strip():
                yield event
            return
        event += line
        if line in (b"\n", b"\r\n"):
            yield event
            event = b""


def _event_text(event: bytes) -> str:
    text = []
    for line in event.decode("utf-8", "replace").splitlines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            continue
        try:
            chunk = json.loads(data)
        except ValueError:
            continue
        for choice in chunk.get("choices") or []:
            text.append((choice.get("delta") or {}).get("content") or "")
    return "".join(text)
