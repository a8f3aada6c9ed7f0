"""`chinwag models search|files|download|remove`: GGUF models from the Hugging Face Hub.

A downloaded `NAME.gguf` lands in Chinwag's models folder, verified, and is then the model
`local/NAME`. Progress goes to stderr; a download stopped any way resumes when run again.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from chinwag.app import Services
from chinwag.cli.common import CallFailed, UsageError, print_json
from chinwag.core.hub.client import TOKEN_ENV, TOKEN_KEY, HubClient, HubError, HubFile, NotFound
from chinwag.core.hub.download import Progress
from chinwag.core.hub.fit import DEFAULT_CONTEXT, Fit, estimate
from chinwag.core.hub.installed import downloads_folder, model_name, remove
from chinwag.core.hub.machine import memory
from chinwag.core.hub.queue import DownloadQueue, Job, JobState


def add_actions(models: Any) -> None:
    actions = models.add_subparsers(dest="action", metavar="ACTION")
    search = actions.add_parser("search", help="GGUF repos on the Hugging Face Hub")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")
    search.set_defaults(handler=run_search)
    files = actions.add_parser("files", help="a repo's GGUF files: size, quantisation, fit")
    files.add_argument("repo")
    files.add_argument(
        "--context", type=int, default=DEFAULT_CONTEXT, help="tokens of KV cache to size for"
    )
    files.add_argument("--json", action="store_true")
    files.set_defaults(handler=run_files)
    download = actions.add_parser("download", help="fetch GGUF files (run again to resume)")
    download.add_argument("repo")
    download.add_argument("files", nargs="+", metavar="FILE", help="one after the other")
    download.set_defaults(handler=run_download)
    remove_ = actions.add_parser("remove", help="delete a downloaded model (local/NAME)")
    remove_.add_argument("name")
    remove_.set_defaults(handler=run_remove)


def _client(services: Services) -> HubClient:
    return HubClient(token=services.keys.get(TOKEN_KEY, TOKEN_ENV))


def _hub_call(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except NotFound as error:
        raise UsageError(str(error)) from None
    except HubError as error:
        raise CallFailed(str(error)) from None


def run_search(services: Services, args: argparse.Namespace) -> int:
    client = _client(services)
    found = _hub_call(client.search, args.query, args.limit)
    if args.json:
        print_json([vars(repo) for repo in found])
        return 0
    if not found:
        print(f"chinwag: no GGUF repos match {args.query!r} on {client.endpoint}", file=sys.stderr)
    for repo in found:
        print(f"{repo.id:<60} {repo.downloads:>10,} downloads {repo.likes:>6,} likes")
    return 0


def _fits(client: HubClient, files: list[HubFile], context: int) -> dict[str, Fit]:
    """One header read serves every quantisation of a repo: they share the model's shape.
    Vision projectors (mmproj-*) are another model: sized by approximation."""
    models = [f for f in files if not f.name.lower().startswith("mmproj")]
    shape = client.shape(min(models, key=lambda f: f.size)) if models else None
    machine = memory()
    return {
        f.path: estimate(f.size, shape if f in models else None, machine, context) for f in files
    }


def run_files(services: Services, args: argparse.Namespace) -> int:
    client = _client(services)
    files: list[HubFile] = _hub_call(client.files, args.repo)
    fits = _fits(client, files, args.context)
    rows = [
        {
            "path": f.path,
            "model": f"local/{model_name(f.name)}",
            "size": f.size,
            "quantisation": f.quantisation,
            "sha256": f.sha256,
            "fit": fits[f.path].as_dict(),
        }
        for f in files
    ]
    if args.json:
        print_json(rows)
        return 0
    if not files:
        print(f"chinwag: {args.repo} has no GGUF files", file=sys.stderr)
    for f in files:
        print(f"{f.path}\n  {_size(f.size)}  {f.quantisation or '?'}  sha256 {f.sha256 or '-'}")
        print(f"  {fits[f.path].summary()}")
        for note in fits[f.path].notes:
            print(f"    ({note})")
    return 0


def run_download(services: Services, args: argparse.Namespace) -> int:
    client = _client(services)
    files: list[HubFile] = [_hub_call(client.file, args.repo, name) for name in args.files]
    folder = downloads_folder()
    lines = {f.path: _ProgressLine(f.name) for f in files}

    def on_change(job: Job) -> None:
        if job.state == JobState.RUNNING and job.progress is not None:
            lines[job.file.path](job.progress)

    queue = DownloadQueue(client, folder, on_change)
    jobs = [queue.add(file) for file in files]
    try:
        while not queue.wait(timeout=0.5):
            pass
    except KeyboardInterrupt:
        for job in jobs:
            queue.pause(job)
        queue.wait()  # the part files are flushed and unlocked before we go
        print("\nstopped: run the same command again to resume", file=sys.stderr)
        return 130
    for job in jobs:
        lines[job.file.path].end()
        if job.state == JobState.DONE:
            print(f"local/{model_name(job.file.name)}  {job.path}  (sha256 verified)")
        else:
            print(f"chinwag: {job.error or job.state.value}", file=sys.stderr)
    return 0 if all(job.state == JobState.DONE for job in jobs) else 1


def run_remove(services: Services, args: argparse.Namespace) -> int:
    try:
        removed = remove(args.name)
    except ValueError as error:
        raise UsageError(str(error)) from None
    for path in removed.paths:
        print(f"removed {path}")
    return 0


def _size(size: int) -> str:
    return f"{size / 1e9:.2f} GB" if size >= 1e9 else f"{size / 1e6:.1f} MB"


class _ProgressLine:
    """Bytes, rate and time left on stderr: one line redrawn on a terminal, else a line
    every few seconds (a log should not get a line per chunk)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.drawn = False

    def __call__(self, progress: Progress) -> None:
        if progress.resumed_from and not self.drawn:
            print(f"resuming {self.name} from {_size(progress.resumed_from)}", file=sys.stderr)
        now = time.monotonic()
        if progress.done < progress.total and now - self.last < (0.1 if self.tty else 2):
            return
        self.last = now
        left = progress.seconds_left
        eta = f"{left:.0f}s left" if left is not None else "--"
        share = progress.done / progress.total if progress.total else 1.0
        line = (
            f"{self.name}  {share:6.1%}  {_size(progress.done)} of {_size(progress.total)}  "
            f"{progress.rate / 1e6:.1f} MB/s  {eta}"
        )
        print(f"\r{line}\033[K" if self.tty else line, end="" if self.tty else "\n",
              file=sys.stderr, flush=True)  # fmt: skip
        self.drawn = True

    def end(self) -> None:
        if self.tty and self.drawn:
            print(file=sys.stderr)
