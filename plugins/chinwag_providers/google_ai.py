"""Google AI Studio: the Gemini API with an API key."""

from __future__ import annotations

from typing import Literal

from chinwag.api import ModelInfo, ModelSource, Provider, RegisterProvider, hookimpl, model_lists
from chinwag_providers.google import GoogleModelSettings


class GoogleAIModelSettings(GoogleModelSettings):
    provider_type: Literal["google_ai"] = "google_ai"


def live_models(source: ModelSource) -> list[ModelInfo]:
    headers = {}
    if source.api_key is not None:
        headers["x-goog-api-key"] = source.api_key.get_secret_value()
    body = model_lists.get_json(f"{source.base_url.rstrip('/')}/v1beta/models", headers)
    names = sorted(
        str(item["name"]).removeprefix("models/")
        for item in body.get("models", [])
        if "generateContent" in item.get("supportedGenerationMethods", [])
    )
    return [model_lists.known_info(("gemini",), name) for name in names]


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="google_ai",
            display_name="Google AI (Gemini API)",
            settings_type=GoogleAIModelSettings,
            litellm_prefix="gemini",
            key_name="google_ai",
            key_env_var="GEMINI_API_KEY",
            base_url="https://generativelanguage.googleapis.com",
            list_models=lambda: model_lists.from_litellm("gemini"),
            live_models=live_models,
        )
    )
