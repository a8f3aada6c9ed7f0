"""`kill -9` the CLI and the desktop app, 20 times each, at random points while the real
local model streams a reply.

Every time: the database passes `PRAGMA integrity_check`, every message committed before is
unchanged, and the cut reply reads `interrupted` on the next open, having lost at most about
a second of the text the process had already shown (printed, or painted in the window).

The desktop app runs for real (Qt offscreen, tests/support/gui_send.py). Each of its rounds
pays a full start (PySide6, plugins, the model loading): 20 rounds took 162 s on an idle
2-core machine; CHINWAG_GUI_KILLS changes the count for a quicker local run.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from chinwag.core.store import Store
from chinwag.core.types import MessageStatus, Role

pytestmark = pytest.mark.local_model

KILLS = 20
GUI_KILLS = int(os.environ.get("CHINWAG_GUI_KILLS", "20"))
GUI_SEND = Path(__file__).resolve().parents[1] / "support" / "gui_send.py"
PROMPT = "Write a very long story about a lighthouse keeper and a storm. Use many chapters."
# Checkpoints run every 0.5 s; allow for a loaded machine on top of "about a second".
MAX_LOST_SECONDS = 1.5


@dataclass
class Printed:
    """What the CLI printed, and when: (arrival time, total characters so far)."""

    text: str = ""
    marks: list[tuple[float, int]] = field(default_factory=list)

    def add(self, data: str) -> None:
        self.text += data
        self.marks.append((time.monotonic(), len(self.text)))

    def first_time_beyond(self, length: int) -> float | None:
        return next((t for t, total in self.marks if total > length), None)


def run_and_kill(
    command: list[str], rng: random.Random, env: dict[str, str]
) -> tuple[Printed, float, bool]:
    """Start the command, kill -9 it at a random point; return what it showed."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert process.stdout is not None
    printed = Printed()
    early = rng.random() < 0.15  # sometimes before the reply has started
    kill_after = time.monotonic() + rng.uniform(0.2, 4.0)
    kill_at_chars = rng.randint(1, 160)
    deadline = time.monotonic() + 180
    decoder_buffer = b""
    while time.monotonic() < deadline:
        if early and time.monotonic() >= kill_after:
            break
        if not early and len(printed.text) >= kill_at_chars:
            break
        ready, _, _ = select.select([process.stdout], [], [], 0.02)
        if ready:
            data = os.read(process.stdout.fileno(), 4096)
            if not data:  # the reply ended before its kill point
                process.wait()
                return printed, time.monotonic(), False
            decoder_buffer += data
            text = decoder_buffer.decode("utf-8", "ignore")
            decoder_buffer = decoder_buffer[len(text.encode()) :]
            printed.add(text)
    killed_at = time.monotonic()
    os.kill(process.pid, signal.SIGKILL)
    process.wait()  # reaped: its pid is gone, as after a real crash
    process.stdout.close()
    return printed, killed_at, True


def kill_repeatedly(command: list[str], kills_wanted: int, home: Path) -> list[float]:
    """Kill the command kills_wanted times while it streams; check the history after each."""
    rng = random.Random(int(os.environ.get("CHINWAG_KILL_SEED", "6")))
    env = os.environ.copy()
    committed: dict[str, tuple[str, str]] = {}  # message id -> (status, text)
    kills, losses = 0, []
    for _attempt in range(kills_wanted + 10):  # a reply ending before its kill is retried
        if kills == kills_wanted:
            break
        printed, killed_at, killed = run_and_kill(command, rng, env)
        store = Store(home / "chinwag.db")  # the next open: recovery runs here
        try:
            assert store.integrity_ok()
            messages = [
                m
                for c in store.list_conversations(include_archived=True, limit=10_000)
                for m in store.list_messages(c.id)
            ]
        finally:
            store.close()
        by_id = {m.id: m for m in messages}
        for message_id, before in committed.items():
            assert message_id in by_id, "a committed message disappeared"
            assert (by_id[message_id].status.value, by_id[message_id].text) == before
        new = [m for m in messages if m.id not in committed]
        if killed:
            kills += 1
            assert len(new) <= 2
            for m in new:
                if m.role == Role.USER:
                    assert m.text == PROMPT
                    continue
                assert m.status == MessageStatus.INTERRUPTED
                assert printed.text.startswith(m.text), "saved text that was never shown"
                first_lost = printed.first_time_beyond(len(m.text))
                lost = 0.0 if first_lost is None else killed_at - first_lost
                losses.append(lost)
                assert lost <= MAX_LOST_SECONDS, (
                    f"kill {kills}: lost {len(printed.text) - len(m.text)} characters "
                    f"shown over the last {lost:.2f} s"
                )
        committed.update({m.id: (m.status.value, m.text) for m in new})
    assert kills == kills_wanted, f"only {kills} runs were still streaming when killed"
    assert losses, "no kill landed while a reply streamed"
    print(f"\nkills={kills} streaming-kills={len(losses)} max-lost={max(losses):.2f}s")
    return losses


def test_kill_9_of_the_cli_while_streaming_never_corrupts_or_loses_history(
    home: Path, with_model: Path
) -> None:
    kill_repeatedly([sys.executable, "-m", "chinwag", "chat", PROMPT], KILLS, home)


def test_kill_9_of_the_desktop_app_while_streaming_never_corrupts_or_loses_history(
    home: Path, with_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    kill_repeatedly([sys.executable, str(GUI_SEND), PROMPT], GUI_KILLS, home)
