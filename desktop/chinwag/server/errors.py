"""Every error is JSON ({"detail": ...}); domain errors map to their HTTP status here."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chinwag.core.llm.catalog import MissingKey, UnknownModel
from chinwag.server.adapter import CallFailed

log = logging.getLogger(__name__)


def _json(status: int, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail})


def install(app: FastAPI) -> None:
    @app.exception_handler(UnknownModel)
    async def unknown_model(request: Request, error: UnknownModel) -> JSONResponse:
        return _json(404, str(error))

    @app.exception_handler(MissingKey)
    async def missing_key(request: Request, error: MissingKey) -> JSONResponse:
        return _json(400, str(error))

    @app.exception_handler(CallFailed)
    async def call_failed(request: Request, error: CallFailed) -> JSONResponse:
        return _json(502, f"the model call failed: {error}")


class CatchAll:
    """Any unexpected error becomes a JSON 500 naming only its type.

    Outermost, so neither the traceback nor the message (which could quote a provider's
    error text) reaches a log or a client.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            name = type(error).__name__
            log.error("unexpected %s in %s %s", name, scope.get("method"), scope.get("path"))
            if started or scope["type"] != "http":
                return
            response = JSONResponse(status_code=500, content={"detail": f"internal error ({name})"})
            await response(scope, receive, send)
