"""One writer per part file: two downloads of the same model would interleave their bytes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from chinwag.core.hub.client import HubError


class PartLock:
    """An advisory lock on `NAME.gguf.part.lock`; the OS drops it when the process dies,
    so a killed download never leaves a lock that blocks its own resume."""

    def __init__(self, part: Path) -> None:
        self.path = part.with_name(part.name + ".lock")
        self._handle: int | None = None

    def __enter__(self) -> PartLock:
        if sys.platform == "win32":  # no lock there yet (msvcrt.locking would be the way)
            return self
        import fcntl

        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise HubError(f"{self.path.stem} is being downloaded by another process") from None
        self._handle = handle
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self.path.unlink(missing_ok=True)
            os.close(self._handle)
            self._handle = None
