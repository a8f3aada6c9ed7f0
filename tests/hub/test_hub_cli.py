"""`chinwag models search|files|download|remove` as real processes against a local Hub,
then a chat with the model it downloaded."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.system.settings import Settings, save
from tests.hub.conftest import CORRUPT, FILE, GATED, PLAIN, TWO
from tests.support.hub_server import BUILT_IN, BUILT_IN_SHA256, HubServer

SIZE = BUILT_IN.stat().st_size
MODEL = "local/" + FILE.removesuffix(".gguf")


def test_search_lists_gguf_repos(cli: Any, hub: HubServer) -> None:
    found = cli("models", "search", "smollm2", "--json")
    assert found.code == 0, found.stderr
    assert [r["id"] for r in found.json()] == [PLAIN]  # the safetensors repo is no GGUF
    text = cli("models", "search", "chinwag-test")
    assert text.stdout.splitlines()[0].startswith(PLAIN)
    assert "5,000 downloads" in text.stdout


def test_files_show_size_quantisation_sha256_and_fit(cli: Any, hub: HubServer) -> None:
    listed = cli("models", "files", PLAIN, "--json")
    assert listed.code == 0, listed.stderr
    (row,) = listed.json()
    assert row["path"] == FILE and row["model"] == MODEL
    assert (row["size"], row["quantisation"], row["sha256"]) == (SIZE, "Q4_1", BUILT_IN_SHA256)
    fit = row["fit"]
    assert fit["verdict"] == "fits"  # 0.4 GiB on a machine with gigabytes free
    assert fit["kv_cache"] == 30 * 3 * 128 * 2 * fit["context"]  # from the file's header
    assert fit["needed"] == fit["weights"] + fit["kv_cache"] + fit["overhead"]
    text = cli("models", "files", PLAIN, "--context", "2048")
    assert "Q4_1" in text.stdout and BUILT_IN_SHA256 in text.stdout
    assert "fits: needs" in text.stdout and "at 2048 tokens" in text.stdout
    assert "(buffers are an approximation" in text.stdout
    longer = cli("models", "files", PLAIN, "--context", "32768")
    assert "(the model was trained on 8192 tokens of context" in longer.stdout


def test_an_unknown_repo_exits_2_and_a_gated_one_says_what_to_do(cli: Any, hub: HubServer) -> None:
    missing = cli("models", "files", "nobody/nothing")
    assert missing.code == 2 and "no repo nobody/nothing" in missing.stderr
    gated = cli("models", "download", GATED, "gated-Q4_K_M.gguf")
    assert gated.code == 1
    assert gated.stderr.strip().splitlines()[-1] == (
        f"chinwag: {GATED} is gated: accept its terms on the Hub and add a token with "
        "`chinwag keys set huggingface`"
    )


def test_a_download_killed_half_way_resumes_from_its_part_file(
    cli: Any, hub: HubServer, models: Path
) -> None:
    hub.rate = 15e6  # slow enough to catch it half way
    part = models / f"{FILE}.part"
    first = subprocess.Popen(
        [sys.executable, "-m", "chinwag", "models", "download", PLAIN, FILE],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (part.exists() and part.stat().st_size > SIZE // 2):
        assert first.poll() is None, "the download ended before it was killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    kept = part.stat().st_size
    assert SIZE // 2 < kept < SIZE
    assert not (models / FILE).exists()  # not offered as a model while incomplete

    hub.rate = None
    again = cli("models", "download", PLAIN, FILE)
    assert again.code == 0, again.stderr
    assert "resuming" in again.stderr
    assert hub.ranges() == [f"bytes={kept}-"]  # only the rest was asked for
    assert hashlib.sha256((models / FILE).read_bytes()).hexdigest() == BUILT_IN_SHA256
    assert not part.exists()
    assert again.stdout.startswith(MODEL)
    listed = cli("models", "--json").json()
    assert MODEL in {m["handle"] for m in listed}


def test_a_corrupt_download_is_refused_and_removed(cli: Any, hub: HubServer, models: Path) -> None:
    run = cli("models", "download", CORRUPT, "corrupt-q8_0.gguf")
    assert run.code == 1
    assert "did not match the Hub's sha256" in run.stderr
    assert "the partial file was deleted" in run.stderr
    assert list(models.iterdir()) == []
    assert "local/corrupt-q8_0" not in {m["handle"] for m in cli("models", "--json").json()}


def test_progress_goes_to_stderr_and_remove_takes_the_model_away(
    cli: Any, hub: HubServer, models: Path
) -> None:
    run = cli("models", "download", PLAIN, FILE)
    assert run.code == 0, run.stderr
    assert "100.0%" in run.stderr and "MB/s" in run.stderr
    assert run.stdout.strip().endswith("(sha256 verified)")
    gone = cli("models", "remove", MODEL)
    assert gone.code == 0 and str(models / FILE) in gone.stdout
    assert MODEL not in {m["handle"] for m in cli("models", "--json").json()}
    again = cli("models", "remove", MODEL)
    assert again.code == 2 and "no model" in again.stderr


def test_several_files_download_in_turn(cli: Any, hub: HubServer, models: Path) -> None:
    run = cli("models", "download", TWO, "two-Q4_1.gguf", "q8/two-Q8_0.gguf")
    assert run.code == 0, run.stderr
    assert [line.split()[0] for line in run.stdout.splitlines()] == [
        "local/two-Q4_1",
        "local/two-Q8_0",
    ]
    assert sorted(p.name for p in models.iterdir()) == ["two-Q4_1.gguf", "two-Q8_0.gguf"]
    starts = [s.path for s in hub.seen if s.path.startswith("/cdn/")]
    assert starts == [f"/cdn/{TWO}/two-Q4_1.gguf", f"/cdn/{TWO}/q8/two-Q8_0.gguf"]


def test_ctrl_c_pauses_and_keeps_the_part_file(cli: Any, hub: HubServer, models: Path) -> None:
    hub.rate = 15e6
    part = models / f"{FILE}.part"
    run = subprocess.Popen(
        [sys.executable, "-m", "chinwag", "models", "download", PLAIN, FILE],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (part.exists() and part.stat().st_size > 10**7):
        assert run.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=30)
    assert run.returncode == 130, stderr
    assert "run the same command again to resume" in stderr
    assert 10**7 < part.stat().st_size < SIZE
    assert not (models / f"{FILE}.part.lock").exists()


@pytest.mark.local_model
def test_a_downloaded_model_answers_a_chat(
    cli: Any, hub: HubServer, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHINWAG_MODELS_PATH", raising=False)  # only the downloaded model
    assert cli("models", "download", PLAIN, FILE).code == 0
    save(Settings(provider_options={"local": {"temperature": 0, "max_output_tokens": 24}}))
    chat = cli("chat", "-m", MODEL, "--json", "hi")
    assert chat.code == 0, chat.stderr
    reply = chat.json()
    assert reply["status"] == "complete" and reply["text"].strip()
    assert 0 < reply["usage"]["completion_tokens"] <= 24
