"""The Hugging Face Hub's public API, as much of it as finding and fetching a GGUF file needs.

Talks to `HF_ENDPOINT` when set (a mirror, or a test server), else huggingface.co. The
token (keyring entry `huggingface`, or HF_TOKEN) goes only to the Hub itself, never to
the CDN a download is redirected to.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlsplit

from pydantic import SecretStr

from chinwag import __version__
from chinwag.core.hub.gguf import ModelShape, NotGGUF, read_shape

if TYPE_CHECKING:
    import httpx

DEFAULT_ENDPOINT = "https://huggingface.co"
TOKEN_KEY, TOKEN_ENV = "huggingface", "HF_TOKEN"  # the keyring entry, the Hub's own variable
HEADER_BYTES = 4 * 2**20  # a Range this long holds any GGUF's shape keys many times over
GATED_HINT = "accept its terms on the Hub and add a token with `chinwag keys set huggingface`"
REPO_ID = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")
# A name that stays in the models folder on every OS: no separators, no leading dot.
SAFE_GGUF_NAME = re.compile(r"[^./\\:][^/\\:]*\.gguf", re.IGNORECASE)
# Quantisation names as llama.cpp and the GGUF uploaders spell them in file names.
QUANT = re.compile(
    r"(?<![A-Za-z0-9])(IQ\d_(?:XXS|XS|NL|S|M)|TQ\d_\d|Q\d_K(?:_XL|_S|_M|_L)?|Q\d_\d|Q\d"
    r"|MXFP4|BF16|F16|F32)(?![A-Za-z0-9])",
    re.IGNORECASE,
)


class HubError(Exception):
    """The Hub said no, or could not be reached: one line a person can act on."""


class GatedRepo(HubError):
    pass


class NotFound(HubError):
    pass


@dataclass(frozen=True)
class RepoSummary:
    id: str
    downloads: int
    likes: int
    updated: str | None


@dataclass(frozen=True)
class HubFile:
    repo: str
    path: str  # inside the repo; a GGUF may sit in a folder
    size: int
    sha256: str | None  # the LFS object id; None for a file kept in plain git

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def quantisation(self) -> str | None:
        return quantisation(self.name)


@dataclass(frozen=True)
class Resolved:
    """Where `resolve/main/FILE` redirected to, and what the Hub says the file is."""

    url: str
    sha256: str | None  # X-Linked-Etag: the LFS sha256, quoted
    size: int | None  # X-Linked-Size
    commit: str | None  # X-Repo-Commit


def quantisation(file_name: str) -> str | None:
    found = QUANT.findall(file_name.removesuffix(".gguf"))
    return found[-1].upper() if found else None


def endpoint_from_env() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


class HubClient:
    def __init__(
        self, endpoint: str | None = None, token: SecretStr | None = None, timeout: float = 30
    ) -> None:
        self.endpoint = (endpoint or endpoint_from_env()).rstrip("/")
        self._token = token
        self._timeout = timeout
        self._http: httpx.Client | None = None

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def search(self, query: str, limit: int = 20) -> list[RepoSummary]:
        params = {"search": query, "filter": "gguf", "limit": str(limit), "sort": "downloads"}
        found = self._json("GET", "/api/models", params=params)
        return [
            RepoSummary(
                id=item["id"],
                downloads=int(item.get("downloads") or 0),
                likes=int(item.get("likes") or 0),
                updated=item.get("lastModified") or item.get("createdAt"),
            )
            for item in found
        ]

    def files(self, repo: str, revision: str = "main") -> list[HubFile]:
        """The repo's .gguf files, from its tree (sizes and LFS sha256), every page of it."""
        if not REPO_ID.fullmatch(repo):
            raise NotFound(f"not a Hub repo id: {repo!r} (it looks like owner/name)")
        url: str | None = f"/api/models/{repo}/tree/{quote(revision, safe='')}?recursive=true"
        files: list[HubFile] = []
        while url:
            response = self._request("GET", url, repo=repo)
            for entry in response.json():
                path = str(entry.get("path", ""))
                if entry.get("type") == "file" and SAFE_GGUF_NAME.fullmatch(path.split("/")[-1]):
                    lfs = entry.get("lfs") or {}
                    size = int(lfs.get("size") or entry["size"])
                    files.append(HubFile(repo, path, size, lfs.get("oid")))
            url = response.links.get("next", {}).get("url")
        return sorted(files, key=lambda f: f.path)

    def file(self, repo: str, path: str) -> HubFile:
        for candidate in self.files(repo):
            if path in (candidate.path, candidate.name):
                return candidate
        raise NotFound(f"{repo} has no GGUF file {path!r} (see `chinwag models files {repo}`)")

    def resolve(self, file: HubFile, revision: str = "main") -> Resolved:
        """HEAD `resolve/`: follow the Hub's own (relative) redirects, stop at the CDN's."""
        url = f"/{file.repo}/resolve/{quote(revision, safe='')}/{quote(file.path)}"
        for _ in range(5):
            response = self._request("HEAD", url, repo=file.repo)
            location = response.headers.get("Location")
            if response.is_redirect and location and location.startswith("/"):
                url = location
                continue
            headers = response.headers
            etag = headers.get("X-Linked-Etag") or headers.get("ETag")
            size = headers.get("X-Linked-Size")
            return Resolved(
                url=urljoin(self.endpoint + url, location) if location else self.endpoint + url,
                sha256=etag.removeprefix("W/").strip('"') if etag else None,
                size=int(size) if size and size.isdigit() else None,
                commit=headers.get("X-Repo-Commit"),
            )
        raise HubError(f"the Hub redirected {file.repo}/{file.path} too many times")

    @contextmanager
    def stream(self, url: str, start: int = 0, end: int | None = None) -> Iterator[httpx.Response]:
        """GET a file's bytes from `start` (a Range request), as a streamed response."""
        headers = {"Accept-Encoding": "identity"}  # sizes and offsets are of the raw bytes
        if start or end is not None:
            headers["Range"] = f"bytes={start}-{'' if end is None else end}"
        if self._same_site(url):
            headers |= self._auth()
        with self._client().stream("GET", url, headers=headers, follow_redirects=True) as reply:
            if reply.status_code >= 400:
                reply.read()
                if self._same_site(str(reply.url)):
                    self._raise(reply, None)
                # The CDN's links are signed and expire: a fresh run gets a fresh one.
                raise HubError(
                    f"the download server answered {reply.status_code}; run it again to resume"
                )
            yield reply

    def shape(self, file: HubFile) -> ModelShape | None:
        """The model's shape from the first bytes of the file on the Hub (None: unreadable)."""
        try:
            with self.stream(self.resolve(file).url, 0, HEADER_BYTES - 1) as reply:
                return read_shape(_ResponseReader(reply.iter_bytes()))
        except (NotGGUF, HubError):
            return None

    # -- plumbing --

    def _client(self) -> httpx.Client:
        if self._http is None:
            import httpx  # lazily: `chinwag` starts without it

            self._http = httpx.Client(
                timeout=self._timeout, headers={"User-Agent": f"chinwag/{__version__}"}
            )
        return self._http

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token.get_secret_value()}"} if self._token else {}

    def _same_site(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.endpoint).netloc

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._request(method, path, **kwargs).json()

    def _request(
        self, method: str, path: str, repo: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        import httpx

        url = path if path.startswith("http") else self.endpoint + path
        try:
            response = self._client().request(method, url, headers=self._auth(), **kwargs)
        except httpx.HTTPError as error:
            raise HubError(f"could not reach the Hub at {self.endpoint}: {error}") from None
        if response.status_code >= 400:
            self._raise(response, repo)
        return response

    def _raise(self, response: httpx.Response, repo: str | None) -> None:
        code = response.headers.get("X-Error-Code", "")
        message = response.headers.get("X-Error-Message", "")
        status = response.status_code
        what = repo or urlsplit(str(response.url)).path
        if code == "GatedRepo" or (status in (401, 403) and "gated" in message.lower()):
            if self._token is None:
                raise GatedRepo(f"{what} is gated: {GATED_HINT}")
            raise GatedRepo(
                f"{what} is gated and your token has no access to it yet: accept its terms "
                f"at {self.endpoint}/{what} (or check the token set with "
                "`chinwag keys set huggingface`)"
            )
        if code == "RepoNotFound":  # the Hub's answer for a private repo too
            raise NotFound(f"no repo {what} on the Hub (if it is private: {GATED_HINT})")
        if status == 404 or code in ("EntryNotFound", "RevisionNotFound"):
            raise NotFound(f"not found on the Hub: {what}")
        if status in (401, 403):
            raise GatedRepo(
                f"the Hub refused {what} ({status}): if it is private or gated, {GATED_HINT}"
            )
        detail = f": {message}" if message else ""
        raise HubError(f"the Hub answered {status} for {what}{detail}")


class _ResponseReader:
    """A response body as the file-like `read(n)` the GGUF reader takes."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            chunk = next(self._chunks, b"")
            if not chunk:
                break
            self._buffer += chunk
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data
