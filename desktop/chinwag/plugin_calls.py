"""Calling plugin code so that nothing it does can stop the app.

A plugin's function runs on a daemon thread with a deadline. Whatever it raises there,
`SystemExit` and `KeyboardInterrupt` included, stays on that thread and comes back as a
`PluginFault`; a call that does not return in time is given up on (the thread is left
behind, a daemon, so it cannot keep the process alive at exit).

Telling a plugin's `KeyboardInterrupt` from the user's Ctrl+C: Python delivers SIGINT to
the main thread only, so a real Ctrl+C interrupts the main thread's wait and propagates
as usual; a `KeyboardInterrupt` caught on the helper thread can only have been raised by
the plugin's own code. `os._exit` and a crash in native code cannot be contained in-process.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

HOOK_TIMEOUT_SECONDS = float(os.environ.get("CHINWAG_PLUGIN_HOOK_TIMEOUT", "10"))


class PluginFault(Exception):
    """A plugin's code raised or hung; `where` is the plugin's file and line."""

    def __init__(self, message: str, where: str | None) -> None:
        super().__init__(f"{message} (at {where})" if where else message)
        self.where = where


class PluginHung(PluginFault):
    """The call is still running on `thread`: calling again would only pile up threads."""

    def __init__(self, message: str, where: str | None, thread: threading.Thread) -> None:
        super().__init__(message, where)
        self.thread = thread


def contained(
    function: Callable[..., T], timeout: float, what: str, *args: Any, **kwargs: Any
) -> T:
    """`function(*args, **kwargs)`, or a `PluginFault` saying what it did and where."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as error:  # the plugin's SystemExit, KeyboardInterrupt too
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True, name=f"plugin-{what}")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        frame = sys._current_frames().get(thread.ident or -1)
        where = _plugin_location(_frames_of_stack(frame), function)
        message = f"{what} did not return within {timeout:g} s; gave up on it"
        raise PluginHung(message, where, thread)
    if "error" in outcome:
        error = outcome["error"]
        where = _plugin_location(_frames_of_traceback(error.__traceback__), function)
        raise PluginFault(f"{what} raised {describe(error)}", where) from error
    value: T = outcome["value"]
    return value


def describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _frames_of_traceback(tb: TracebackType | None) -> list[tuple[str, int]]:
    return [(frame.filename, frame.lineno or 0) for frame in traceback.extract_tb(tb)]


def _frames_of_stack(frame: FrameType | None) -> list[tuple[str, int]]:
    return [(f.filename, f.lineno or 0) for f in traceback.extract_stack(frame)]


def _plugin_location(frames: list[tuple[str, int]], function: Callable[..., Any]) -> str | None:
    """The deepest frame in the plugin's own files, the line a plugin author needs rather
    than one inside a library. The plugin's files: the folder of the function called, or,
    for a function of Python's own (importing the plugin), whatever is not Python's own."""
    code = getattr(getattr(function, "__func__", function), "__code__", None)
    if code is None:
        return None
    own = Path(code.co_filename).parent
    if _pythons_own(own):
        for filename, line in reversed(frames):
            ours = filename == __file__ or filename.startswith("<")
            if not ours and not _pythons_own(Path(filename)):
                return f"{filename}:{line}"
        return None
    for filename, line in reversed(frames):
        if Path(filename).parent == own:
            return f"{filename}:{line}"
    return f"{code.co_filename}:{code.co_firstlineno}"


def _pythons_own(path: Path) -> bool:
    """In the standard library (not in a site-packages folder that may sit inside it)."""
    where = sysconfig.get_paths()
    sites = (Path(where["purelib"]), Path(where["platlib"]))
    inside = path.is_relative_to(Path(where["stdlib"]))
    return inside and not any(path.is_relative_to(site) for site in sites)
