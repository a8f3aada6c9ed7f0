"""Downloads that never lie: aside, resumed with a Range, verified, then moved in."""

from __future__ import annotations

import hashlib
import itertools
import shutil
import threading
from collections import namedtuple
from collections.abc import Iterator
from pathlib import Path

import pytest

from chinwag.core.hub import download as downloading
from chinwag.core.hub.client import HubClient, HubError
from chinwag.core.hub.download import (
    AlreadyThere,
    ChecksumMismatch,
    Control,
    NotEnoughSpace,
    Progress,
    Stopped,
    download,
)
from chinwag.core.hub.installed import remove
from chinwag.core.hub.queue import DownloadQueue, JobState
from tests.hub.conftest import CORRUPT, FILE, PLAIN
from tests.support.hub_server import BUILT_IN, BUILT_IN_SHA256, HubServer

SIZE = BUILT_IN.stat().st_size


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_download_lands_verified_and_leaves_no_part_file(hub: HubServer, models: Path) -> None:
    client = HubClient()
    seen: list[Progress] = []
    path = download(client, client.file(PLAIN, FILE), models, seen.append)
    assert path == models / FILE
    assert sha256(path) == BUILT_IN_SHA256
    assert sorted(p.name for p in models.iterdir()) == [FILE]
    assert seen[-1].done == seen[-1].total == SIZE
    assert all(a.done <= b.done for a, b in itertools.pairwise(seen))
    # Resolved with a HEAD, as the Hub's own client does, then the bytes from the CDN.
    methods = [(s.method, s.path.split("/")[1]) for s in hub.seen if "/api/" not in s.path]
    assert methods == [("HEAD", "chinwag-test"), ("GET", "cdn")]


def test_a_partial_file_is_resumed_with_a_range(hub: HubServer, models: Path) -> None:
    models.mkdir(parents=True, exist_ok=True)
    half = SIZE // 2
    (models / f"{FILE}.part").write_bytes(BUILT_IN.read_bytes()[:half])
    client = HubClient()
    seen: list[Progress] = []
    path = download(client, client.file(PLAIN, FILE), models, seen.append)
    assert hub.ranges() == [f"bytes={half}-"]
    assert sha256(path) == BUILT_IN_SHA256
    assert seen[-1].resumed_from == half
    assert not (models / f"{FILE}.part").exists()


def test_a_corrupt_file_is_refused_and_its_part_file_deleted(hub: HubServer, models: Path) -> None:
    client = HubClient()
    file = client.file(CORRUPT, "corrupt-q8_0.gguf")
    with pytest.raises(ChecksumMismatch) as refused:
        download(client, file, models)
    assert "did not match the Hub's sha256" in str(refused.value)
    assert "the partial file was deleted" in str(refused.value)
    assert list(models.iterdir()) == []  # no model, no part file, no lock


def test_a_part_of_a_file_the_repo_has_since_replaced_starts_over(
    hub: HubServer, models: Path
) -> None:
    models.mkdir(parents=True, exist_ok=True)
    (models / f"{FILE}.part").write_bytes(b"the start of last week's upload")
    (models / f"{FILE}.part.sha256").write_text("0" * 64 + "\n")
    client = HubClient()
    seen: list[Progress] = []
    assert sha256(download(client, client.file(PLAIN, FILE), models, seen.append)) == (
        BUILT_IN_SHA256
    )
    assert hub.ranges() == [] and seen[-1].resumed_from == 0
    assert sorted(p.name for p in models.iterdir()) == [FILE]


def test_a_part_file_longer_than_the_file_starts_over(hub: HubServer, models: Path) -> None:
    models.mkdir(parents=True, exist_ok=True)
    (models / f"{FILE}.part").write_bytes(b"x" * (SIZE + 10))
    client = HubClient()
    assert sha256(download(client, client.file(PLAIN, FILE), models)) == BUILT_IN_SHA256
    assert hub.ranges() == []


def test_no_room_on_the_disk_is_said_before_a_byte_is_fetched(
    hub: HubServer, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage(10**9, 10**9 - 10**6, 10**6))
    client = HubClient()
    with pytest.raises(NotEnoughSpace, match=f"needs {SIZE:,} more bytes"):
        download(client, client.file(PLAIN, FILE), models)
    assert not [s for s in hub.seen if s.path.startswith("/cdn/")]


def test_pause_keeps_the_part_file_and_cancel_removes_it(hub: HubServer, models: Path) -> None:
    hub.rate = 20e6
    client = HubClient()
    file = client.file(PLAIN, FILE)
    control = Control()
    threading.Timer(0.5, control.pause).start()
    with pytest.raises(Stopped) as stopped:
        download(client, file, models, control=control)
    assert not stopped.value.cancelled
    part = models / f"{FILE}.part"
    assert 0 < part.stat().st_size < SIZE

    control = Control()
    threading.Timer(0.3, control.cancel).start()
    with pytest.raises(Stopped) as stopped:
        download(client, file, models, control=control)
    assert stopped.value.cancelled
    assert list(models.iterdir()) == []


def test_an_existing_model_is_checked_not_fetched_again(hub: HubServer, models: Path) -> None:
    client = HubClient()
    file = client.file(PLAIN, FILE)
    download(client, file, models)
    before = len(hub.seen)
    assert download(client, file, models) == models / FILE
    assert not [s for s in hub.seen[before:] if s.path.startswith("/cdn/")]
    (models / FILE).write_bytes(b"something else")
    with pytest.raises(AlreadyThere, match="remove it first"):
        download(client, file, models)


def drop_connections(monkeypatch: pytest.MonkeyPatch, every: int) -> list[int]:
    """Reset the connection each time `every` more bytes have come in; returns where."""
    import httpx

    real_append = downloading._Transfer._append
    drops: list[int] = []

    def dropping(self: downloading._Transfer, reply: httpx.Response) -> None:
        chunks, start = reply.iter_bytes, self.have

        def some(size: int | None = None) -> Iterator[bytes]:
            for chunk in chunks(size):
                yield chunk
                if self.have - start > every:
                    drops.append(self.have)
                    raise httpx.ReadError("connection reset by peer")

        monkeypatch.setattr(reply, "iter_bytes", some)
        real_append(self, reply)

    monkeypatch.setattr(downloading._Transfer, "_append", dropping)
    monkeypatch.setattr(downloading, "RETRY_WAITS", (0.01, 0.01, 0.01))
    return drops


def test_a_dropped_connection_is_resumed_by_itself(
    hub: HubServer, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drops = drop_connections(monkeypatch, every=SIZE // 3)
    client = HubClient()
    assert sha256(download(client, client.file(PLAIN, FILE), models)) == BUILT_IN_SHA256
    assert len(drops) == 2
    assert hub.ranges() == [f"bytes={at}-" for at in drops]


def test_a_connection_that_keeps_dropping_leaves_the_part_file_to_resume(
    hub: HubServer, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_append = downloading._Transfer._append
    drops = drop_connections(monkeypatch, every=SIZE // 10)
    client = HubClient()
    with pytest.raises(HubError, match="run it again to resume"):
        download(client, client.file(PLAIN, FILE), models)
    assert len(drops) == 4  # the first try and three retries
    assert (models / f"{FILE}.part").stat().st_size == drops[-1]
    monkeypatch.setattr(downloading._Transfer, "_append", real_append)  # the line is back
    assert sha256(download(client, client.file(PLAIN, FILE), models)) == BUILT_IN_SHA256
    assert hub.ranges()[-1] == f"bytes={drops[-1]}-"


def test_a_queue_runs_downloads_in_turn_and_reports_each(hub: HubServer, models: Path) -> None:
    client = HubClient()
    changes: list[tuple[str, JobState]] = []
    queue = DownloadQueue(client, models, lambda job: changes.append((job.file.repo, job.state)))
    good = queue.add(client.file(PLAIN, FILE))
    bad = queue.add(client.file(CORRUPT, "corrupt-q8_0.gguf"))
    assert queue.wait(timeout=60)
    assert (good.state, bad.state) == (JobState.DONE, JobState.FAILED)
    assert good.path == models / FILE and sha256(good.path) == BUILT_IN_SHA256
    assert bad.error and "did not match" in bad.error
    running = [repo for repo, state in changes if state == JobState.RUNNING]
    assert running[0] == PLAIN and running[-1] == CORRUPT


def test_a_paused_job_resumes_from_its_part_file(hub: HubServer, models: Path) -> None:
    hub.rate = 30e6
    client = HubClient()
    queue = DownloadQueue(client, models)
    job = queue.add(client.file(PLAIN, FILE))
    threading.Timer(0.5, queue.pause, [job]).start()
    assert queue.wait(timeout=60)
    assert job.state == JobState.PAUSED
    hub.rate = None
    assert queue.add(job.file) is job  # the same job, back in line
    assert queue.wait(timeout=60)
    assert job.state == JobState.DONE and job.path and sha256(job.path) == BUILT_IN_SHA256
    assert len(hub.ranges()) == 1


def test_cancelling_a_paused_job_deletes_its_part_file(hub: HubServer, models: Path) -> None:
    hub.rate = 30e6
    client = HubClient()
    queue = DownloadQueue(client, models)
    job = queue.add(client.file(PLAIN, FILE))
    threading.Timer(0.5, queue.pause, [job]).start()
    assert queue.wait(timeout=60) and job.state == JobState.PAUSED
    assert (models / f"{FILE}.part").exists()
    queue.cancel(job)
    assert job.state == JobState.CANCELLED
    assert list(models.iterdir()) == []


def test_remove_deletes_the_model_and_its_part_file(models: Path) -> None:
    models.mkdir(parents=True, exist_ok=True)
    (models / "tiny.gguf").write_bytes(b"GGUF")
    (models / "tiny.gguf.part").write_bytes(b"GG")
    removed = remove("local/tiny")
    assert {p.name for p in removed.paths} == {"tiny.gguf", "tiny.gguf.part"}
    assert list(models.iterdir()) == []
    with pytest.raises(ValueError, match="no model local/tiny"):
        remove("tiny")


def test_remove_leaves_models_it_did_not_put_there(
    models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "installed"
    elsewhere.mkdir()
    (elsewhere / "built-in.gguf").write_bytes(b"GGUF")
    monkeypatch.setenv("CHINWAG_MODELS_PATH", str(elsewhere))
    with pytest.raises(ValueError, match="Chinwag leaves it alone"):
        remove("built-in")
    assert (elsewhere / "built-in.gguf").exists()
