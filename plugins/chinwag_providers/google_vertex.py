"""Google Vertex AI: Gemini (and partner models) in a Google Cloud project.

Vertex authenticates with Google Cloud credentials, not an API key: litellm uses the
application-default credentials (`gcloud auth application-default login`), which live in
gcloud's own store. Chinwag keeps no secret for it; the project and region are options.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chinwag.core import model_lists
from chinwag.core.provider import Provider, ProviderOptions
from chinwag.hookspecs import RegisterProvider, hookimpl
from chinwag_providers.google import GoogleModelSettings


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
        )
    )
