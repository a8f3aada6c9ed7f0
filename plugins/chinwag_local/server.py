"""The built-in llama.cpp server (xllamacpp), started on demand on a free loopback port.

One model is served at a time, behind a random API key. llama.cpp unloads the model
after `IDLE_SECONDS` without requests and reloads it on the next one; the server stops
when the process exits.
"""

from __future__ import annotations

import atexit
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from chinwag.api import Endpoint

IDLE_SECONDS = 300
CONTEXT_PER_SLOT = int(os.environ.get("CHINWAG_LOCAL_N_CTX", "4096"))
SLOTS = 2  # two conversations may stream at once


class LocalServer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._server: Any = None
        self._model_path: Path | None = None
        self._endpoint: Endpoint | None = None
        atexit.register(self.stop)

    def endpoint(self, model_path: Path) -> Endpoint:
        with self._lock:
            if self._endpoint is None or self._model_path != model_path:
                self._stop_locked()
                self._endpoint = self._start(model_path)
                self._model_path = model_path
            return self._endpoint

    def _start(self, model_path: Path) -> Endpoint:
        import xllamacpp

        key = secrets.token_urlsafe(24)
        params = xllamacpp.CommonParams()
        params.model.path = str(model_path)
        params.hostnames = ["127.0.0.1"]
        params.port = 0
        params.api_keys = [key]
        params.n_ctx = CONTEXT_PER_SLOT * SLOTS
        params.n_parallel = SLOTS
        params.sleep_idle_seconds = IDLE_SECONDS
        params.ui = False
        params.verbosity = -1
        self._server = xllamacpp.Server(params)
        address = str(self._server.listening_address)
        if not address.startswith("http://127.0.0.1:"):
            self._stop_locked()
            raise RuntimeError(f"the local model server bound {address}, not loopback")
        return Endpoint(base_url=f"{address}/v1", api_key=SecretStr(key))

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        self._server = None  # xllamacpp stops the server when the object is released
        self._endpoint = None
        self._model_path = None

    @property
    def running(self) -> bool:
        return self._server is not None
