import json

import pytest
from pydantic import SecretStr, ValidationError

from chinwag.core.llm.config import REDACTED, LLMConfig


def test_defaults_match_the_openhands_schema() -> None:
    config = LLMConfig()
    assert config.model == "claude-sonnet-4-20250514"
    assert (config.num_retries, config.retry_multiplier) == (5, 8)
    assert (config.retry_min_wait, config.retry_max_wait) == (8, 64)
    assert config.timeout == 300
    assert config.max_message_chars == 30000
    assert config.top_p == 1
    assert config.reasoning_effort == "high"
    assert config.extended_thinking_budget == 200000
    assert config.usage_id == "default"
    assert config.log_completions_folder == "logs/completions"


@pytest.mark.parametrize(
    "field,value",
    [
        ("num_retries", -1),
        ("top_p", 1.5),
        ("max_output_tokens", 0),
        ("timeout", -5),
        ("reasoning_effort", "extreme"),
        ("input_cost_per_token", -0.1),
        ("no_such_field", 1),
    ],
)
def test_out_of_bounds_values_are_rejected(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        LLMConfig(**{field: value})


def test_secrets_are_redacted_on_every_dump() -> None:
    config = LLMConfig(
        api_key=SecretStr("sk-live-123456"),
        aws_access_key_id=SecretStr("AKIA-ID-999"),
        aws_secret_access_key=SecretStr("aws-secret-777"),
    )
    dumps = [
        config.model_dump_json(),
        json.dumps(config.model_dump(mode="json")),
        repr(config),
        str(config),
    ]
    for text in dumps:
        for secret in ("sk-live-123456", "AKIA-ID-999", "aws-secret-777"):
            assert secret not in text
    assert config.model_dump(mode="json")["api_key"] == REDACTED


def test_secrets_are_exposed_only_when_asked() -> None:
    config = LLMConfig(api_key=SecretStr("sk-live-123456"))
    exposed = config.model_dump(context={"expose_secrets": True})
    assert exposed["api_key"] == "sk-live-123456"
