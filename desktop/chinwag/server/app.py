"""The ASGI application: every route behind the bearer token, JSON errors, a body limit."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from pydantic import SecretStr

from chinwag import __version__
from chinwag.app import Services
from chinwag.server import (
    errors,
    letta_agents,
    letta_conversations,
    letta_messages,
    openai_api,
    titles_api,
)
from chinwag.server.auth import TokenCheck
from chinwag.server.limits import MAX_BODY_BYTES, BodyLimit
from chinwag.server.runs import Runs


def create_app(services: Services, token: SecretStr, max_body: int = MAX_BODY_BYTES) -> FastAPI:
    """No CORS middleware: browsers on other origins get no access (CORS off by default)."""
    check = TokenCheck(token)
    app = FastAPI(
        title="Chinwag local API",
        version=__version__,
        description="Letta Conversations, the OpenHands title endpoint and an OpenAI-compatible "
        "gateway over the conversations and models of the Chinwag desktop app.",
        dependencies=[Depends(check)],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # published below, behind the token like every other route
    )
    app.state.token_check = check  # the in-app server swaps in a regenerated token
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(errors.CatchAll)  # added last: the outermost of ours
    errors.install(app)
    runs = Runs()
    app.include_router(openai_api.router(services))
    app.include_router(titles_api.router(services))
    app.include_router(letta_agents.router(services))
    app.include_router(letta_conversations.router(services, runs))
    app.include_router(letta_messages.router(services, runs))

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> dict[str, Any]:
        return app.openapi()

    return app
