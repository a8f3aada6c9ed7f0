"""Google Vertex AI: Gemini (and partner models) in a Google Cloud project.

Vertex authenticates with Google Cloud credentials, not an API key: litellm uses the
application-default credentials (`gcloud auth application-default login`), which live in
gcloud's own store. Chinwag keeps no secret for it; the project and region are options.
"""

from __future__ import annotations

import importlib.util
from typing import Any, Literal

from pydantic import Field

from chinwag.api import Provider, ProviderOptions, RegisterProvider, hookimpl, model_lists
from chinwag_providers.google import GoogleModelSettings

NO_GOOGLE_AUTH = (
    "Vertex AI needs the google-auth package, which litellm uses to sign in with your "
    "Google Cloud credentials, and this installation does not include it: install "
    "google-auth next to Chinwag, or use Google AI (Gemini API) with an API key."
)


def unavailable() -> str | None:
    """Checked without importing: google-auth is optional and not in Chinwag's lock."""
    try:
        found = importlib.util.find_spec("google.auth") is not None
    except ModuleNotFoundError:  # no `google` namespace package at all
        found = False
    return None if found else NO_GOOGLE_AUTH


class GoogleVertexModelSettings(GoogleModelSettings):
    provider_type: Literal["google_vertex"] = "google_vertex"


class VertexOptions(ProviderOptions):
    vertex_project: str | None = Field(None, description="Google Cloud project id")
    vertex_location: str | None = Field("us-central1", description="region, e.g. us-central1")

    def to_litellm(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump(exclude={"base_url"}).items() if v}


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="google_vertex",
            display_name="Google Vertex AI",
            settings_type=GoogleVertexModelSettings,
            options_type=VertexOptions,
            required_options=["vertex_project"],
            litellm_prefix="vertex_ai",
            needs_key=False,
            list_models=lambda: model_lists.from_litellm("vertex_ai-language-models"),
            unavailable=unavailable(),
        )
    )
