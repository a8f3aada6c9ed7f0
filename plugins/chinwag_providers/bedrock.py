"""AWS Bedrock through the Converse API, authenticated with a Bedrock API key.

A Bedrock API key is a bearer token (what AWS_BEARER_TOKEN_BEDROCK holds); it goes in
the keyring like any other key, and the region is a non-secret option.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chinwag.api import Provider, ProviderOptions, RegisterProvider, hookimpl, model_lists
from chinwag_providers.common import ResponseFormatSettings


class BedrockModelSettings(ResponseFormatSettings):
    provider_type: Literal["bedrock"] = "bedrock"


class BedrockOptions(ProviderOptions):
    aws_region_name: str | None = Field(None, description="AWS region, e.g. us-east-1")

    def to_litellm(self) -> dict[str, Any]:
        return {"aws_region_name": self.aws_region_name} if self.aws_region_name else {}


@hookimpl
def register_providers(register: RegisterProvider) -> None:
    register(
        Provider(
            id="bedrock",
            display_name="AWS Bedrock",
            settings_type=BedrockModelSettings,
            options_type=BedrockOptions,
            required_options=["aws_region_name"],
            litellm_prefix="bedrock/converse",
            key_name="bedrock",
            key_env_var="AWS_BEARER_TOKEN_BEDROCK",
            list_models=lambda: model_lists.from_litellm("bedrock_converse", "bedrock"),
        )
    )
