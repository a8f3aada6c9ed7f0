"""A crash report a person can paste anywhere: what failed, where, on what, and no secret.

Known key values are replaced, and so is anything shaped like a key or a bearer token,
because an exception message may quote a header or a URL the program never meant to show.
"""

from __future__ import annotations

import platform
import re
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType

REDACTED = "[redacted]"

_KEY_SHAPES = [
    re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-]{12,}"),  # OpenAI, Anthropic and friends
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),  # AWS access key id
    re.compile(r"\bAIza[0-9A-Za-z_\-]{20,}"),  # Google API key
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),  # GitHub tokens
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-~+/]{8,}=*"),
    re.compile(r"(?i)((?:api[_-]?key|x-api-key|authorization|secret|token)[\"']?\s*[:=]\s*[\"']?)"
               r"[^\s\"',;}]{4,}"),
]  # fmt: skip


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    for shape in _KEY_SHAPES:
        if shape.groups:
            text = shape.sub(lambda m: m.group(1) + REDACTED, text)
        else:
            text = shape.sub(REDACTED, text)
    return text


def build_report(
    kind: type[BaseException],
    error: BaseException,
    trace: TracebackType | None,
    version: str,
    secrets: Iterable[str] = (),
) -> str:
    lines = [
        f"Chinwag {version}",
        f"Python {platform.python_version()} on {platform.platform()}",
        f"Executable {sys.executable}",
        "",
        *traceback.format_exception(kind, error, trace),
    ]
    return redact("".join(line if line.endswith("\n") else line + "\n" for line in lines), secrets)
