"""`log_completions`: one JSON file per call (request and response) in `log_completions_folder`.

Every key is redacted: the config's secrets by its serializer, header values whose names
say they carry a credential, any secret the key store handed out, and bearer tokens or
`sk-` style keys wherever they appear (an error may quote the key back).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

from chinwag.core.llm.backend import ChatRequest
from chinwag.core.llm.config import REDACTED
from chinwag.core.system import logs, paths

_SENSITIVE_NAME = re.compile(r"auth|key|token|secret|password|cookie|credential", re.I)
_KEY_SHAPES = re.compile(
    r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}|\b(?:sk|rk|pk|gsk|xai)-[A-Za-z0-9_-]{8,}"
)


def folder_of(configured: str) -> Path:
    """A relative folder lives under Chinwag's home, like every other file it writes."""
    path = Path(configured).expanduser()
    return path if path.is_absolute() else paths.home() / path


def _scrub(value: Any) -> Any:
    """Redact text under credential-like names (headers, extra body), at any depth."""
    if isinstance(value, dict):
        return {
            k: REDACTED
            if isinstance(v, str) and v and _SENSITIVE_NAME.search(str(k))
            else _scrub(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def secrets_of(request: ChatRequest) -> list[str]:
    config = request.config
    found = [
        secret.get_secret_value()
        for secret in (config.api_key, config.aws_access_key_id, config.aws_secret_access_key)
        if secret is not None
    ]
    return [value for value in found if len(value) >= 4]


def redact_text(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = logs.redact(text)
    return _KEY_SHAPES.sub(lambda m: (m.group(1) or "") + REDACTED, text)


def write(request: ChatRequest, response: dict[str, Any]) -> Path:
    """Write the call's log file and return its path."""
    entry = {
        "timestamp": time.time(),
        "usage_id": request.config.usage_id,
        "handle": request.handle,
        "conversation_id": request.conversation_id,
        "request": {
            "config": _scrub(request.config.model_dump(mode="json")),
            "messages": request.messages,
            "extra": _scrub(request.extra),
        },
        "response": response,
    }
    text = redact_text(json.dumps(entry, indent=2, ensure_ascii=False), secrets_of(request))
    folder = folder_of(request.config.log_completions_folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-{request.config.usage_id}-{uuid.uuid4().hex[:8]}"
    path = folder / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    return path
