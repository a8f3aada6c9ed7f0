"""The first-party provider plugins: all load, carry exactly Letta's settings, list models."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from chinwag.core.llm.catalog import Catalog, MissingKey, ProviderNotReady
from chinwag.core.llm.provider import ModelSource, Provider
from chinwag.core.system.keys import KeyStore
from chinwag.core.system.settings import Settings
from chinwag.plugins import load_plugins
from tests.plugins.wire import WireServer, openai_chat_sse

COMMON = {"provider_type", "max_output_tokens", "parallel_tool_calls", "temperature"}
OPENAI_LIKE = COMMON | {"response_format"}
# Letta's Conversations API model_settings union, one entry per provider_type.
LETTA_FIELDS = {
    "openai": OPENAI_LIKE | {"reasoning", "strict"},
    "sglang": OPENAI_LIKE | {"reasoning", "strict", "tool_call_parser"},
    "anthropic": OPENAI_LIKE | {"effort", "strict", "thinking", "verbosity"},
    "google_ai": COMMON | {"response_schema", "thinking_config"},
    "google_vertex": COMMON | {"response_schema", "thinking_config"},
    "azure": OPENAI_LIKE,
    "xai": OPENAI_LIKE,
    "zai": OPENAI_LIKE | {"thinking"},
    "groq": OPENAI_LIKE,
    "deepseek": OPENAI_LIKE,
    "together": OPENAI_LIKE,
    "bedrock": OPENAI_LIKE,
    "openrouter": OPENAI_LIKE,
    "chatgpt_oauth": COMMON | {"reasoning"},
}
FIRST_PARTY = {*LETTA_FIELDS, "ollama", "openai_compatible", "local"}


@pytest.fixture(scope="module")
def providers() -> dict[str, Provider]:
    host = load_plugins()
    return {p: host.providers[p] for p in FIRST_PARTY}


def test_every_first_party_plugin_loads_ok_through_its_entry_point(cli: Any) -> None:
    run = cli("plugins", "--json")
    assert run.code == 0, run.stderr
    records = {r["name"]: r for r in run.json()}
    assert set(records) >= FIRST_PARTY
    for name in FIRST_PARTY:
        assert (records[name]["status"], records[name]["providers"]) == ("ok", [name])
        assert records[name]["distribution"] == "chinwag"


@pytest.mark.parametrize("provider_type", sorted(LETTA_FIELDS))
def test_settings_have_exactly_letta_fields(
    providers: dict[str, Provider], provider_type: str
) -> None:
    settings_type = providers[provider_type].settings_type
    assert set(settings_type.model_fields) == LETTA_FIELDS[provider_type]
    assert settings_type().provider_type == provider_type
    assert settings_type.model_json_schema()["properties"]  # the settings form renders it
    with pytest.raises(ValidationError):
        settings_type.model_validate({"no_such_field": 1})


def test_settings_map_to_litellm_arguments(providers: dict[str, Provider]) -> None:
    def mapped(provider: str, **fields: Any) -> dict[str, Any]:
        return providers[provider].settings_type.model_validate(fields).to_litellm()

    assert mapped("openai", reasoning={"reasoning_effort": "minimal"}) == {
        "reasoning_effort": "minimal"
    }
    assert mapped("anthropic", thinking={"type": "disabled", "budget_tokens": 99}) == {
        "thinking": {"type": "disabled"}
    }
    assert mapped("anthropic", verbosity="low", max_output_tokens=5) == {
        "verbosity": "low",
        "max_tokens": 5,
    }
    assert mapped("google_vertex", thinking_config={"include_thoughts": False}) == {
        "thinking": {"type": "disabled"}
    }
    assert mapped("chatgpt_oauth", reasoning={"reasoning_effort": "xhigh"}) == {
        "reasoning_effort": "xhigh"
    }
    assert mapped("sglang", tool_call_parser="hermes") == {}  # a server option, not sent
    with pytest.raises(ValidationError):
        mapped("chatgpt_oauth", reasoning={"reasoning_effort": "minimal"})  # not for ChatGPT


@pytest.mark.parametrize(
    ("provider", "some_model"),
    [
        ("openai", "gpt-4o"),
        ("anthropic", "claude-sonnet-4-5"),
        ("google_ai", "gemini-2.5-flash"),
        ("google_vertex", "gemini-2.5-flash"),
        ("azure", "gpt-4o"),
        ("xai", "grok-4.20"),
        ("zai", "glm-4.6"),
        ("groq", "openai/gpt-oss-120b"),
        ("deepseek", "deepseek-chat"),
        ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
        ("bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0"),
        ("chatgpt_oauth", "gpt-5.2"),
    ],
)
def test_known_models_come_from_litellms_map_with_context_and_prices(
    providers: dict[str, Provider], provider: str, some_model: str
) -> None:
    models = {m.name: m for m in providers[provider].list_models()}
    info = models[some_model]
    assert info.context_window and info.context_window > 1000
    if provider != "chatgpt_oauth":  # billed to the ChatGPT plan, not per token
        assert info.input_cost_per_token and info.output_cost_per_token


def test_listing_models_does_not_import_litellm() -> None:
    code = (
        "import sys, chinwag.app as app\n"
        "services = app.build()\n"
        "n = sum(len(p.list_models()) for p in services.plugins.providers.values())\n"
        "print(n, 'litellm' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, imported = out.stdout.split()
    assert int(count) > 500 and imported == "False"


def catalog(providers: dict[str, Provider], **options: dict[str, Any]) -> Catalog:
    return Catalog(providers, KeyStore(), Settings(provider_options=options))


def test_a_provider_litellm_cannot_serve_says_so_clearly(providers: dict[str, Provider]) -> None:
    with pytest.raises(ProviderNotReady, match="ChatGPT sign-in is not supported"):
        catalog(providers).config_for("chatgpt_oauth/gpt-5.2")


def test_vertex_says_what_it_lacks_in_this_installation(providers: dict[str, Provider]) -> None:
    import importlib.util

    has_google_auth = importlib.util.find_spec("google") is not None
    cat = catalog(providers, google_vertex={"vertex_project": "p1"})
    if has_google_auth:
        assert cat.not_ready(providers["google_vertex"]) is None
    else:
        with pytest.raises(ProviderNotReady, match="needs the google-auth package"):
            cat.config_for("google_vertex/gemini-2.5-flash")


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("azure/gpt-4o", "Azure OpenAI needs base_url"),
        ("bedrock/x", "AWS Bedrock needs aws_region_name"),
        ("ollama/llama3.2", "Ollama needs base_url"),
        ("openai_compatible/m", "needs base_url"),
    ],
)
def test_a_provider_missing_an_option_names_it(
    providers: dict[str, Provider], handle: str, message: str
) -> None:
    with pytest.raises(ProviderNotReady, match=message):
        catalog(providers).config_for(handle)


@pytest.mark.keyring
def test_a_missing_key_names_the_command_and_the_variable(
    providers: dict[str, Provider], monkeypatch: pytest.MonkeyPatch, keys: KeyStore
) -> None:
    keys.delete("xai")
    monkeypatch.delenv("XAI_API_KEY", raising=False)
    with pytest.raises(MissingKey, match=r"chinwag keys set xai.*XAI_API_KEY"):
        catalog(providers).config_for("xai/grok-3")


def test_options_reach_the_call(
    providers: dict[str, Provider], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_API_KEY", "sk-azure-from-env-000001")
    vertex = providers["google_vertex"]
    cat = catalog(providers, google_vertex={"vertex_project": "p1", "vertex_location": "eu"})
    assert cat.call_extra(vertex, {"temperature": 0.1}) == {
        "vertex_project": "p1",
        "vertex_location": "eu",
        "temperature": 0.1,
    }
    azure = catalog(providers, azure={"base_url": "http://127.0.0.1:1", "timeout": 9})
    config = azure.config_for("azure/gpt-4o")
    assert (config.base_url, config.timeout) == ("http://127.0.0.1:1", 9)
    assert azure.call_extra(providers["azure"], None) == {"api_version": "2024-10-21"}


LIVE = [
    ("openai", "/models", {"data": [{"id": "gpt-4o"}, {"id": "my-finetune"}]}),
    ("together", "/models", [{"id": "meta-llama/Llama-3.3-70B-Instruct-Turbo"}]),
    ("anthropic", "/v1/models", {"data": [{"id": "claude-sonnet-4-5"}]}),
    (
        "google_ai",
        "/v1beta/models",
        {
            "models": [
                {
                    "name": "models/gemini-2.5-flash",
                    "supportedGenerationMethods": ["generateContent"],
                },
                {"name": "models/embedding-001", "supportedGenerationMethods": ["embedContent"]},
            ]
        },
    ),
    ("ollama", "/api/tags", {"models": [{"name": "llama3.2:latest"}]}),
    ("openai_compatible", "/models", {"data": [{"id": "qwen2.5-7b"}]}),
]


@pytest.mark.parametrize(("provider", "path", "body"), LIVE, ids=[c[0] for c in LIVE])
def test_live_listing_asks_the_models_endpoint(
    providers: dict[str, Provider], provider: str, path: str, body: Any
) -> None:
    with WireServer(openai_chat_sse([]), json_routes={path: body}) as server:
        source = ModelSource(base_url=server.url, api_key=SecretStr("sk-live-listing-key-01"))
        live = providers[provider].live_models
        assert live is not None
        names = [m.name for m in live(source)]
    expected = {
        "openai": ["gpt-4o", "my-finetune"],
        "together": ["meta-llama/Llama-3.3-70B-Instruct-Turbo"],
        "anthropic": ["claude-sonnet-4-5"],
        "google_ai": ["gemini-2.5-flash"],
        "ollama": ["llama3.2:latest"],
        "openai_compatible": ["qwen2.5-7b"],
    }[provider]
    assert names == expected
    headers = server.requests[0].headers
    sent = json.dumps(headers)
    assert provider == "ollama" or "sk-live-listing-key-01" in sent


def test_models_live_merges_the_listing_and_reports_failures(
    cli: Any, provider_options: Any
) -> None:
    with WireServer(openai_chat_sse([]), json_routes={"/models": {"data": [{"id": "m-1"}]}}) as s:
        provider_options(
            {
                "openai_compatible": {"base_url": s.url},
                "sglang": {"base_url": "http://127.0.0.1:9"},  # nothing listens there
            }
        )
        run = cli("models", "--live", "--json")
    assert run.code == 0, run.stderr
    assert "openai_compatible/m-1" in [m["handle"] for m in run.json()]
    assert "SGLang: live listing failed" in run.stderr


def test_settings_of_another_provider_type_are_set_aside(providers: dict[str, Provider]) -> None:
    anthropic_settings = {"provider_type": "anthropic", "effort": "high", "temperature": 0.3}
    cat = catalog(providers)
    assert cat.call_extra(providers["openai"], anthropic_settings) == {}
    assert cat.call_extra(providers["anthropic"], anthropic_settings) == {
        "output_config": {"effort": "high"},
        "temperature": 0.3,
    }
    with pytest.raises(ValidationError):  # the right type with a wrong field still fails
        cat.call_extra(providers["openai"], {"provider_type": "openai", "effort": "high"})
