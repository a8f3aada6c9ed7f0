"""The Letta agent endpoints the official client needs: Chinwag's assistants as agents."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query

from chinwag.app import Services
from chinwag.server import adapter, letta_convert
from chinwag.server.letta_schemas import AgentCreate


def _state(services: Services, assistant: adapter.Assistant) -> dict[str, Any]:
    window = None
    if assistant.model:
        window = services.calls.resolve(assistant.model).info.context_window
    return letta_convert.agent(assistant, window)


def router(services: Services) -> APIRouter:
    api = APIRouter(prefix="/v1/agents", tags=["Agents"])

    @api.get("/", response_model=list[dict[str, Any]])
    def list_agents(
        name: str | None = None,
        after: str | None = None,
        before: str | None = None,
        limit: int = Query(50, ge=1, le=1000),
    ) -> list[dict[str, Any]]:
        found = adapter.assistants(services)
        if name is not None:
            found = [a for a in found if a.name == name]
        ids = [a.id for a in found]
        if after is not None:
            found = found[ids.index(after) + 1 :] if after in ids else []
        if before is not None:
            found = found[: ids.index(before)] if before in ids else []
        return [_state(services, a) for a in found[:limit]]

    @api.get("/{agent_id}", response_model=dict[str, Any])
    def retrieve_agent(agent_id: str) -> dict[str, Any]:
        try:
            return _state(services, adapter.get_assistant(services, agent_id))
        except KeyError:
            raise HTTPException(status_code=404, detail=f"agent not found: {agent_id}") from None

    @api.post("/", response_model=dict[str, Any])
    def create_agent(body: AgentCreate) -> dict[str, Any]:
        return _state(services, adapter.create_assistant(services, body.name, body.system))

    return api
