"""Hostile input: a malformed settings file, invalid UTF-8, NUL bytes, 1 MB single lines,
plugins that raise or hang at import. Nothing crashes, nothing is lost."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.store import Store
from chinwag.core.types import Conversation, Message, Role

MEGABYTE_LINE = ("word " * 209_715)[:1_048_576]


# -- settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"{ this is not json",
        b"\xff\xfe\x00garbage \xc3\x28",
        b"[1, 2, 3]",
        b"\x00" * 64,
        b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
    ids=["not-json", "invalid-utf8", "a-list", "nul-bytes", "nested-100k-deep"],
)
def test_a_malformed_settings_file_is_kept_aside_and_defaults_used(
    home: Path, cli: Any, content: bytes
) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.json").write_bytes(content)
    run = cli("conversations", "list", "--json")
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "Settings could not be read" in run.stderr
    kept = [p for p in home.iterdir() if p.name.startswith("settings.json.invalid-")]
    assert len(kept) == 1 and kept[0].read_bytes() == content  # the user's file, unchanged
    assert not (home / "settings.json").exists() or (home / "settings.json").read_bytes() != content


def test_fields_of_the_wrong_type_are_reset_alone_and_the_file_kept(home: Path, cli: Any) -> None:
    home.mkdir(parents=True, exist_ok=True)
    content = b'{"font_size": "enormous", "theme": 42, "max_budget_per_task": 3}'
    (home / "settings.json").write_bytes(content)
    for _start in range(2):
        run = cli("budget", "show", "--json")
        assert run.code == 0, run.stderr
        assert "Traceback" not in run.stderr
        assert "Settings: font_size in" in run.stderr and "Settings: theme in" in run.stderr
        assert run.json()["default_per_conversation"] == 3  # the valid field is kept
        assert (home / "settings.json").read_bytes() == content
    assert cli("budget", "set", "--default", "5").code == 0  # writes its own key only
    assert json.loads((home / "settings.json").read_bytes()) == {
        "font_size": "enormous", "theme": 42, "max_budget_per_task": 5.0,
    }  # fmt: skip


# -- text through the store -----------------------------------------------------------


def test_nul_bytes_and_a_megabyte_line_survive_the_store_and_search(store: Store) -> None:
    c = store.create_conversation(Conversation(title="odd \x00 title"))
    nul = store.add_message(Message.of_text(c.id, Role.USER, "before\x00after needle"))
    big = store.add_message(Message.of_text(c.id, Role.USER, MEGABYTE_LINE + " haystackend"))
    assert store.get_message(nul.id).text == "before\x00after needle"
    assert store.get_message(big.id).text == MEGABYTE_LINE + " haystackend"
    assert [x.id for x in store.list_conversations(search="haystackend")] == [c.id]
    assert [x.id for x in store.list_conversations(search="needle")] == [c.id]
    assert store.get_conversation(c.id).title == "odd \x00 title"
    assert store.integrity_ok()


# -- text through the CLI -------------------------------------------------------------


def no_model_cli(cli: Any, *args: str, input: bytes | None = None) -> Any:
    """The CLI with no plugins at all: no model, so only the input handling is exercised."""
    import subprocess
    import sys

    env = {**os.environ, "CHINWAG_LOAD_PLUGINS": ""}
    done = subprocess.run(
        [sys.executable, "-m", "chinwag", *args],
        input=input,
        capture_output=True,
        env=env,
        timeout=120,
    )
    return done


def test_invalid_utf8_and_nul_bytes_on_stdin_are_stored_not_fatal(home: Path, cli: Any) -> None:
    done = no_model_cli(cli, "chat", input=b"caf\xe9 \xff\xfe and a nul \x00 here")
    assert done.returncode == 1  # no model here; the prompt itself was fine
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr and "no model is available" in stderr
    listed = json.loads(no_model_cli(cli, "conversations", "list", "--json").stdout)
    shown = json.loads(no_model_cli(cli, "conversations", "show", listed[0]["id"], "--json").stdout)
    assert shown["messages"][0]["text"] == "caf\ufffd \ufffd\ufffd and a nul \x00 here"


@pytest.mark.local_model
def test_a_megabyte_prompt_fails_clearly_and_is_kept(cli: Any, with_model: Path) -> None:
    run = cli("chat", "--json", input=MEGABYTE_LINE, timeout=600)
    assert run.code == 1
    assert "Traceback" not in run.stderr
    reply = run.json()
    assert reply["status"] == "error"
    shown = cli("conversations", "show", reply["conversation_id"], "--json").json()
    user, assistant = shown["messages"]
    assert user["text"] == MEGABYTE_LINE  # nothing lost
    assert assistant["status"] == "error" and assistant["error"]
    assert "\n" not in assistant["error"] and len(assistant["error"]) < 300


# -- plugins ---------------------------------------------------------------------------


def fixture_plugin(root: Path, name: str, body: str) -> None:
    """An installed distribution with one `chinwag` entry point, made by hand."""
    package = root / f"chinwag_test_{name}"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(body))
    info = root / f"chinwag_test_{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: chinwag-test-{name}\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text(f"[chinwag]\n{name} = chinwag_test_{name}\n")


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.delenv("CHINWAG_LOAD_PLUGINS", raising=False)
    return root


def test_a_plugin_that_raises_at_import_is_disabled_and_the_rest_works(
    plugin_dir: Path, cli: Any, with_model: Path
) -> None:
    fixture_plugin(plugin_dir, "raises", "raise RuntimeError('boom at import')\n")
    records = {r["name"]: r for r in cli("plugins", "--json").json()}
    assert records["raises"]["status"] == "failed"
    assert "boom at import" in records["raises"]["error"]
    assert records["local"]["status"] == "ok"
    models = cli("models", "--json")
    assert models.code == 0 and "Traceback" not in models.stderr
    assert any(m["provider"] == "local" for m in models.json())
    assert "raises failed to load" in models.stderr


def test_a_plugin_that_exits_at_import_does_not_take_the_app_down(
    plugin_dir: Path, cli: Any, with_model: Path
) -> None:
    fixture_plugin(plugin_dir, "exits", "import sys\nsys.exit(3)\n")
    models = cli("models", "--json")
    assert models.code == 0
    assert any(m["provider"] == "local" for m in models.json())


def test_a_plugin_that_hangs_at_import_is_given_up_on(
    plugin_dir: Path, cli: Any, with_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixture_plugin(plugin_dir, "hangs", "import time\ntime.sleep(3600)\n")
    monkeypatch.setenv("CHINWAG_PLUGIN_IMPORT_TIMEOUT", "2")
    models = cli("models", "--json", timeout=60)
    assert models.code == 0
    assert any(m["provider"] == "local" for m in models.json())
    plugins = cli("plugins", "--json", timeout=60).json()
    hung = [p for p in plugins if p["status"] == "failed"]
    assert hung and "gave up" in hung[0]["error"]
