"""Every error is JSON ({"detail": ...}); domain errors map to their HTTP status here."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from chinwag.core.catalog import MissingKey, UnknownModel
from chinwag.server.adapter import CallFailed, NotSupported

log = logging.getLogger(__name__)


def _json(status: int, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail})


def install(app: FastAPI) -> None:
    @app.exception_handler(NotSupported)
    async def not_supported(request: Request, error: NotSupported) -> JSONResponse:
        return _json(501, str(error))

    @app.exception_handler(UnknownModel)
    async def unknown_model(request: Request, error: UnknownModel) -> JSONResponse:
        return _json(404, str(error))

    @app.exception_handler(MissingKey)
    async def missing_key(request: Request, error: MissingKey) -> JSONResponse:
        return _json(400, str(error))

    @app.exception_handler(CallFailed)
    async def call_failed(request: Request, error: CallFailed) -> JSONResponse:
        return _json(502, f"the model call failed: {error}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        # The type only: a message could quote a secret from a provider's error text.
        log.error("unexpected %s in %s %s", type(error).__name__, request.method, request.url.path)
        return _json(500, f"internal error ({type(error).__name__})")
