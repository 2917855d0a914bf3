"""Concurrent use: several processes on one library, no "database is locked" reaching the user.

Writers take the write lock at once (BEGIN IMMEDIATE), wait for each other (busy timeout) and keep
their transactions short; `Database.writing()` retries taking the lock when SQLite reports the
database busy without waiting. Readers hold no transaction between calls, so each call sees what
other processes committed before it, and `Library.change_token()` says when to look again.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.pty_app import PtyApp
from nkreader.domain import Kind
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.store.errors import StoreLocked

HELPER = Path(__file__).resolve().parent / "helpers" / "annotate_forever.py"
HOLD_LOCK = Path(__file__).resolve().parent / "helpers" / "hold_lock.py"
BODY = " ".join(
    f"Sentence {n} reports that rice cost {n * 130} won in Hyesan on market day." for n in range(80)
)


def make_library(db: Path, body: str = BODY, title: str = "Concurrency article") -> int:
    source = db.parent / f"{title.replace(' ', '-')}.txt"
    source.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    library = Library.open(str(db))
    try:
        assert import_paths(library, [source]).imported == 1
        return next(row.id for row in library.summaries() if row.title == title)
    finally:
        library.close()


def writer(db: Path, article_id: int, count: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(HELPER), "annotate", str(db), str(article_id), str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def run_two_writers(db: Path, article_id: int, count: int) -> set[str]:
    processes = [writer(db, article_id, count) for _ in range(2)]
    acked: set[str] = set()
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert "locked" not in err.lower(), err
        assert process.returncode == 0 and err == "", err
        uuids = [line.split()[1] for line in out.splitlines() if line.startswith("A ")]
        assert len(uuids) == count
        acked.update(uuids)
    return acked


def stored_uuids(db: Path) -> set[str]:
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in connection.execute("SELECT uuid FROM annotations")}
    finally:
        connection.close()


def test_two_writer_processes_a_thousand_annotations_each(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    article_id = make_library(db)
    began = time.monotonic()
    acked = run_two_writers(db, article_id, 1000)
    elapsed = time.monotonic() - began
    assert len(acked) == 2000
    assert stored_uuids(db) == acked
    print(f"2 writers x 1000 annotate+edit in {elapsed:.1f} s")


@pytest.fixture
def lock_holder(tmp_path: Path) -> Iterator:
    processes: list[subprocess.Popen] = []

    def hold(db: Path, mode: str, seconds: float) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, str(HOLD_LOCK), str(db), mode, str(seconds)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout.readline().strip() == "locked"  # type: ignore[union-attr]
        processes.append(process)
        return process

    yield hold
    for process in processes:
        process.kill()
        process.wait()


def test_a_lock_released_within_the_retry_window_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lock_holder
) -> None:
    monkeypatch.setenv("NKREADER_BUSY_TIMEOUT_MS", "0")
    db = tmp_path / "library.db"
    article_id = make_library(db)
    library = Library.open(str(db))
    try:
        holder = lock_holder(db, "write", 0.1)
        began = time.monotonic()
        library.annotate(article_id, Kind.CLAIM, 0, 8)  # SQLITE_BUSY at once; retried until free
        assert time.monotonic() - began < 3
        holder.wait(timeout=5)
        lock_holder(db, "write", 30)
        began = time.monotonic()
        with pytest.raises(StoreLocked, match="locked by another process"):
            library.annotate(article_id, Kind.CLAIM, 0, 8)
        assert time.monotonic() - began < 3  # bounded: the retry gives up
    finally:
        library.close()


def test_each_call_sees_what_another_process_committed(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    article_id = make_library(db)
    library = Library.open(str(db))
    try:
        assert library.annotations(article_id) == []
        token = library.change_token()
        assert token is not None and library.change_token() == token  # nothing changed: same token
        process = writer(db, article_id, 5)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        theirs = {line.split()[1] for line in out.splitlines() if line.startswith("A ")}
        assert library.change_token() != token  # the app's timer would refresh now
        assert {a.uuid for a in library.annotations(article_id)} == theirs
        assert len(library.summaries()[0].counts) == len(Kind)
        # And another process sees ours.
        mine = library.annotate(article_id, Kind.QUOTE, 0, 8)
        assert mine.uuid in stored_uuids(db)
    finally:
        library.close()


def checkpoint_truncate(db: Path) -> tuple[int, int, int]:
    """(busy, wal frames, checkpointed): busy=1 when some connection still holds a read transaction."""
    connection = sqlite3.connect(db, isolation_level=None, timeout=0.2)
    try:
        return tuple(connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone())  # type: ignore[return-value]
    finally:
        connection.close()


def test_no_read_transaction_outlives_a_call(tmp_path: Path) -> None:
    """A long-lived read transaction would pin an old snapshot (stale views, a WAL that grows
    forever): a TRUNCATE checkpoint by another connection would report it busy."""
    db = tmp_path / "library.db"
    article_id = make_library(db)
    library = Library.open(str(db))
    try:
        library.annotate(article_id, Kind.CLAIM, 0, 8)
        library.summaries()
        library.open_article(article_id)
        library.annotations(article_id)
        library.change_token()
        assert checkpoint_truncate(db)[0] == 0
        # The check itself works: a read transaction left open is caught.
        with library.database.reading() as session:
            session.connection().exec_driver_sql("SELECT count(*) FROM articles").fetchone()
            library.annotate(article_id, Kind.CLAIM, 0, 8)  # another connection writes meanwhile
            assert checkpoint_truncate(db)[0] == 1
    finally:
        library.close()


def test_the_app_and_a_cli_import_at_once(tmp_path: Path) -> None:
    """The real app marks sentences while `nkreader import` stores 300 articles into the same file."""
    db = tmp_path / "library.db"
    make_library(db, title="Zzz read me")  # the only article at first
    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(300):
        body = "\n\n".join(f"Incoming {n}, paragraph {p}: rice was {n + p} won." for p in range(10))
        (folder / f"incoming-{n:03d}.txt").write_text(f"Incoming {n}\n\n{body}\n", encoding="utf-8")
    marks = 12
    with PtyApp(["--db", str(db)], columns=140, rows=40) as app:
        app.wait_for("Zzz read me")
        app.settle(quiet=0.3)
        app.send("enter")
        app.wait_for("Sentence 1 reports")
        importer = subprocess.Popen(
            [sys.executable, "-m", "nkreader", "--db", str(db), "import", "-q", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stop = threading.Event()

        def mark_sentences() -> None:
            for _ in range(marks):
                if stop.is_set():
                    return
                app.send("c", pause=0.12)
                app.send(")", pause=0.12)

        marking = threading.Thread(target=mark_sentences)
        marking.start()
        out, err = importer.communicate(timeout=120)
        marking.join(timeout=60)
        stop.set()
        app.settle(quiet=0.5)
        app.send("ctrl+q")
        assert app.wait() == 0
        screen = app.text()
    assert importer.returncode == 0, err
    assert out.strip() == "imported 300, skipped 0, failed 0"
    assert "locked" not in err.lower() and "locked" not in screen.lower()
    assert "Traceback" not in screen
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == 301
        annotations = connection.execute("SELECT count(*) FROM annotations").fetchone()[0]
    finally:
        connection.close()
    assert annotations == marks
