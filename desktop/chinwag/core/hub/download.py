"""One GGUF download that never lies: written aside, resumed, checked, then moved in.

The bytes go to `NAME.gguf.part` next to where the model will live. A run that stops for
any reason (pause, a dropped connection, a killed process, a power cut) leaves the part
file; the next run asks for the rest with an HTTP Range from its size. Only when the
whole file's sha256 equals the Hub's is it renamed to `NAME.gguf`, which is the moment
it becomes the model `local/NAME`. A mismatch deletes the part file and says so.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chinwag.core.hub.client import HubClient, HubError, HubFile
from chinwag.core.hub.locking import PartLock

if TYPE_CHECKING:
    import httpx

CHUNK = 1 << 20
SHA256 = re.compile(r"[0-9a-f]{64}")
SPACE_MARGIN = 64 * 2**20  # never fill a disk to the last byte
PROGRESS_EVERY = 0.25  # seconds between progress reports
RETRY_WAITS = (1.0, 4.0, 15.0)  # a dropped or stalled connection is resumed after these


class ChecksumMismatch(HubError):
    pass


class NotEnoughSpace(HubError):
    pass


class Interrupted(HubError):
    """The connection dropped or stalled; the part file stays, to resume from."""


class AlreadyThere(HubError):
    """A different file already has this model's name."""


class Stopped(Exception):
    """Paused (the part file stays, to resume) or cancelled (the part file is gone)."""

    def __init__(self, cancelled: bool) -> None:
        super().__init__("cancelled" if cancelled else "paused")
        self.cancelled = cancelled


@dataclass(frozen=True)
class Progress:
    done: int  # bytes on disk, resumed ones included
    total: int
    rate: float  # bytes per second over this run
    resumed_from: int

    @property
    def seconds_left(self) -> float | None:
        return (self.total - self.done) / self.rate if self.rate > 0 else None


class Control:
    """Ask a running download, from any thread, to pause or cancel at its next chunk."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self.cancelled = False

    def pause(self) -> None:
        self._stop.set()

    def cancel(self) -> None:
        self.cancelled = True
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def sleep(self, seconds: float) -> None:
        """Wait before a retry; a pause or cancel meanwhile ends the wait at once."""
        self._stop.wait(seconds)


def part_path(target: Path) -> Path:
    return target.with_name(target.name + ".part")


def stamp_path(part: Path) -> Path:
    """Beside a part file: the sha256 of the file it is the start of. A repo may replace a
    file under the same name; a part of the old one must not be completed with the new."""
    return part.with_name(part.name + ".sha256")


def sha256_of(path: Path, limit: int | None = None) -> hashlib._Hash:
    digest = hashlib.sha256()
    left = path.stat().st_size if limit is None else limit
    with path.open("rb") as stream:
        while left > 0:
            chunk = stream.read(min(CHUNK * 8, left))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
    return digest


def download(
    client: HubClient,
    file: HubFile,
    folder: Path,
    on_progress: Callable[[Progress], None] = lambda _: None,
    control: Control | None = None,
) -> Path:
    """Fetch `file` into `folder` as `folder/NAME.gguf`, verified; resumes a part file."""
    control = control or Control()
    target = folder / file.name
    resolved = client.resolve(file)
    expected = file.sha256 or resolved.sha256
    if file.sha256 and resolved.sha256 and file.sha256 != resolved.sha256:
        raise HubError(f"the Hub gives two sha256 for {file.name}: the repo changed; try again")
    if not expected or not SHA256.fullmatch(expected):
        raise HubError(f"the Hub gives no sha256 for {file.name}: it cannot be checked")
    total = resolved.size or file.size
    if target.exists():
        _check_existing(target, expected)
        return target
    folder.mkdir(parents=True, exist_ok=True)
    part = part_path(target)
    with PartLock(part):
        _drop_stale_part(part, expected)
        have = part.stat().st_size if part.exists() else 0
        free = shutil.disk_usage(folder).free
        if free < total - min(have, total) + SPACE_MARGIN:
            raise NotEnoughSpace(
                f"{file.name} needs {total - have:,} more bytes in {folder}, "
                f"which has {free:,} free (and keeps {SPACE_MARGIN // 2**20} MiB spare)"
            )
        run = _Transfer(part, total, on_progress, control)
        for wait in RETRY_WAITS:
            try:
                run.fetch(client, resolved.url)
                break
            except Interrupted:
                control.sleep(wait)  # then resume from what is on disk
        else:
            run.fetch(client, resolved.url)  # the last try: its error is the answer
        have, digest = run.have, run.digest
        if have != total or digest.hexdigest() != expected:
            part.unlink()
            stamp_path(part).unlink(missing_ok=True)
            raise ChecksumMismatch(
                f"{file.name} did not match the Hub's sha256 ({expected[:12]}…, got "
                f"{digest.hexdigest()[:12]}… over {have:,} of {total:,} bytes): the partial "
                "file was deleted; run the download again to fetch it afresh"
            )
        os.replace(part, target)
        stamp_path(part).unlink(missing_ok=True)
    return target


def _drop_stale_part(part: Path, expected: str) -> None:
    stamp = stamp_path(part)
    if part.exists() and stamp.exists() and stamp.read_text().strip() != expected:
        part.unlink()  # the start of a file the repo has since replaced
    stamp.write_text(expected + "\n")


def _check_existing(target: Path, expected: str) -> None:
    if sha256_of(target).hexdigest() != expected:
        raise AlreadyThere(
            f"{target} is already there and is not this file; "
            f"remove it first with `chinwag models remove {target.stem}`"
        )


class _Transfer:
    """The state of one run: what is on disk, its running digest, and how fast it grows."""

    def __init__(
        self,
        part: Path,
        total: int,
        on_progress: Callable[[Progress], None],
        control: Control,
    ) -> None:
        self.part, self.total = part, total
        self.on_progress, self.control = on_progress, control
        self.have = part.stat().st_size if part.exists() else 0
        if self.have > total:  # not a prefix of this file: start again
            part.unlink()
            self.have = 0
        self.resumed_from = self.have
        self.digest = sha256_of(part) if self.have else hashlib.sha256()
        self.started = self.last_report = time.monotonic()

    def fetch(self, client: HubClient, url: str) -> None:
        """Append the rest of the file to the part file, resuming with a Range."""
        import httpx

        if self.control.stopping:
            self._stop()
        if self.have < self.total:
            try:
                with client.stream(url, start=self.have) as reply:
                    self._check_range(reply)
                    self._append(reply)
            except httpx.HTTPError as error:
                raise Interrupted(
                    f"the download stopped at {self.have:,} of {self.total:,} bytes "
                    f"({error or type(error).__name__}); run it again to resume"
                ) from None
            if self.control.stopping:
                self._stop()
            if self.have < self.total:  # the body ended early without an error
                raise Interrupted(
                    f"the download stopped at {self.have:,} of {self.total:,} bytes; "
                    "run it again to resume"
                )
        self._report()

    def _stop(self) -> None:
        if self.control.cancelled:
            self.part.unlink(missing_ok=True)
            stamp_path(self.part).unlink(missing_ok=True)
        raise Stopped(self.control.cancelled)

    def _check_range(self, reply: httpx.Response) -> None:
        if not self.have:
            return
        if reply.status_code != 206:  # the server ignored the Range: take the whole file
            self.have = self.resumed_from = 0
            self.digest = hashlib.sha256()
            self.part.write_bytes(b"")
        elif not reply.headers.get("Content-Range", "").startswith(f"bytes {self.have}-"):
            raise HubError("the download server answered a different range than asked")

    def _append(self, reply: httpx.Response) -> None:
        with self.part.open("ab") as out:
            for chunk in reply.iter_bytes(CHUNK):
                out.write(chunk)
                self.digest.update(chunk)
                self.have += len(chunk)
                if time.monotonic() - self.last_report >= PROGRESS_EVERY:
                    self._report()
                if self.control.stopping:
                    break
            out.flush()
            os.fsync(out.fileno())  # what the next run resumes from must really be there

    def _report(self) -> None:
        self.last_report = time.monotonic()
        rate = (self.have - self.resumed_from) / max(self.last_report - self.started, 1e-6)
        self.on_progress(Progress(self.have, self.total, rate, self.resumed_from))
