"""Azure OpenAI: your resource's endpoint, an API version, and deployment names as models."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chinwag.api import Provider, ProviderOptions, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ResponseFormatSettings


class AzureModelSettings(ResponseFormatSettings):
    provider_type: Literal["azure"] = "azure"


class AzureOptions(ProviderOptions):
    base_url: str | None = Field(None, description="https://YOUR-RESOURCE.openai.azure.com")
    api_version: str | None = Field("2024-10-21", description="the Azure OpenAI API version")

    def to_litellm(self) -> dict[str, Any]:
        return {"api_version": self.api_version} if self.api_version else {}


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="azure",
            display_name="Azure OpenAI",
            settings_type=AzureModelSettings,
            options_type=AzureOptions,
            required_options=["base_url"],
            litellm_prefix="azure",
            key_name="azure",
            key_env_var="AZURE_API_KEY",
            list_models=lambda: model_lists.from_litellm("azure"),
        )
    )
