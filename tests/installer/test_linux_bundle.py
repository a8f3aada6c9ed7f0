"""The Linux installer end to end: build it (packaging/linux/build.sh), install the .deb's
files, open the app under Xvfb, chat once with the bundled model through the window, quit.

Runs alone with `pytest -m installer`. CHINWAG_BUILD_DIR=build/linux reuses a build made
earlier in the same CI run instead of building again (about 5 minutes on 2 cores).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.system.keys import KeyStore

pytestmark = [pytest.mark.installer, pytest.mark.keyring]

REPO = Path(__file__).resolve().parents[2]
XCB_LIBRARIES = {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"}


@dataclass
class Build:
    deb: Path
    installed: Path  # the .deb's files, unpacked as dpkg would put them under /


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    reused = os.environ.get("CHINWAG_BUILD_DIR")
    out = Path(reused) if reused else REPO / "build" / "linux"
    if not reused:
        subprocess.run([str(REPO / "packaging/linux/build.sh")], check=True, timeout=3600)
    debs = sorted(out.glob("chinwag_*_amd64.deb"))
    assert debs, f"no .deb in {out}"
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(debs[-1]), str(root)], check=True, timeout=600)
    yield Build(debs[-1], root)
    shutil.rmtree(root, ignore_errors=True)


def bundle_env(home: Path, **extra: str) -> dict[str, str]:
    """A user's environment: no models path (only the bundled model), the xcb platform."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHINWAG_", "QT_"))}
    return env | {"CHINWAG_HOME": str(home), "QT_QPA_PLATFORM": "xcb", **extra}


def run_cli(build: Build, home: Path, *args: str, input: str | None = None) -> Any:
    done = subprocess.run(
        [str(build.installed / "opt/chinwag/chinwag"), *args],
        capture_output=True, text=True, timeout=300, env=bundle_env(home), input=input,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if "--json" in args else done.stdout


def test_the_deb_declares_the_xcb_libraries_and_installs_menu_entry_icons_and_metainfo(
    build: Build,
) -> None:
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(build.deb), "Package", "Depends"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    depends = {d.strip().split(" ")[0] for d in fields.split("Depends:")[1].split(",")}
    assert depends >= XCB_LIBRARIES
    share = build.installed / "usr/share"
    assert (share / "applications/chinwag.desktop").is_file()
    assert (share / "metainfo/io.github.chinwag.Chinwag.metainfo.xml").is_file()
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (share / f"icons/hicolor/{size}x{size}/apps/chinwag.png").is_file()
    assert (share / "icons/hicolor/scalable/apps/chinwag.svg").is_file()
    assert (share / "doc/chinwag/copyright").read_text() == (REPO / "LICENSE").read_text()
    assert os.readlink(build.installed / "usr/bin/chinwag") == "/opt/chinwag/chinwag"


def test_the_app_opens_under_xvfb_chats_with_the_bundled_model_and_quits(
    build: Build, home: Path, tmp_path: Path
) -> None:
    report = tmp_path / "smoke.jsonl"
    env = bundle_env(
        home, CHINWAG_SMOKE_REPORT=str(report), CHINWAG_SMOKE_MESSAGE="Say hello in one line."
    )
    launched = time.time()
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24",
         str(build.installed / "opt/chinwag/chinwag")],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    events = {e["event"]: e for e in map(json.loads, report.read_text().splitlines())}
    assert done.returncode == 0, done.stderr[-3000:]
    shown = events["window_shown"]
    assert (shown["visible"], shown["title"]) == (True, "Chinwag")
    assert events["message_sent"]["streaming"] is True
    conversation_id = events["reply_finished"]["conversation"]
    startup = shown["at"] - launched  # from the launch (Xvfb's start included) to the window
    reply_s = events["reply_finished"]["at"] - events["message_sent"]["at"]
    print(f"\nwindow shown {startup:.1f} s after launch; the reply took {reply_s:.1f} s")

    stored = run_cli(build, home, "conversations", "show", conversation_id, "--json")
    user, reply = stored["messages"][-2:]
    assert (user["role"], user["text"]) == ("user", "Say hello in one line.")
    assert reply["role"] == "assistant" and reply["status"] == "complete"
    assert reply["text"].strip()
    assert reply["model"] == "local/SmolLM2-135M-Instruct.Q4_1"


def test_the_bundle_finds_plugins_the_user_put_in_the_plugins_folder(
    build: Build, home: Path, tmp_path: Path
) -> None:
    first_party = run_cli(build, home, "plugins", "--json")
    declared = {ep.name for ep in importlib.metadata.entry_points(group="chinwag")}
    assert {r["name"] for r in first_party} == declared - {"sample", "broken"}
    assert [r["name"] for r in first_party if r["status"] != "ok"] == []
    shutil.copytree(REPO / "tests/fixtures/chinwag-sample-plugin", tmp_path / "sample")
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "install", "--no-deps",
         "--no-build-isolation", "--target", str(home / "plugins"), str(tmp_path / "sample")],
        check=True, capture_output=True, env=os.environ | {"PIP_NO_INDEX": "1"},
    )  # fmt: skip
    records = {r["name"]: r for r in run_cli(build, home, "plugins", "--json")}
    assert (records["sample"]["distribution"], records["sample"]["status"]) == (
        "chinwag-sample-plugin", "ok",
    )  # fmt: skip


def test_the_bundle_keeps_keys_in_the_real_secret_service(build: Build, home: Path) -> None:
    """The bundled keyring backend (Secret Service over D-Bus) stores what the CLI is
    given where this test's own keyring reads it: the real gnome-keyring."""
    key = "sk-bundle-test-key-123456"
    try:
        run_cli(build, home, "keys", "set", "openai", input=key + "\n")
        stored = KeyStore().get("openai")
        assert stored is not None and stored.get_secret_value() == key
        listed = {k["provider"]: k for k in run_cli(build, home, "keys", "list", "--json")}
        assert listed["openai"]["source"] == "keyring"
    finally:
        KeyStore().delete("openai")
