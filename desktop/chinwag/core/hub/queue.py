"""Several downloads, one at a time, each of which can be paused, resumed or cancelled.

One at a time on purpose: parallel downloads share the same line and finish later each,
and a queue that finishes models one by one makes them usable sooner. A paused job keeps
its part file and goes back in line when added again. Listeners are called on the worker
thread; a UI hands the call over to its own thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from chinwag.core.hub.client import HubClient, HubError, HubFile
from chinwag.core.hub.download import (
    Control,
    Progress,
    Stopped,
    download,
    part_path,
    stamp_path,
)


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class Job:
    file: HubFile
    state: JobState = JobState.QUEUED
    progress: Progress | None = None
    error: str | None = None
    path: Path | None = None  # the verified model file, once done
    control: Control = field(default_factory=Control)


class DownloadQueue:
    def __init__(
        self,
        client: HubClient,
        folder: Path,
        on_change: Callable[[Job], None] = lambda _: None,
    ) -> None:
        self._client, self._folder, self._on_change = client, folder, on_change
        self._jobs: list[Job] = []
        self._wake = threading.Condition()
        self._worker: threading.Thread | None = None

    def add(self, file: HubFile) -> Job:
        """Queue `file`; a file already here that was paused or failed goes back in line
        (resuming from its part file), one queued, running or done stays as it is."""
        with self._wake:
            job = next((j for j in self._jobs if j.file == file), None)
            if job is None:
                job = Job(file)
                self._jobs.append(job)
            elif job.state in (JobState.PAUSED, JobState.FAILED, JobState.CANCELLED):
                job.state, job.error, job.control = JobState.QUEUED, None, Control()
            self._start_worker()
            self._wake.notify()
        self._on_change(job)
        return job

    def pause(self, job: Job) -> None:
        with self._wake:
            if job.state == JobState.QUEUED:
                job.state = JobState.PAUSED
            job.control.pause()
        self._on_change(job)

    def cancel(self, job: Job) -> None:
        """Stop it for good: its part file goes too (a running one's, as it stops)."""
        with self._wake:
            job.control.cancel()
            if job.state not in (JobState.RUNNING, JobState.DONE):
                job.state = JobState.CANCELLED
                part = part_path(self._folder / job.file.name)
                part.unlink(missing_ok=True)
                stamp_path(part).unlink(missing_ok=True)
        self._on_change(job)

    def wait(self, timeout: float | None = None) -> bool:
        """Until no job is queued or running (True), or the timeout passes (False)."""
        with self._wake:
            return self._wake.wait_for(self._idle, timeout)

    def _idle(self) -> bool:
        return not any(j.state in (JobState.QUEUED, JobState.RUNNING) for j in self._jobs)

    def _start_worker(self) -> None:
        if self._worker is None:  # called with the lock held, as is the worker's exit
            self._worker = threading.Thread(target=self._work, name="downloads", daemon=True)
            self._worker.start()

    def _next(self) -> Job | None:
        with self._wake:
            job = next((j for j in self._jobs if j.state == JobState.QUEUED), None)
            if job is None:
                self._worker = None  # under the lock: an `add` now starts a new worker
            else:
                job.state = JobState.RUNNING
            return job

    def _work(self) -> None:
        while (job := self._next()) is not None:
            self._on_change(job)
            self._run(job)
            with self._wake:
                self._wake.notify_all()
            self._on_change(job)

    def _run(self, job: Job) -> None:
        def progress(value: Progress) -> None:
            job.progress = value
            self._on_change(job)

        try:
            job.path = download(self._client, job.file, self._folder, progress, job.control)
            job.state = JobState.DONE
        except Stopped as stop:
            job.state = JobState.CANCELLED if stop.cancelled else JobState.PAUSED
        except HubError as error:
            job.state, job.error = JobState.FAILED, str(error)
        except OSError as error:  # the disk: full, gone, not writable
            job.state, job.error = JobState.FAILED, f"{job.file.name}: {error}"
