"""The log file, CHINWAG_HOME/logs/chinwag.log, at CHINWAG_LOG_LEVEL (default INFO).

Every secret the key store hands out is remembered here and masked in every line the
file receives, including third-party libraries' debug output and tracebacks: a key must
never reach the disk outside the keyring, even at debug level.
"""

from __future__ import annotations

import logging
import os
import threading

from chinwag.core.system import paths

MASK = "[redacted]"
FILE_NAME = "chinwag.log"
_secrets: set[str] = set()
_lock = threading.Lock()


def remember_secret(value: str) -> None:
    if len(value) >= 4:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class LogFileHandler(logging.FileHandler):
    """A log line that cannot be written (the disk filled up after start) is dropped:
    the default handler prints a traceback into the user's terminal instead."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def level() -> int:
    name = os.environ.get("CHINWAG_LOG_LEVEL", "INFO").upper()
    return logging.getLevelNamesMapping().get(name, logging.INFO)


def setup() -> str | None:
    """Send the root logger to the log file of the current home (again if it moved).

    Returns a notice for the user when the log file cannot be written (a read-only or
    full disk): the app goes on without a log file rather than not starting."""
    root = logging.getLogger()
    try:
        path = paths.logs_dir() / FILE_NAME
        os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))  # user only
        handler = LogFileHandler(path, encoding="utf-8", delay=False)
    except OSError as error:
        return f"No log file is written: {error.strerror or error} ({paths.home() / 'logs'})"
    for old in [h for h in root.handlers if isinstance(h.formatter, RedactingFormatter)]:
        if isinstance(old, logging.FileHandler) and old.baseFilename == str(path.resolve()):
            handler.close()
            return None
        root.removeHandler(old)
        old.close()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level())
    return None
