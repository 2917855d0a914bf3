"""Broken environments: one clear line, a distinct exit status, no traceback, no further damage.

Each case is met by the commands (`import`, `list`, `export`) and by `python -m nkreader`, the app,
run in a pseudo-terminal: the app must report the problem before it takes over the screen (it
never switches to the alternate screen). The library's files are compared byte for byte before
and after.

| environment                         | status | message (after "nkreader: database PATH")       |
|-------------------------------------|--------|--------------------------------------------------|
| data folder cannot be created       | 4      | cannot create the data folder ...                |
| garbage / another program's SQLite  | 5      | is not an nkreader database / library ...        |
| truncated or damaged file           | 5      | is damaged (SQLite: disk image is malformed)     |
| written by a newer nkreader         | 6      | this library was written by a newer nkreader ... |
| read-only file                      | 7      | is read-only: cannot save changes (reading works)|
| read-only folder or file system     | 7      | is in a read-only folder or file system ...      |
| locked by another process           | 8      | is locked by another process; try again ...      |
| full disk                           | 9      | cannot be written: the disk is full              |

Read-only and full file systems are real ones where possible: a read-only bind mount and a tiny
tmpfs inside a private mount namespace (`unshare -m`, as root in CI, where chmod stops nothing).
Where that is impossible the chmod variants run for a normal user, and the error translation is
tested on its own (full disk: SQLite's `max_page_count` gives the genuine SQLITE_FULL).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import event
from sqlalchemy.pool import Pool

from conftest import SAMPLES
from helpers.pty_app import PtyApp
from nkreader.cli import friendly_errors, main
from nkreader.domain import Kind
from nkreader.services.library import Library
from nkreader.store import errors
from nkreader.store.database import Database
from nkreader.store.errors import translate

HELPERS = Path(__file__).resolve().parent / "helpers"
ALTERNATE_SCREEN = "\x1b[?1049h"
ARTICLE = Path(tempfile.gettempdir()) / f"nkreader-test-fresh-{os.getpid()}.txt"
"""An article the library does not hold yet: importing it must write."""


@pytest.fixture(autouse=True, scope="module")
def fresh_article() -> Iterator[None]:
    ARTICLE.write_text("A fresh article\n\nNothing like it is in the library yet.\n", encoding="utf-8")
    yield
    ARTICLE.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------- tools


def cli(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def assert_one_line(err: str, fragment: str) -> None:
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("nkreader: "), err
    assert fragment in err, err


def app_start(db: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    with PtyApp(["--db", str(db)], columns=100, rows=30, env=env) as app:
        code = app.wait(timeout=30)
        return code, app.text()


def assert_app_refuses(db: Path, code: int, fragment: str, env: dict[str, str] | None = None) -> None:
    status, screen = app_start(db, env)
    assert status == code, screen[-500:]
    assert fragment in screen and "Traceback" not in screen
    assert ALTERNATE_SCREEN not in screen, "the app started on a broken library"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


def make_library(db: Path) -> None:
    library = Library.open(str(db))
    try:
        from nkreader.services.importing import import_paths

        import_paths(library, [SAMPLES])
        article = library.summaries()[0].id
        library.annotate(article, Kind.CLAIM, 0, 10, note="evidence")
    finally:
        library.close()


@pytest.fixture
def library_db(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    db = folder / "library.db"
    make_library(db)
    return db


def check_every_way(
    db: Path, code: int, fragment: str, folder: Path | None = None, *, missing: bool = False
) -> None:
    """`list`, `import`, `export` and the app all refuse the same way, and nothing changes.

    With `missing` (no library there yet), the read-only commands say there is none instead:
    they never create one (issue 16 item 18)."""
    folder = folder or db.parent
    before = snapshot(folder)
    for args in (["list"], ["import", str(ARTICLE)], ["export"]):
        status, _, err = cli(db, *args)
        if missing and args[0] != "import":
            assert status == 4, (args, err)
            assert_one_line(err, "no library at")
            continue
        assert status == code, (args, err)
        assert_one_line(err, fragment)
    assert_app_refuses(db, code, fragment)
    assert snapshot(folder) == before


# ---------------------------------------------------------------------------------------------- cases


def test_data_folder_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    db = blocker / "nkreader" / "library.db"
    check_every_way(db, 4, "cannot create the data folder", folder=tmp_path, missing=True)
    assert blocker.read_text() == "a file where the data folder should be"


def test_garbage_file(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    db.write_bytes(os.urandom(64 * 1024))
    check_every_way(db, 5, "is not an nkreader database")


def test_truncated_database(library_db: Path) -> None:
    data = library_db.read_bytes()
    library_db.write_bytes(data[: len(data) // 2 // 4096 * 4096])
    check_every_way(library_db, 5, "is damaged (SQLite: disk image is malformed)")


def test_another_programs_database_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "places.sqlite"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        connection.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    connection.close()
    check_every_way(db, 5, "is not an nkreader library (it holds other tables: moz_places)")


def test_damaged_page_is_reported_by_db_check(library_db: Path) -> None:
    with sqlite3.connect(library_db) as connection:
        try:
            pages = [
                row[0] for row in connection.execute("SELECT pageno FROM dbstat WHERE name = 'articles'")
            ]
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table to find a page of the articles table")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with library_db.open("r+b") as stream:  # scribble over one page of the articles table
        stream.seek((pages[0] - 1) * page_size)
        stream.write(b"\xde\xad\xbe\xef" * (page_size // 4))
    status, out, err = cli(library_db, "db", "check")
    assert status == 5 and "integrity:  ok" not in out and "Traceback" not in out + err
    # `list` may still work from the indexes alone; the bodies are behind the damaged page.
    status, _, err = cli(library_db, "export")
    assert status == 5
    assert_one_line(err, "is damaged")


def test_newer_schema(library_db: Path) -> None:
    with sqlite3.connect(library_db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    connection.close()
    check_every_way(library_db, 6, "written by a newer nkreader (schema ffff9999")


# ---------------------------------------------------------------------------------------------- locks


@pytest.fixture
def hold_lock() -> Iterator:
    processes: list[subprocess.Popen] = []

    def hold(db: Path, mode: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, str(HELPERS / "hold_lock.py"), str(db), mode, "120"],
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


SHORT_WAIT = {"NKREADER_BUSY_TIMEOUT_MS": "300"}


def test_locked_by_a_writer(library_db: Path, hold_lock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NKREADER_BUSY_TIMEOUT_MS", "300")
    holder = hold_lock(library_db, "write")
    before = snapshot(library_db.parent)
    status, _, err = cli(library_db, "import", str(ARTICLE))
    assert status == 8
    assert_one_line(err, "is locked by another process; try again in a moment")
    status, out, _ = cli(library_db, "list", "--jsonl")  # readers are not held up by a writer (WAL)
    assert status == 0 and len(out.splitlines()) == 11
    assert cli(library_db, "export")[0] == 0
    assert_app_refuses(library_db, 8, "is locked by another process", SHORT_WAIT)
    assert snapshot(library_db.parent) == before
    holder.stdin.close()  # type: ignore[union-attr]
    holder.wait(timeout=10)
    assert cli(library_db, "import", str(ARTICLE))[0] == 0  # works again once the lock is gone


def test_locked_exclusively(library_db: Path, hold_lock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NKREADER_BUSY_TIMEOUT_MS", "300")
    hold_lock(library_db, "exclusive")
    before = snapshot(library_db.parent)
    for args in (["list"], ["import", str(ARTICLE)], ["export"], ["db", "backup"]):
        status, _, err = cli(library_db, *args)
        assert status == 8, (args, err)
        assert_one_line(err, "is locked by another process")
    assert_app_refuses(library_db, 8, "is locked by another process", SHORT_WAIT)
    assert snapshot(library_db.parent) == before


# ------------------------------------------------------------------------- read-only and full disks


@cache
def namespaces() -> str | None:
    """None when mount namespaces with tmpfs and bind mounts work here, else why not."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return "no unshare(1)"
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(
            ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {folder} && umount {folder}"],
            capture_output=True,
            text=True,
        )
    if probe.returncode != 0:
        return f"mount namespaces unavailable: {probe.stderr.strip()[:120]}"
    return None


def in_namespace(tmp_path: Path, setup: str, db: Path, commands: list[list[str]]) -> dict:
    folder = tmp_path / f"mnt-{setup}"
    folder.mkdir()
    spec = tmp_path / f"{setup}.json"
    spec.write_text(
        json.dumps({"setup": setup, "folder": str(folder), "database": str(db), "commands": commands})
    )
    result = subprocess.run(
        ["unshare", "-m", sys.executable, str(HELPERS / "in_namespace.py"), str(spec)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def check_results(report: dict, expected: list[tuple[int, str | None]]) -> None:
    for result, (code, fragment) in zip(report["results"], expected, strict=True):
        assert result["code"] == code, result
        if fragment is None:
            continue
        if result["stderr"]:
            assert_one_line(result["stderr"], fragment)
        else:  # the app: everything went to the terminal
            assert fragment in result["stdout"] and ALTERNATE_SCREEN not in result["stdout"]
            assert "Traceback" not in result["stdout"]
    assert report["before"] == report["after"], "the database file changed"
    assert report["integrity"] == "ok"


def big_article(tmp_path: Path) -> Path:
    path = tmp_path / "big.txt"
    words = " ".join(f"word{n * 7919 % 1_000_003}" for n in range(60_000))
    path.write_text(f"A big article\n\n{words}\n", encoding="utf-8")
    return path


def test_read_only_file(library_db: Path, tmp_path: Path) -> None:
    """Reading works; the first change (and the app, which is for changing) is refused."""
    commands = [["list"], ["export"], ["import", str(ARTICLE)], ["app"]]
    expected = [(0, None), (0, None), (7, "is read-only: cannot save changes"), (7, "is read-only")]
    if namespaces() is None:
        report = in_namespace(tmp_path, "ro-file", library_db, commands)
        check_results(report, expected)
        assert report["articles"] == 11
        return
    if os.geteuid() == 0:
        pytest.skip(f"root ignores chmod and {namespaces()}; see test_error_translation")
    before = snapshot(library_db.parent)
    library_db.chmod(0o444)
    try:
        for args, (code, fragment) in zip(commands[:3], expected, strict=False):
            status, _, err = cli(library_db, *args)
            assert status == code, err
            if fragment:
                assert_one_line(err, fragment)
        assert_app_refuses(library_db, 7, "is read-only")
    finally:
        library_db.chmod(0o644)
    assert snapshot(library_db.parent) == before


def test_read_only_folder(library_db: Path, tmp_path: Path) -> None:
    fragment = "is in a read-only folder or file system"
    commands = [["list"], ["import", str(ARTICLE)], ["export"], ["app"]]
    if namespaces() is None:
        report = in_namespace(tmp_path, "ro-folder", library_db, commands)
        check_results(report, [(7, fragment)] * 4)
        assert report["files"] == ["library.db"]
        return
    if os.geteuid() == 0:
        pytest.skip(f"root ignores chmod and {namespaces()}; see test_error_translation")
    library_db.parent.chmod(0o555)
    try:
        check_every_way(library_db, 7, fragment)
    finally:
        library_db.parent.chmod(0o755)


def test_full_disk(library_db: Path, tmp_path: Path) -> None:
    """A disk with a little room: reading works, a big import is refused whole, a backup leaves
    no half-written file. A disk with no room at all: refused at once, the app never starts."""
    if namespaces() is not None:
        pytest.skip(f"{namespaces()}; test_full_disk_simulated covers the translation")
    fragment = "cannot be written: the disk is full"
    big = str(big_article(tmp_path))
    report = in_namespace(
        tmp_path, "nearly-full", library_db, [["list"], ["import", big], ["db", "backup"], ["export"]]
    )
    check_results(report, [(0, None), (9, fragment), (9, fragment), (0, None)])
    assert report["articles"] == 11 and report["files"] == ["library.db"]
    report = in_namespace(tmp_path, "full", library_db, [["list"], ["import", big], ["app"]])
    check_results(report, [(9, fragment)] * 3)


def test_full_disk_simulated(library_db: Path, tmp_path: Path) -> None:
    """SQLITE_FULL for real, without a full disk: the database may not grow past its size."""

    def no_growth(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    before = snapshot(library_db.parent)
    event.listen(Pool, "connect", no_growth)
    try:
        status, _, err = cli(library_db, "import", str(big_article(tmp_path)))
    finally:
        event.remove(Pool, "connect", no_growth)
    assert status == 9
    assert_one_line(err, "cannot be written: the disk is full")
    assert snapshot(library_db.parent) == before
    status, out, _ = cli(library_db, "db", "check")
    assert status == 0 and "articles:   11" in out and "integrity:  ok" in out


# ---------------------------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("reason", "code", "error_type"),
    [
        ("file is not a database", 26, errors.StoreCorrupt),
        ("database disk image is malformed", 11, errors.StoreCorrupt),
        ("attempt to write a readonly database", 8, errors.StoreReadOnly),
        ("database is locked", 5, errors.StoreLocked),
        ("database table is locked", 6, errors.StoreLocked),
        ("database or disk is full", 13, errors.StoreFull),
        ("unable to open database file", 14, errors.StoreUnavailable),
        ("disk I/O error", 10, errors.StoreUnavailable),
    ],
)
def test_error_translation(reason: str, code: int, error_type: type) -> None:
    by_text = translate(sqlite3.OperationalError(reason), "database X")
    assert type(by_text) is error_type and by_text.message.startswith("database X ")
    coded = sqlite3.OperationalError("some other wording")
    coded.sqlite_errorcode = code  # type: ignore[attr-defined]
    assert type(translate(coded, "database X")) is error_type


def test_exit_statuses_are_distinct() -> None:
    kinds = [
        errors.StoreUnavailable,
        errors.StoreCorrupt,
        errors.StoreTooNew,
        errors.StoreReadOnly,
        errors.StoreLocked,
        errors.StoreFull,
    ]
    codes = [kind.exit_code for kind in kinds]
    assert len(set(codes)) == len(codes) and not {0, 1, 2, errors.StoreError.exit_code} & set(codes)


def test_read_only_folder_and_full_disk_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What SQLite calls "unable to open" / "disk I/O error" is explained from the file system."""
    from nkreader.store import database as module

    db = tmp_path / "library.db"
    make_library(db)
    database = Database.open(str(db))
    try:
        cannot_open = sqlite3.OperationalError("unable to open database file")
        assert type(database.explain(cannot_open)) is errors.StoreUnavailable
        monkeypatch.setattr(module, "_read_only_folder", lambda folder: True)
        assert type(database.explain(cannot_open)) is errors.StoreReadOnly
        monkeypatch.setattr(module, "_disk_full", lambda folder: True)
        assert type(database.explain(sqlite3.OperationalError("disk I/O error"))) is errors.StoreFull
    finally:
        database.close()


def test_a_driver_error_escaping_a_command_is_one_line() -> None:
    """The CLI's last line of defence, for a path that forgot to go through the store's guard."""

    @click.command()
    @friendly_errors
    def broken() -> None:
        raise sqlite3.OperationalError("database or disk is full")

    @click.command()
    @friendly_errors
    def buggy() -> None:
        raise ZeroDivisionError("a bug stays a bug")

    result = CliRunner().invoke(broken)
    assert (
        result.exit_code == 9
        and result.stderr.strip() == "nkreader: database cannot be written: the disk is full"
    )
    result = CliRunner().invoke(buggy)
    assert isinstance(result.exception, ZeroDivisionError)
