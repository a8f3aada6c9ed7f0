"""After a round of use with an API key in the real OS keyring, the key is nowhere on disk
under CHINWAG_HOME, in any log, or in anything the CLI printed, even when the server quotes
the key back in an error message."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from chinwag.core.system.keys import KeyStore
from chinwag.core.system.settings import Settings, save
from chinwag.core.types import MessageStatus
from tests.resilience.conftest import Upstream
from tests.support.fault_proxy import Fault, FaultProxy

pytestmark = [pytest.mark.keyring, pytest.mark.local_model]

KEY_NAME = "chinwag-test-secret-provider"
PLUGIN = """
import os
from chinwag.core.llm.provider import Endpoint, ModelInfo, Provider
from chinwag.hookspecs import hookimpl


@hookimpl
def register_providers(register):
    register(
        Provider(
            id="secretive",
            display_name="A keyed provider behind the fault proxy",
            litellm_prefix="openai",
            key_name={key_name!r},
            base_url=os.environ["CHINWAG_TEST_PROXY_URL"] + "/v1",
            list_models=lambda: [ModelInfo(name={model!r})],
        )
    )
"""


def install_plugin(root: Path, model: str) -> None:
    package = root / "chinwag_test_secretive"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        textwrap.dedent(PLUGIN.format(key_name=KEY_NAME, model=model))
    )
    info = root / "chinwag_test_secretive-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: chinwag-test-secretive\n")
    (info / "entry_points.txt").write_text("[chinwag]\nsecretive = chinwag_test_secretive\n")


@pytest.fixture
def secret() -> Any:
    value = "sk-test-" + os.urandom(12).hex()
    keys = KeyStore()
    keys.set(KEY_NAME, SecretStr(value))
    yield value
    keys.delete(KEY_NAME)


def files_containing(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_the_key_never_reaches_disk_logs_or_output(
    home: Path,
    tmp_path: Path,
    cli: Any,
    secret: str,
    proxy: FaultProxy,
    upstream: Upstream,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = tmp_path / "site"
    install_plugin(site, upstream.model)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("CHINWAG_TEST_PROXY_URL", proxy.url)
    monkeypatch.setenv("CHINWAG_LOAD_PLUGINS", "chinwag-test-secretive,chinwag")
    home.mkdir(parents=True, exist_ok=True)
    # Capped and greedy: an uncapped reply from the 135M model may run to its 4,096-token
    # context, and the next turn then overflows it (CI saw a 400 for 4,110 tokens).
    options = {"num_retries": 1, "retry_min_wait": 0, "retry_multiplier": 0.05,
               "temperature": 0, "max_output_tokens": 60}  # fmt: skip
    save(Settings(default_model=f"secretive/{upstream.model}",
                  provider_options={"secretive": options}))  # fmt: skip
    outputs: list[str] = []

    def run(*args: str) -> Any:
        result = cli(*args, timeout=300)
        outputs.extend([result.stdout, result.stderr])
        return result

    # a good reply, a retried one, and one whose error quotes the key back
    first = run("chat", "--json", "Say hello.")
    assert first.code == 0, first.stderr
    proxy.plan = [Fault("status", status=500)]
    assert run("chat", "--json", "-c", first.json()["conversation_id"], "And again.").code == 0
    proxy.plan = [Fault("echo_auth")]
    leaked = run("chat", "--json", "Once more.")
    assert leaked.code == 1
    assert leaked.json()["status"] == MessageStatus.ERROR.value
    run("conversations", "list", "--json")
    run("conversations", "show", first.json()["conversation_id"], "--json")
    run("models", "--json")
    run("plugins", "--json")

    # the key really was used: read from the keyring and sent to the server
    assert proxy.exchanges and all(x.authorization == f"Bearer {secret}" for x in proxy.exchanges)
    assert "[redacted]" in leaked.json()["text"] + str(leaked.stderr) or "[redacted]" in str(
        cli("conversations", "show", leaked.json()["conversation_id"], "--json").stdout
    )
    assert files_containing(home, secret.encode()) == []
    assert all(secret not in text for text in outputs)
    logs = home / "logs"
    assert not logs.exists() or files_containing(logs, secret.encode()) == []
