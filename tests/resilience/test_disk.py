"""A full disk, a read-only filesystem, a damaged database: a clear one-line message, the
original kept, nothing already saved lost, and the app still starts: on a full or read-only
disk it opens the history read-only; a damaged file is moved aside (kept byte for byte) at
open, or at the first read that finds the damage, and a new, empty one is started.

The full and read-only filesystems are real: a small tmpfs mounted over CHINWAG_HOME (this
needs root with CAP_SYS_ADMIN, as in CI and the dev container).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chinwag.core.store import Store, StoreError
from chinwag.core.types import Conversation, Message, MessageStatus, Role


def _mount(path: Path, options: str) -> None:
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def small_home(home: Path) -> Iterator[Path]:
    """CHINWAG_HOME on its own 4 MB filesystem."""
    home.mkdir(parents=True, exist_ok=True)
    try:
        _mount(home, "size=4m,mode=0755")
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        pytest.fail(f"cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): {error}")
    try:
        yield home
    finally:
        subprocess.run(["umount", "-l", str(home)], check=False)


def fill_disk(folder: Path) -> Path:
    """Write a filler file until the filesystem is full; delete it to make room again."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as f:
        for size in (1 << 20, 65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    f.write(b"\0" * size)
    return filler


def seed_history(path: Path) -> dict[str, str]:
    store = Store(path)
    saved = {}
    for n in range(3):
        c = store.create_conversation(Conversation(title=f"before {n}"))
        for role in (Role.USER, Role.ASSISTANT):
            m = store.add_message(Message.of_text(c.id, role, f"{role.value} {n} kept"))
            saved[m.id] = m.text
    store.close()
    return saved


def assert_history_intact(path: Path, saved: dict[str, str]) -> Store:
    store = Store(path)
    assert store.integrity_ok()
    for message_id, text in saved.items():
        assert store.get_message(message_id).text == text
    return store


def one_clear_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("chinwag:")]
    assert lines, stderr
    return lines[-1]


def test_a_full_disk_while_the_cli_streams_keeps_the_history_and_the_printed_text(
    small_home: Path, with_model: Path
) -> None:
    path = small_home / "chinwag.db"
    saved = seed_history(path)
    process = subprocess.Popen(
        [sys.executable, "-m", "chinwag", "chat", "Write a long story about a lighthouse."],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    assert process.stdout is not None and process.stderr is not None
    printed = b""
    deadline = time.monotonic() + 180
    while not printed.strip() and time.monotonic() < deadline:
        if select.select([process.stdout], [], [], 0.05)[0]:
            chunk = os.read(process.stdout.fileno(), 4096)
            assert chunk, "the reply ended before the disk could fill"
            printed += chunk
    filler = fill_disk(small_home)  # the next checkpoint cannot be written
    out, err = process.communicate(timeout=300)
    printed += out
    assert process.returncode == 1
    message = one_clear_line(err.decode())
    assert "full" in message and "Nothing saved was lost" in message
    filler.unlink()

    store = assert_history_intact(path, saved)
    (conversation,) = [c for c in store.list_conversations() if not c.title]
    user, reply = store.list_messages(conversation.id)
    assert user.text == "Write a long story about a lighthouse."
    assert reply.status == MessageStatus.INTERRUPTED  # its writer is gone: found on open
    assert printed.decode("utf-8", "replace").startswith(reply.text)
    store.close()


def test_with_the_disk_already_full_the_cli_says_so_and_still_reads(
    small_home: Path, cli: Any
) -> None:
    path = small_home / "chinwag.db"
    saved = seed_history(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    filler = fill_disk(small_home)
    run = cli("chat", "hello", timeout=120)
    assert run.code == 1
    assert "full" in one_clear_line(run.stderr)
    listed = cli("conversations", "list", "--json")  # opened read-only: history still there
    assert listed.code == 0, listed.stderr
    assert {c["title"] for c in listed.json()} >= {"before 0", "before 1", "before 2"}
    assert "full" in listed.stderr and "read-only" in listed.stderr  # and says why
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    filler.unlink()
    assert cli("conversations", "list").code == 0
    assert_history_intact(path, saved).close()


def test_the_app_starts_on_a_full_disk_with_its_history_readable(small_home: Path) -> None:
    from chinwag.app import build

    path = small_home / "chinwag.db"
    saved = seed_history(path)
    filler = fill_disk(small_home)
    services = build()
    try:
        assert any("full" in n and "read-only" in n for n in services.notices), services.notices
        titles = {c.title for c in services.store.list_conversations()}
        assert titles >= {"before 0", "before 1", "before 2"}
        with pytest.raises(StoreError, match="full"):
            services.store.create_conversation()
    finally:
        services.close()
        filler.unlink()
    assert_history_intact(path, saved).close()


def test_a_read_only_filesystem_gives_a_clear_message_and_loses_nothing(
    small_home: Path, cli: Any
) -> None:
    path = small_home / "chinwag.db"
    saved = seed_history(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    subprocess.run(["mount", "-o", "remount,ro", str(small_home)], check=True)
    try:
        run = cli("chat", "hello", timeout=120)
        assert run.code == 1
        assert "read-only" in one_clear_line(run.stderr)
        listed = cli("conversations", "list", "--json")
        assert listed.code == 0, listed.stderr
        assert {c["title"] for c in listed.json()} >= {"before 0", "before 1", "before 2"}
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_home)], check=True)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert_history_intact(path, saved).close()


def damage_past_the_first_page(path: Path) -> str:
    """A database of 400 messages with every 7th page past the third overwritten."""
    store = Store(path)
    for n in range(40):
        c = store.create_conversation(Conversation(title=f"t{n}"))
        for _ in range(10):
            store.add_message(Message.of_text(c.id, Role.USER, "hello world " * 50))
    with store.connection.reading() as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    with open(path, "r+b") as f:
        for offset in range(4096 * 3, path.stat().st_size, 4096 * 7):
            f.seek(offset)
            f.write(b"\xde\xad" * 512)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kept_aside(home: Path) -> Path:
    (aside,) = [
        p for p in home.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm"))
    ]
    return aside


def test_a_database_damaged_past_its_first_page_is_set_aside_at_open(home: Path, cli: Any) -> None:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "chinwag.db"
    damaged = damage_past_the_first_page(path)

    run = cli("conversations", "list", "--search", "hello")
    assert run.code == 0, run.stderr
    assert "damaged" in run.stderr and "kept as" in run.stderr
    assert hashlib.sha256(kept_aside(home).read_bytes()).hexdigest() == damaged  # byte for byte
    assert cli("models").code == 0  # the app still starts, on a new, empty history
    assert cli("conversations", "list", "--json").json() == []


def test_damage_found_at_a_read_sets_the_file_aside_and_the_store_goes_on(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file too big to check at open: the first read of a damaged page moves it aside."""
    from chinwag.core.store import connection

    home.mkdir(parents=True, exist_ok=True)
    path = home / "chinwag.db"
    damaged = damage_past_the_first_page(path)
    monkeypatch.setattr(connection, "QUICK_CHECK_MAX_BYTES", 0)
    store = Store(path)
    try:
        with pytest.raises(StoreError, match=r"damaged.*kept as"):
            for c in store.list_conversations(include_archived=True):
                store.list_messages(c.id)
            store.list_conversations(search="hello")
        assert hashlib.sha256(kept_aside(home).read_bytes()).hexdigest() == damaged
        assert any("kept as" in n for n in store.notices)
        fresh = store.create_conversation(Conversation(title="after"))  # works on a new file
        assert [c.id for c in store.list_conversations()] == [fresh.id]
        assert store.integrity_ok()
    finally:
        store.close()


def test_a_write_past_the_size_limit_fails_clearly_and_keeps_what_was_saved(
    store: Store,
) -> None:
    c = store.create_conversation()
    kept = store.add_message(Message.of_text(c.id, Role.USER, "saved before the limit"))
    with store.connection.reading() as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages + 1}")
    with pytest.raises(StoreError, match="full"):
        for _ in range(200):
            store.add_message(Message.of_text(c.id, Role.USER, "x" * 8000))
    assert store.get_message(kept.id).text == "saved before the limit"
    assert store.integrity_ok()
