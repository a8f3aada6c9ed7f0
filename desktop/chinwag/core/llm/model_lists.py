"""Model lists for provider plugins: litellm's model map, and live `/models` endpoints.

The map is read from the JSON file litellm ships (the data `litellm.model_cost` holds
when LITELLM_LOCAL_MODEL_COST_MAP is set) without importing litellm, which takes seconds:
listing models must stay cheap enough for the settings dialog and `chinwag models`.
Live listings make an HTTP request, so only an explicit request (`chinwag models --live`,
a Refresh button) calls them.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Any

from chinwag.core.llm.provider import ModelInfo, ModelSource

MAP_FILE = "model_prices_and_context_window_backup.json"
LIVE_TIMEOUT_SECONDS = 10


@functools.cache
def _model_map() -> dict[str, Any]:
    spec = importlib.util.find_spec("litellm")  # finds the package without importing it
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / MAP_FILE
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.pop("sample_spec", None)
    return data


@functools.cache
def _known(litellm_providers: tuple[str, ...]) -> tuple[ModelInfo, ...]:
    found: dict[str, ModelInfo] = {}
    for key, entry in _model_map().items():
        if not isinstance(entry, dict) or entry.get("mode") not in ("chat", "responses"):
            continue
        provider = entry.get("litellm_provider")
        if provider not in litellm_providers:
            continue
        name = key.split("/", 1)[1] if key.startswith(f"{provider}/") else key
        found.setdefault(
            name,
            ModelInfo(
                name=name,
                context_window=entry.get("max_input_tokens") or entry.get("max_tokens"),
                input_cost_per_token=entry.get("input_cost_per_token"),
                output_cost_per_token=entry.get("output_cost_per_token"),
                supports_vision=bool(entry.get("supports_vision")),
            ),
        )
    return tuple(sorted(found.values(), key=lambda m: m.name))


def from_litellm(*litellm_providers: str) -> list[ModelInfo]:
    """The chat models litellm knows for these of its provider names, with prices."""
    return list(_known(tuple(litellm_providers)))


def known_info(litellm_providers: tuple[str, ...], name: str) -> ModelInfo:
    """What litellm knows of one model; just its name when it knows nothing."""
    return next((m for m in _known(litellm_providers) if m.name == name), ModelInfo(name=name))


def get_json(url: str, headers: dict[str, str]) -> Any:
    import urllib.request  # here, not at the top: it pulls in ssl and email (~30 ms)

    request = urllib.request.Request(url, headers={"Accept": "application/json", **headers})
    with urllib.request.urlopen(request, timeout=LIVE_TIMEOUT_SECONDS) as response:
        return json.loads(response.read())


def openai_style(source: ModelSource, *litellm_providers: str) -> list[ModelInfo]:
    """GET {base_url}/models (OpenAI's shape: {"data": [{"id": ...}]}), enriched from the map."""
    headers = {}
    if source.api_key is not None:
        headers["Authorization"] = f"Bearer {source.api_key.get_secret_value()}"
    body = get_json(f"{source.base_url.rstrip('/')}/models", headers)
    items = body if isinstance(body, list) else body.get("data", [])  # Together: a bare list
    names = sorted({str(item["id"]) for item in items if "id" in item})
    return [known_info(tuple(litellm_providers), name) for name in names]
