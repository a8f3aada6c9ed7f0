"""Full-text search through Store.list_conversations(search=...) at 1k, 10k and 100k
messages (100 messages per conversation). Goal: p95 under 50 ms at 100k.

The history is synthetic but word-shaped: a 5,000-word vocabulary with a Zipf-like skew, so
there are common words (thousands of hits), rare ones, prefixes and misses.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import emit, summary

SIZES = [1_000, 10_000, 100_000]
PER_CONVERSATION = 100
ROUNDS = 5


def vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(6000)}
    return sorted(words)[:5000]


def fill(store: Any, count: int, rng: random.Random, words: list[str]) -> None:
    """Bulk-insert through the store's own connection and schema (its FTS triggers run)."""
    from chinwag.core.types import Conversation, Message, Role

    weights = [1 / (rank + 1) for rank in range(len(words))]
    with store.connection.transaction() as db:
        rows = []
        for c in range(count // PER_CONVERSATION):
            conversation = Conversation(title=f"conversation {c} {rng.choice(words)}")
            db.execute(
                "INSERT INTO conversations (id, agent_id, title, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (conversation.id, conversation.agent_id, conversation.title,
                 conversation.created_at.isoformat(), conversation.updated_at.isoformat()),
            )  # fmt: skip
            for seq in range(PER_CONVERSATION):
                text = " ".join(rng.choices(words, weights, k=rng.randint(8, 120)))
                role = Role.USER if seq % 2 == 0 else Role.ASSISTANT
                m = Message.of_text(conversation.id, role, text)
                rows.append((m.id, conversation.id, seq, role.value,
                             f'[{{"type":"text","text":"{text}"}}]', text, "complete",
                             m.created_at.isoformat(), m.created_at.isoformat()))  # fmt: skip
        db.executemany(
            "INSERT INTO messages (id, conversation_id, seq, role, content, text, status, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def queries(rng: random.Random, words: list[str]) -> dict[str, list[str]]:
    return {
        "common_word": words[:5],
        "rare_word": rng.sample(words[-1000:], 5),
        "two_words": [f"{rng.choice(words[:200])} {rng.choice(words[200:2000])}" for _ in range(5)],
        "prefix": [w[:3] for w in rng.sample(words[:500], 5)],
        "no_match": ["zzzzqqqq", "xqxqxqxq", "nothinglikethis", "qqqq zzzz", "jjjjjjjjj"],
    }


def bytes_read() -> int | None:
    """This process's bytes read through read() so far (Linux), cached or not: how much of the
    file a query touches, a figure that does not depend on how busy or warm the machine is."""
    try:
        with open("/proc/self/io") as io:
            return next(int(line.split()[1]) for line in io if line.startswith("rchar"))
    except (OSError, StopIteration):
        return None


def measure(size: int) -> dict[str, Any]:
    from chinwag.core.store import Store

    rng = random.Random(size)
    words = vocabulary(rng)
    folder = Path(tempfile.mkdtemp(prefix="chinwag-search-"))
    store = Store(folder / "chinwag.db")
    started = time.perf_counter()
    fill(store, size, rng, words)
    build_seconds = time.perf_counter() - started
    timings: list[float] = []
    by_kind: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    read_mb: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        for kind, texts in queries(rng, words).items():
            for text in texts:
                before = bytes_read()
                t = time.perf_counter()
                found = store.list_conversations(search=text)
                ms = (time.perf_counter() - t) * 1000
                after = bytes_read()
                if before is not None and after is not None:
                    read_mb.setdefault(kind, []).append((after - before) / 1e6)
                timings.append(ms)
                by_kind.setdefault(kind, []).append(ms)
                hits[kind] = max(hits.get(kind, 0), len(found))
    size_mb = (folder / "chinwag.db").stat().st_size / 1e6
    store.close()
    return {
        "messages": size,
        "db_mb": round(size_mb, 1),
        "build_seconds": round(build_seconds, 1),
        "ms": summary(timings, 2),
        "p95_ms_by_kind": {k: summary(v, 2)["p95"] for k, v in by_kind.items()},
        "max_conversations_found_by_kind": hits,
        "max_mb_read_by_kind": {k: round(max(v), 1) for k, v in read_mb.items()},
    }


def main() -> None:
    results = [measure(size) for size in SIZES]
    p95 = results[-1]["ms"]["p95"]
    emit({"benchmark": "search", "sizes": results, "goal_p95_ms": 50, "met": p95 < 50})


if __name__ == "__main__":
    main()
