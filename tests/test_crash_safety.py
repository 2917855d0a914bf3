"""Crash safety: SIGKILL at random moments never loses an acknowledged change or damages the file.

A writer process (tests/helpers/annotate_forever.py) adds and edits annotations through
`Library`, the service the app uses, and prints each uuid only after the call returned. The test
kills it with SIGKILL at random moments (a random delay after it starts, which lands in
`Library.open` as well as in writes, or a random delay after its n-th acknowledgement), hundreds
of times on one database. After every kill the database must pass `PRAGMA integrity_check`, its
full-text indexes must match their tables, and every acknowledged annotation (and edit) must be
there. The same for kills in the middle of an import batch, through the service and the real CLI.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nkreader.services.importing import import_paths
from nkreader.services.library import Library

HELPER = Path(__file__).resolve().parent / "helpers" / "annotate_forever.py"
KILL_TRIALS = 240
IMPORT_TRIALS = 12
CLI_IMPORT_TRIALS = 3
BODY = " ".join(
    f"Sentence {n} says the price of rice in Hyesan was {n * 130} won on the market today."
    for n in range(120)
)


class ForkServer:
    """The helper in `serve` mode: one Python start-up, one forked writer per trial."""

    def __init__(self, log: Path) -> None:
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, str(HELPER), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self._fd = self.process.stdout.fileno()  # type: ignore[union-attr]
        self._pending = b""

    def lines(self, timeout: float) -> Iterator[str]:
        """Lines as they arrive; stops (without raising) when `timeout` seconds pass without one."""
        while True:
            while b"\n" in self._pending:
                line, self._pending = self._pending.split(b"\n", 1)
                yield line.decode()
            ready, _, _ = select.select([self._fd], [], [], timeout)
            if not ready:
                return
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise AssertionError(f"the fork server died:\n{self.stderr()}")
            self._pending += chunk

    def start(self, *command: str) -> int:
        self.process.stdin.write((" ".join(command) + "\n").encode())  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]
        for line in self.lines(timeout=10):
            if line.startswith("pid "):
                return int(line.split()[1])
            raise AssertionError(f"unexpected line before the pid: {line!r}")
        raise AssertionError(f"no pid from the fork server:\n{self.stderr()}")

    def stderr(self) -> str:
        self._log.flush()
        return Path(self._log.name).read_text(errors="replace")[-3000:]

    def close(self) -> None:
        self.process.stdin.close()  # type: ignore[union-attr]
        self.process.wait(timeout=10)
        self._log.close()


def run_trial(
    server: ForkServer,
    command: list[str],
    rng: random.Random,
    acks: list[str],
    *,
    delay: tuple[float, float] = (0.005, 0.080),
    after_acks: tuple[int, int] = (1, 40),
) -> int:
    """Start a writer, SIGKILL it at a random moment, collect what it acknowledged; return its status.

    Half the kills come a random `delay` after the fork (5-80 ms: during `Library.open` or early
    writes), half 0-5 ms after a random number (`after_acks`) of acknowledgements.
    """
    pid = server.start(*command)
    if rng.random() < 0.5:
        kill_at = time.monotonic() + rng.uniform(*delay)
    else:
        wanted = len(acks) + rng.randint(*after_acks)
        for line in server.lines(timeout=10):
            if line.startswith(f"exit {pid} "):
                return int(line.split()[2])  # it ended on its own (an import batch can)
            acks.append(line)
            if len(acks) >= wanted:
                break
        else:
            raise AssertionError(f"the writer stopped acknowledging:\n{server.stderr()}")
        kill_at = time.monotonic() + rng.uniform(0.0, 0.005)
    while (remaining := kill_at - time.monotonic()) > 0:
        for line in server.lines(timeout=remaining):
            if line.startswith(f"exit {pid} "):
                return int(line.split()[2])
            acks.append(line)
            if time.monotonic() >= kill_at:
                break
        else:
            break
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    for line in server.lines(timeout=10):
        if line.startswith(f"exit {pid} "):
            return int(line.split()[2])
        acks.append(line)
    raise AssertionError("the killed writer was never reaped")


def check_database(db: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db, isolation_level=None)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in ("articles_fts", "annotations_fts"):
        # Raises "database disk image is malformed" if the index and its table disagree.
        connection.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
    return connection


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ForkServer]:
    server = ForkServer(tmp_path / "server.log")
    yield server
    server.close()


def make_library(db: Path) -> int:
    source = db.parent / "source.txt"
    source.write_text(f"Crash test article\n\n{BODY}\n", encoding="utf-8")
    library = Library.open(str(db))
    try:
        report = import_paths(library, [source])
        assert report.imported == 1
        return library.summaries()[0].id
    finally:
        library.close()


def test_sigkill_while_annotating_loses_nothing_acknowledged(tmp_path: Path, server: ForkServer) -> None:
    db = tmp_path / "library.db"
    article_id = make_library(db)
    rng = random.Random(int.from_bytes(os.urandom(4), "little"))
    acked: dict[str, str | None] = {}  # uuid -> last acknowledged note (None: only created)
    began = time.monotonic()
    for trial in range(KILL_TRIALS):
        lines: list[str] = []
        status = run_trial(server, ["annotate", str(db), str(article_id)], rng, lines)
        assert status == -signal.SIGKILL, (
            f"trial {trial}: the writer exited with {status}:\n{server.stderr()}"
        )
        for line in lines:
            kind, uuid, *rest = line.split()
            if kind == "A":
                acked.setdefault(uuid, None)
            elif kind == "E":
                acked[uuid] = rest[0]
        connection = check_database(db)
        stored = dict(connection.execute("SELECT uuid, note FROM annotations"))
        connection.close()
        missing = [uuid for uuid in acked if uuid not in stored]
        assert not missing, f"trial {trial}: acknowledged annotations lost: {missing[:5]}"
        wrong = [u for u, note in acked.items() if note is not None and stored[u] != note]
        assert not wrong, f"trial {trial}: acknowledged edits lost: {wrong[:5]}"
    elapsed = time.monotonic() - began
    edited = sum(note is not None for note in acked.values())
    print(f"{KILL_TRIALS} kills in {elapsed:.1f} s: {len(acked)} acknowledged annotations, {edited} edits")
    assert len(acked) > KILL_TRIALS, "the writer hardly ever got a write in before the kill"
    # The library still opens and works after all that.
    library = Library.open(str(db))
    try:
        assert len(library.annotations(article_id)) >= len(acked)
    finally:
        library.close()


def write_batch(folder: Path, tag: str, count: int) -> dict[str, str]:
    """`count` small articles; returns title -> SHA-256 of the body the importer will store."""
    folder.mkdir(parents=True)
    expected = {}
    for n in range(count):
        body = "\n\n".join(
            f"Batch {tag} article {n}, paragraph {p}: rice is {n * 10 + p} won." for p in range(8)
        )
        (folder / f"{tag}-{n:04d}.txt").write_text(f"Batch {tag} article {n}\n\n{body}\n", encoding="utf-8")
        expected[f"Batch {tag} article {n}"] = hashlib.sha256(body.encode()).hexdigest()
    return expected


def check_articles(db: Path, expected: dict[str, str], acked: dict[int, str]) -> int:
    connection = check_database(db)
    rows = connection.execute("SELECT id, title, body FROM articles").fetchall()
    fts = connection.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'rice'").fetchone()[
        0
    ]
    connection.close()
    stored = {}
    for article_id, title, body in rows:
        digest = hashlib.sha256(body.encode()).hexdigest()
        assert expected[title] == digest, f"article {title!r} is not whole"
        stored[article_id] = digest
    for article_id, digest in acked.items():
        assert stored.get(article_id) == digest, f"acknowledged article {article_id} lost"
    assert fts == len(rows)
    return len(rows)


def test_sigkill_during_import_batches(tmp_path: Path, server: ForkServer) -> None:
    db = tmp_path / "library.db"
    Library.open(str(db)).close()
    rng = random.Random(int.from_bytes(os.urandom(4), "little"))
    expected: dict[str, str] = {}
    acked: dict[int, str] = {}
    killed = cut_short = 0
    for trial in range(IMPORT_TRIALS):
        folder = tmp_path / f"batch-{trial}"
        # Articles are stored in batches (up to 200 per transaction): 450 make three, and the
        # kills land while files are read, while a batch is stored, or just after a commit.
        expected.update(write_batch(folder, f"t{trial}", 450))
        before = count_articles(db)
        lines: list[str] = []
        status = run_trial(
            server, ["import", str(db), str(folder)], rng, lines, delay=(0.005, 0.7), after_acks=(1, 400)
        )
        assert status in (-signal.SIGKILL, 0), server.stderr()
        for line in lines:
            _, article_id, digest = line.split()
            acked[int(article_id)] = digest
        stored = check_articles(db, expected, acked)
        killed += status == -signal.SIGKILL
        cut_short += stored - before < 450
    print(f"{IMPORT_TRIALS} import trials: {killed} killed, {cut_short} cut short, {len(acked)} acknowledged")
    assert acked, "no import was ever acknowledged before the kill"
    assert cut_short >= 1, "every import finished before its kill"


def test_sigkill_during_cli_import(tmp_path: Path) -> None:
    """The real command, killed at random moments of its batches (test_cli kills it once at 50)."""
    db = tmp_path / "library.db"
    Library.open(str(db)).close()
    rng = random.Random(int.from_bytes(os.urandom(4), "little"))
    expected: dict[str, str] = {}
    cut_short = 0
    for trial in range(CLI_IMPORT_TRIALS):
        folder = tmp_path / f"cli-{trial}"
        expected.update(write_batch(folder, f"c{trial}", 600))
        before = count_articles(db)
        process = subprocess.Popen(
            [sys.executable, "-m", "nkreader", "--db", str(db), "import", "-q", str(folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Once a random number of this batch's articles are in (they commit up to 200 at a
        # time), wait a little more and kill: mostly in the middle of the next batch. The first
        # trial kills as soon as the first commit shows, so at least one import is cut short
        # however fast the machine is (on a quiet one, the random wait could outlast them all).
        first = trial == 0
        target = before + (1 if first else rng.randint(1, 400))
        deadline = time.monotonic() + 60
        while count_articles(db) < target and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.003)
        if not first:
            time.sleep(rng.uniform(0.0, 0.15))
        process.send_signal(signal.SIGKILL)
        process.wait()
        stored = check_articles(db, expected, {})
        cut_short += stored < before + 600
    assert cut_short >= 1, "every import finished before its kill"


def count_articles(db: Path) -> int:
    if not db.exists():
        return 0
    connection = sqlite3.connect(db, timeout=5)
    try:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        connection.close()


# ------------------------------------------------------------------------------------------ backups


def test_backup_while_another_process_writes_is_consistent(tmp_path: Path) -> None:
    """`nkreader db backup` while a writer commits every millisecond or so: each copy passes the
    integrity check and holds exactly the writer's first n acknowledged annotations, for some n."""
    db = tmp_path / "library.db"
    article_id = make_library(db)
    errors = (tmp_path / "writer.err").open("w")
    writer = subprocess.Popen(
        [sys.executable, str(HELPER), "annotate", str(db), str(article_id)],
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
    )
    acks: list[str] = []
    try:
        while len(acks) < 100:
            acks.append(writer.stdout.readline().strip())  # type: ignore[union-attr]
        backups = []
        for n in range(3):
            before = sum(line.startswith("A ") for line in acks)
            target = tmp_path / f"copy-{n}.db"
            result = subprocess.run(
                [sys.executable, "-m", "nkreader", "--db", str(db), "db", "backup", str(target)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert result.returncode == 0, result.stderr
            assert result.stdout.strip() == f"backed up to {target}"
            backups.append((target, before))
            for _ in range(50):
                acks.append(writer.stdout.readline().strip())  # type: ignore[union-attr]
    finally:
        writer.kill()
        writer.wait()
        errors.close()
    acks.extend(writer.stdout.read().splitlines())  # type: ignore[union-attr]
    writer.stdout.close()  # type: ignore[union-attr]
    assert "locked" not in (tmp_path / "writer.err").read_text()
    created = [line.split()[1] for line in acks if line.startswith("A ")]
    notes = {line.split()[1]: line.split()[2] for line in acks if line.startswith("E ")}
    for target, acknowledged_before in backups:
        assert not target.with_name(target.name + ".partial").exists()
        connection = check_database(target)
        stored = dict(connection.execute("SELECT uuid, note FROM annotations"))
        connection.close()
        assert len(stored) >= acknowledged_before
        assert set(stored) == set(created[: len(stored)]), "not one moment's snapshot"
        for uuid, note in stored.items():
            assert note in ("", notes.get(uuid)), "an edit the writer never made"


def test_backup_before_a_schema_migration(tmp_path: Path) -> None:
    """A library at the first schema revision, with data, opened by this version: a copy of it as it
    was appears next to it before the migration runs, and both hold the data."""
    from alembic.script import ScriptDirectory

    from nkreader.domain import Kind
    from nkreader.store import migrate
    from nkreader.store.database import Database

    first = ScriptDirectory.from_config(migrate.alembic_config()).get_base()
    if first == migrate.head_revision():
        pytest.skip("only one schema revision: nothing to migrate from yet")
    db = tmp_path / "library.db"
    article_id = make_library(db)
    library = Library.open(str(db))
    mark = library.annotate(article_id, Kind.POLICY, 0, 20, note="months of work")
    library.close()
    database = Database.open(str(db))
    migrate.downgrade(database.engine, first)
    database.close()
    assert list(tmp_path.glob("library.before-*")) == []

    library = Library.open(str(db))  # migrates to head
    try:
        assert library.database.revision() == migrate.head_revision()
        assert [a.uuid for a in library.annotations(article_id)] == [mark.uuid]
    finally:
        library.close()
    backups = list(tmp_path.glob(f"library.before-{first}-*.db"))
    assert len(backups) == 1
    connection = check_database(backups[0])
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == first
    assert connection.execute("SELECT uuid, note FROM annotations").fetchall() == [
        (mark.uuid, "months of work")
    ]
    connection.close()
    # Opening again migrates nothing and makes no further copy.
    Library.open(str(db)).close()
    assert len(list(tmp_path.glob("library.before-*"))) == 1
