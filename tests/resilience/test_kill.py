"""`kill -9` the CLI at random points while the real local model streams a reply, 20 times.

Every time: the database passes `PRAGMA integrity_check`, every message committed before is
unchanged, and the cut reply reads `interrupted` on the next open, having lost at most about
a second of the text the process had already printed.
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

from chinwag.core.models import MessageStatus, Role
from chinwag.core.store import Store

pytestmark = pytest.mark.local_model

KILLS = 20
MAX_ATTEMPTS = 30  # a reply that ends before its kill point does not count; bounded
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


def run_and_kill(rng: random.Random, env: dict[str, str]) -> tuple[Printed, float, bool]:
    """Start `chinwag chat`, kill -9 it at a random point; return what it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "chinwag", "chat", PROMPT],
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


def test_kill_9_while_streaming_never_corrupts_or_loses_history(
    home: Path, with_model: Path
) -> None:
    rng = random.Random(int(os.environ.get("CHINWAG_KILL_SEED", "6")))
    env = os.environ.copy()
    committed: dict[str, tuple[str, str]] = {}  # message id -> (status, text)
    kills, losses = 0, []
    for _attempt in range(MAX_ATTEMPTS):
        if kills == KILLS:
            break
        printed, killed_at, killed = run_and_kill(rng, env)
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
                assert printed.text.startswith(m.text), "saved text the CLI never printed"
                first_lost = printed.first_time_beyond(len(m.text))
                lost = 0.0 if first_lost is None else killed_at - first_lost
                losses.append(lost)
                assert lost <= MAX_LOST_SECONDS, (
                    f"kill {kills}: lost {len(printed.text) - len(m.text)} characters "
                    f"printed over the last {lost:.2f} s"
                )
        committed.update({m.id: (m.status.value, m.text) for m in new})
    assert kills == KILLS, f"only {kills} of {MAX_ATTEMPTS} runs were still streaming"
    assert losses, "no kill landed while a reply streamed"
    print(f"\nkills={kills} streaming-kills={len(losses)} max-lost={max(losses):.2f}s")
