"""A local stand-in for huggingface.co on 127.0.0.1, speaking the Hub's real API and protocol.

What it answers, as the Hub does (shapes checked against huggingface_hub's parsers):
- `GET /api/models?search=Q&filter=gguf`: a JSON list of repos (`id`, `downloads`, ...).
- `GET /api/models/{repo}`: the repo's info with `siblings` (and sizes, LFS sha256 with
  `?blobs=true`); `GET /api/models/{repo}/tree/main`: its files with `size` and
  `lfs.oid` (the sha256), paged with a `Link: <...>; rel="next"` header.
- `HEAD|GET /{repo}/resolve/main/{file}`: a 302 to the file on the "CDN" (`/cdn/...` on
  this server's second port: another site) carrying `X-Repo-Commit`, `X-Linked-Etag`
  (the sha256, quoted) and `X-Linked-Size`; a gated repo answers 401 (no token) or 403
  (a token without access) with `X-Error-Code: GatedRepo`, an unknown one 401 with
  `X-Error-Code: RepoNotFound`.
- `GET /cdn/{repo}/{file}?signature`: the bytes, honouring `Range` (206, `Content-Range`).

It can throttle the CDN (to kill a download half way) and flip a byte on the way out
(corruption in transit). It records every request it saw.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

COMMIT = "9d0c1e4a6f7b2c3d4e5f60718293a4b5c6d7e8f9"
BUILT_IN = Path("/work/main/.cache/models/SmolLM2-135M-Instruct.Q4_1.gguf")
BUILT_IN_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


@dataclass
class ServedFile:
    path: str  # inside the repo
    source: Path
    sha256: str  # what the Hub claims (the tree's lfs.oid and X-Linked-Etag)
    corrupt_at: int | None = None  # flip the byte at this offset on the way out

    @property
    def size(self) -> int:
        return self.source.stat().st_size


@dataclass
class ServedRepo:
    id: str
    files: list[ServedFile]
    gated: bool = False
    downloads: int = 1000
    likes: int = 10


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    range: str | None
    authorized: bool


@dataclass
class HubServer:
    repos: list[ServedRepo]
    granted_tokens: set[str] = field(default_factory=set)  # may read gated repos
    known_tokens: set[str] = field(default_factory=set)  # valid, without that access
    rate: float | None = None  # CDN bytes per second, None: as fast as it goes
    tree_page: int = 1000
    cdn_refuses: bool = False  # the CDN answers 403, as to an expired signed link
    seen: list[Seen] = field(default_factory=list)
    url: str = ""
    cdn_url: str = ""

    def __post_init__(self) -> None:
        server = self

        class Handler(_Handler):
            hub = server

        # The Hub and its CDN on two ports: two sites, as huggingface.co and its CDN are.
        self._servers = [ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(2)]
        hub_port, cdn_port = (s.server_address[1] for s in self._servers)
        self.url = f"http://127.0.0.1:{hub_port}"
        self.cdn_url = f"http://127.0.0.1:{cdn_port}"

    def __enter__(self) -> HubServer:
        for httpd in self._servers:
            httpd.daemon_threads = True
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        for httpd in self._servers:
            httpd.shutdown()
            httpd.server_close()

    def repo(self, repo_id: str) -> ServedRepo | None:
        return next((r for r in self.repos if r.id == repo_id), None)

    def served(self, repo_id: str, path: str) -> ServedFile | None:
        repo = self.repo(repo_id)
        return next((f for f in repo.files if f.path == path), None) if repo else None

    def ranges(self) -> list[str]:
        return [s.range for s in self.seen if s.path.startswith("/cdn/") and s.range]


def served_built_in(path: str = "smollm2-135m-instruct-q4_1.gguf") -> ServedFile:
    return ServedFile(path, BUILT_IN, BUILT_IN_SHA256)


class _Handler(BaseHTTPRequestHandler):
    hub: HubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self._route(body=False)

    def do_GET(self) -> None:
        self._route(body=True)

    def _route(self, body: bool) -> None:
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        self.hub.seen.append(Seen(self.command, path, self.headers.get("Range"), bool(token)))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            if path == "/api/models":
                return self._search(query)
            if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)/tree/main", path):
                return self._tree(m[1], query)
            if m := re.fullmatch(r"/api/models/([^/]+/[^/]+)", path):
                return self._info(m[1], query)
            if m := re.fullmatch(r"/([^/]+/[^/]+)/resolve/main/(.+)", path):
                return self._resolve(m[1], m[2], token)
            if m := re.fullmatch(r"/cdn/([^/]+/[^/]+)/(.+)", path):
                return self._cdn(m[1], m[2], body)
            self._send(404, {"error": "Not Found"})

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _not_found(self) -> None:
        headers = {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"}
        self._send(401, {"error": "Repository not found"}, headers)

    def _search(self, query: dict[str, list[str]]) -> None:
        words = query.get("search", [""])[0].lower()
        limit = int(query.get("limit", ["1000"])[0])
        found = [r for r in self.hub.repos if words in r.id.lower()]
        if "gguf" in query.get("filter", []):
            found = [r for r in found if any(f.path.endswith(".gguf") for f in r.files)]
        found.sort(key=lambda r: -r.downloads)
        self._send(200, [_summary(r) for r in found[:limit]])

    def _info(self, repo_id: str, query: dict[str, list[str]]) -> None:
        repo = self.hub.repo(repo_id)
        if repo is None:
            return self._not_found()
        siblings: list[dict[str, Any]] = [{"rfilename": f.path} for f in repo.files]
        if query.get("blobs") == ["true"]:
            for sibling, f in zip(siblings, repo.files, strict=True):
                lfs = {"sha256": f.sha256, "size": f.size, "pointerSize": 134}
                sibling |= {"size": f.size, "blobId": _blob_id(f), "lfs": lfs}
        info = _summary(repo) | {"sha": COMMIT, "disabled": False, "siblings": siblings}
        self._send(200, info | {"gated": "manual" if repo.gated else False})

    def _tree(self, repo_id: str, query: dict[str, list[str]]) -> None:
        repo = self.hub.repo(repo_id)
        if repo is None:
            return self._not_found()
        entries = [
            {"type": "file", "oid": "3" * 40, "size": 1519, "path": ".gitattributes"},
            {"type": "file", "oid": "4" * 40, "size": 210, "path": "README.md"},
        ]
        entries += [
            {
                "type": "file",
                "oid": _blob_id(f),
                "size": f.size,
                "path": f.path,
                "lfs": {"oid": f.sha256, "size": f.size, "pointerSize": 134},
            }
            for f in repo.files
        ]
        start = int(query.get("cursor", ["0"])[0])
        page = entries[start : start + self.hub.tree_page]
        headers = {}
        if start + self.hub.tree_page < len(entries):
            nxt = f"{self.hub.url}/api/models/{repo_id}/tree/main?cursor={start + len(page)}"
            headers["Link"] = f'<{nxt}>; rel="next"'
        self._send(200, page, headers)

    def _resolve(self, repo_id: str, file_path: str, token: str) -> None:
        repo = self.hub.repo(repo_id)
        if repo is None:
            return self._not_found()
        if repo.gated and token not in self.hub.granted_tokens:
            if token in self.hub.known_tokens:
                message = (
                    f"Access to model {repo_id} is restricted and you are not in the "
                    f"authorized list. Visit https://huggingface.co/{repo_id} to ask for access."
                )
                status = 403
            else:
                message = (
                    f"Access to model {repo_id} is restricted. You must have access to it "
                    "and be authenticated to access it. Please log in."
                )
                status = 401
            headers = {"X-Error-Code": "GatedRepo", "X-Error-Message": message}
            return self._send(status, {"error": message}, headers)
        served = self.hub.served(repo_id, file_path)
        if served is None:
            headers = {"X-Error-Code": "EntryNotFound", "X-Error-Message": "Entry not found"}
            return self._send(404, {"error": "Entry not found"}, headers)
        signed = f"X-Amz-Expires=3600&X-Amz-Signature={quote('a/b+c')}"
        location = f"{self.hub.cdn_url}/cdn/{repo_id}/{quote(file_path)}?{signed}"
        headers = {
            "Location": location,
            "X-Repo-Commit": COMMIT,
            "X-Linked-Etag": f'"{served.sha256}"',
            "X-Linked-Size": str(served.size),
            "ETag": f'"{_blob_id(served)}"',
            "Accept-Ranges": "bytes",
        }
        self._send(302, None, headers)

    def _cdn(self, repo_id: str, file_path: str, body: bool) -> None:
        served = self.hub.served(repo_id, file_path)
        if served is None:
            return self._send(404, {"error": "NoSuchKey"})
        if self.hub.cdn_refuses:
            return self._send(403, {"error": "Request has expired"})
        size = served.size
        start, end = 0, size - 1
        ranged = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if ranged:
            start, end = int(ranged[1]), min(int(ranged[2] or size - 1), size - 1)
            if start >= size:
                headers = {"Content-Range": f"bytes */{size}"}
                return self._send(416, None, headers)
        self.send_response(206 if ranged else 200)
        if ranged:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Content-Type", "binary/octet-stream")
        self.send_header("ETag", f'"{served.sha256}"')
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if body:
            self._stream(served, start, end)

    def _stream(self, served: ServedFile, start: int, end: int) -> None:
        began = time.monotonic()
        sent = 0
        with served.source.open("rb") as source:
            source.seek(start)
            offset = start
            while offset <= end:
                chunk = bytearray(source.read(min(256 * 1024, end - offset + 1)))
                at = served.corrupt_at
                if at is not None and offset <= at < offset + len(chunk):
                    chunk[at - offset] ^= 0xFF
                self.wfile.write(chunk)
                offset += len(chunk)
                sent += len(chunk)
                if self.hub.rate:  # hold the pace: sleep until `sent` is due
                    time.sleep(max(0.0, sent / self.hub.rate - (time.monotonic() - began)))


def _summary(repo: ServedRepo) -> dict[str, Any]:
    return {
        "_id": hashlib.sha1(repo.id.encode()).hexdigest()[:24],
        "id": repo.id,
        "modelId": repo.id,
        "likes": repo.likes,
        "downloads": repo.downloads,
        "trendingScore": 3,
        "private": False,
        "tags": ["gguf", "text-generation", "conversational"],
        "pipeline_tag": "text-generation",
        "library_name": "gguf",
        "createdAt": "2026-01-02T03:04:05.000Z",
    }


def _blob_id(served: ServedFile) -> str:
    return hashlib.sha1(served.path.encode()).hexdigest()
