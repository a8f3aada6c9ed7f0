"""Local servers on 127.0.0.1 that speak providers' real streaming wire formats.

Each records every request (method, path with query, headers, JSON body) so a test can
assert exactly what a provider plugin sent through litellm.
"""

from __future__ import annotations

import json
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[dict[str, Any]], Iterator[bytes]]


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: dict[str, Any]


def _sse(payload: dict[str, Any], event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(payload)}\n\n".encode()


def openai_chat_sse(words: list[str]) -> Reply:
    """OpenAI chat completions streaming: chunk objects, a usage chunk, then [DONE]."""

    def reply(body: dict[str, Any]) -> Iterator[bytes]:
        base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1}
        base["model"] = body.get("model", "m")
        first = {"index": 0, "delta": {"role": "assistant", "content": ""}}
        yield _sse(base | {"choices": [first | {"finish_reason": None}]})
        for word in words:
            choice = {"index": 0, "delta": {"content": word}, "finish_reason": None}
            yield _sse(base | {"choices": [choice]})
        yield _sse(base | {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        usage = {"prompt_tokens": 7, "completion_tokens": len(words), "total_tokens": 7}
        usage["total_tokens"] += len(words)
        yield _sse(base | {"choices": [], "usage": usage})
        yield b"data: [DONE]\n\n"

    return reply


def anthropic_messages_sse(words: list[str], thinking: str = "") -> Reply:
    """Anthropic Messages streaming: message_start, content blocks, message_delta, stop."""

    def reply(body: dict[str, Any]) -> Iterator[bytes]:
        message = {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "m"),
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 9, "output_tokens": 1},
        }
        yield _sse({"type": "message_start", "message": message}, "message_start")
        index = 0
        if thinking:
            start = {"type": "content_block_start", "index": 0}
            start["content_block"] = {"type": "thinking", "thinking": "", "signature": ""}
            yield _sse(start, "content_block_start")
            delta = {"type": "thinking_delta", "thinking": thinking}
            yield _sse(
                {"type": "content_block_delta", "index": 0, "delta": delta}, "content_block_delta"
            )
            signature = {"type": "signature_delta", "signature": "c2lnbmVk"}
            yield _sse(
                {"type": "content_block_delta", "index": 0, "delta": signature},
                "content_block_delta",
            )
            yield _sse({"type": "content_block_stop", "index": 0}, "content_block_stop")
            index = 1
        start = {"type": "content_block_start", "index": index}
        start["content_block"] = {"type": "text", "text": ""}
        yield _sse(start, "content_block_start")
        for word in words:
            delta = {"type": "text_delta", "text": word}
            yield _sse(
                {"type": "content_block_delta", "index": index, "delta": delta},
                "content_block_delta",
            )
        yield _sse({"type": "content_block_stop", "index": index}, "content_block_stop")
        end = {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}}
        end["usage"] = {"output_tokens": len(words)}
        yield _sse(end, "message_delta")
        yield _sse({"type": "message_stop"}, "message_stop")

    return reply


def gemini_sse(words: list[str], thought: str = "") -> Reply:
    """Gemini streamGenerateContent with alt=sse: GenerateContentResponse objects."""

    def reply(body: dict[str, Any]) -> Iterator[bytes]:
        parts = [{"text": thought, "thought": True}] if thought else []
        for i, word in enumerate(words):
            candidate: dict[str, Any] = {"index": 0}
            candidate["content"] = {"role": "model", "parts": [*parts, {"text": word}]}
            parts = []
            if i == len(words) - 1:
                candidate["finishReason"] = "STOP"
            usage = {"promptTokenCount": 4, "candidatesTokenCount": i + 1}
            usage["totalTokenCount"] = 5 + i
            yield _sse({"candidates": [candidate], "usageMetadata": usage})

    return reply


def ollama_chat_ndjson(words: list[str]) -> Reply:
    """Ollama's native /api/chat streaming: one JSON object per line, the last `done`."""

    def reply(body: dict[str, Any]) -> Iterator[bytes]:
        model = body.get("model", "m")
        for word in words:
            line = {"model": model, "created_at": "2026-01-01T00:00:00Z", "done": False}
            line["message"] = {"role": "assistant", "content": word}
            yield (json.dumps(line) + "\n").encode()
        last = {"model": model, "created_at": "2026-01-01T00:00:00Z", "done": True}
        last |= {"message": {"role": "assistant", "content": ""}, "done_reason": "stop"}
        last |= {"prompt_eval_count": 5, "eval_count": len(words)}
        yield (json.dumps(last) + "\n").encode()

    return reply


def _event_message(event_type: str, payload: dict[str, Any]) -> bytes:
    """One AWS event-stream message: prelude, CRCs, string headers, JSON payload."""
    headers = b""
    fields = {":event-type": event_type, ":content-type": "application/json"}
    for name, value in (fields | {":message-type": "event"}).items():
        encoded = value.encode()
        headers += bytes([len(name)]) + name.encode() + b"\x07"
        headers += struct.pack(">H", len(encoded)) + encoded
    body = json.dumps(payload).encode()
    prelude = struct.pack(">II", 16 + len(headers) + len(body), len(headers))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers + body
    return message + struct.pack(">I", zlib.crc32(message))


def bedrock_converse_stream(words: list[str]) -> Reply:
    """Bedrock ConverseStream: AWS event-stream frames, as the Converse API sends them."""

    def reply(body: dict[str, Any]) -> Iterator[bytes]:
        yield _event_message("messageStart", {"role": "assistant"})
        for word in words:
            delta = {"contentBlockIndex": 0, "delta": {"text": word}}
            yield _event_message("contentBlockDelta", delta)
        yield _event_message("contentBlockStop", {"contentBlockIndex": 0})
        yield _event_message("messageStop", {"stopReason": "end_turn"})
        usage = {"inputTokens": 5, "outputTokens": len(words), "totalTokens": 5 + len(words)}
        yield _event_message("metadata", {"usage": usage, "metrics": {"latencyMs": 3}})

    return reply


class QuietHTTPServer(ThreadingHTTPServer):
    """A client hanging up mid-reply (a cancel, a test's deliberate drop) is expected:
    socketserver would print its ConnectionResetError traceback into the test log."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class WireServer:
    """A threaded HTTP server on 127.0.0.1 with a fixed reply; `with` starts and stops it."""

    def __init__(
        self,
        reply: Reply,
        content_type: str = "text/event-stream",
        json_routes: dict[str, Any] | None = None,
        refuse_with: int | None = None,
    ) -> None:
        self.requests: list[Recorded] = []
        self.refuse_with = refuse_with  # answer every POST with this error status
        self.reply = reply
        self.content_type = content_type
        self.json_routes = json_routes or {}
        self._server = QuietHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> WireServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _record(self, body: dict[str, Any]) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append(Recorded(self.command, self.path, headers, body))

            def _refuse(self, status: int) -> None:
                """An error that quotes the credential back, as some providers' errors do."""
                sent = self.headers.get("Authorization") or self.headers.get("x-api-key") or ""
                message = f"Incorrect API key provided: {sent.removeprefix('Bearer ')}"
                data = json.dumps({"error": {"message": message, "type": "invalid_request"}})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data.encode())))
                self.end_headers()
                self.wfile.write(data.encode())

            def do_GET(self) -> None:
                self._record({})
                self._json()

            def _json(self) -> None:
                route = self.path.split("?")[0]
                payload = json.dumps(server.json_routes.get(route, {"error": "no route"}))
                status = 200 if route in server.json_routes else 404
                data = payload.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                self._record(body)
                if self.path.split("?")[0] in server.json_routes:
                    self._json()
                    return
                if server.refuse_with is not None:
                    self._refuse(server.refuse_with)
                    return
                self.send_response(200)
                self.send_header("Content-Type", server.content_type)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for piece in server.reply(body):
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

        return Handler
