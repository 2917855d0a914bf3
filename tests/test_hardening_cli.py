"""Issue 16, the command line: where exports and backups may go, numbers out of range, what a
read-only command does with a mistyped library, and what reaches a terminal.

Each test is one of the issue's probes, rerun as a user would: through the real command.
"""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SAMPLES
from nkreader.cli import main
from nkreader.domain import Annotation, ArticleDraft, Kind, new_uuid
from nkreader.services.library import Library, content_hash
from nkreader.store.annotations import add_annotation
from nkreader.store.articles import add_article

HOSTILE = "Title \x1b]0;pwned\x07 and \x1b]52;c;ZXZpbA==\x07 \x1b[2J \x9b31m end"


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def imported(db: Path) -> Path:
    code, _, err = run(db, "import", str(SAMPLES / "hyesan-market-prices.txt"))
    assert code == 0, err
    return db


def integrity(db: Path) -> tuple[str, int]:
    connection = sqlite3.connect(db)
    try:
        return (
            connection.execute("PRAGMA integrity_check").fetchone()[0],
            connection.execute("SELECT count(*) FROM articles").fetchone()[0],
        )
    finally:
        connection.close()


# ------------------------------------------------------------------ items 1, 2: targets


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_backup_onto_the_library_is_refused(db_path: Path, suffix: str) -> None:
    imported(db_path)
    target = Path(str(db_path) + suffix)
    before = target.read_bytes() if target.exists() else None
    code, _, err = run(db_path, "db", "backup", str(target))
    assert code == 2 and "library" in err and err.count("\n") == 1, err
    assert (target.read_bytes() if target.exists() else None) == before
    assert integrity(db_path) == ("ok", 1)


def test_backup_through_a_symlink_to_the_library_is_refused(db_path: Path, tmp_path: Path) -> None:
    imported(db_path)
    link = tmp_path / "elsewhere.db"
    link.symlink_to(db_path)
    code, _, err = run(db_path, "db", "backup", str(link))
    assert code == 2 and "is the library itself" in err
    assert link.is_symlink() and integrity(db_path) == ("ok", 1)


def test_export_onto_the_library_is_refused(db_path: Path) -> None:
    imported(db_path)
    code, _, err = run(db_path, "export", "-o", str(db_path))
    assert code == 2 and "is the library itself" in err, err
    assert integrity(db_path) == ("ok", 1)


def test_export_through_a_symlink_keeps_the_link(db_path: Path, tmp_path: Path) -> None:
    imported(db_path)
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    code, _, err = run(db_path, "export", "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and json.loads(real.read_text())["format"] == "nkreader-annotations"


def test_export_into_a_fifo_writes_through_it(db_path: Path, tmp_path: Path) -> None:
    imported(db_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    code, _, err = run(db_path, "export", "-f", "csv", "-o", str(fifo))
    out, _ = reader.communicate(timeout=30)
    assert code == 0, err
    assert out.startswith(b"article_id") or b"article" in out.splitlines()[0]
    assert fifo.exists() and not fifo.is_file()  # still a FIFO, not replaced by a file


def test_export_to_a_device_writes_through_and_a_folder_is_refused(db_path: Path, tmp_path: Path) -> None:
    """Never the real /dev/null: a null device made for the test (as root), or skipped."""
    imported(db_path)
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("making a device node needs root")
    code, _, err = run(db_path, "export", "-o", str(device))
    assert code == 0, err
    assert device.is_char_device()  # written through, not replaced by a regular file
    code, _, err = run(db_path, "export", "-o", str(tmp_path))
    assert code != 0 and "Traceback" not in err


def test_a_killed_export_leaves_no_temporary_file_after_the_next(db_path: Path, tmp_path: Path) -> None:
    imported(db_path)
    target = tmp_path / "out.json"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = tmp_path / f".out.json.{dead.pid}-0123456789ab.tmp"
    leftover.write_text("half an export")
    legacy = tmp_path / ".out.json.0123456789ab.tmp"  # named before the pid was in the name
    legacy.write_text("half an export")
    code, _, err = run(db_path, "export", "-o", str(target))
    assert code == 0, err
    assert not leftover.exists() and not legacy.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# ------------------------------------------------------------------ item 8: numbers


@pytest.mark.parametrize(
    "args",
    [
        ["import", "--max-size", "100000", "x.txt"],
        ["import", "--max-size", "1e15", "x.txt"],
        ["import", "--max-size", "inf", "x.txt"],
        ["import", "--max-size", "nan", "x.txt"],
        ["search", "--limit", "99999999999999999999", "rice"],
        ["show", "99999999999999999999"],
        ["export", "--article", "99999999999999999999"],
    ],
)
def test_numbers_out_of_range_are_usage_errors(db_path: Path, args: list[str]) -> None:
    imported(db_path)
    result = CliRunner().invoke(main, ["--db", str(db_path), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ item 18: locations


@pytest.mark.parametrize("args", [["list"], ["search", "x"], ["show", "1"], ["overview"], ["export"]])
def test_read_only_commands_create_no_library(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "typo" / "nested" / "lib.db"
    code, _, err = run(db, *args)
    assert code == 4 and err.startswith("nkreader: no library at ") and err.count("\n") == 1, err
    assert not (tmp_path / "typo").exists()


@pytest.mark.parametrize("db", [":memory:", "sqlite://", "sqlite:///:memory:"])
def test_in_memory_library_is_refused(db: str) -> None:
    result = CliRunner().invoke(main, ["--db", db, "import", str(SAMPLES / "hyesan-market-prices.txt")])
    assert result.exit_code == 2 and "in-memory" in result.stderr, result.output
    assert "imported" not in result.stdout


def test_sqlite_url_options_are_refused_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", f"sqlite:///{tmp_path}/x.db?mode=ro", "list"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert "?mode=ro" in result.stderr and "Warning" not in result.output
    assert not (tmp_path / "x.db").exists()


def test_postgresql_without_its_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    result = CliRunner().invoke(main, ["--db", "postgresql://u@127.0.0.1:1/db", "list"])
    assert result.exit_code == 4, result.output
    assert result.stderr.strip() == (
        "nkreader: a PostgreSQL library needs the psycopg driver: pip install 'nkreader[postgres]'"
    )


# ------------------------------------------------------------------ items 14, 20: output


def hostile_library(db: Path) -> int:
    library = Library.open(str(db))
    try:
        body = f"First line {HOSTILE}\n\nSecond paragraph."
        draft = ArticleDraft(title=HOSTILE, body=body)
        with library.database.writing() as session:  # as another tool (or an old version) stored it
            article_id = add_article(session, draft, content_hash(body)).id
            assert article_id is not None
            start = body.index("Title")
            add_annotation(
                session,
                Annotation(
                    None,
                    new_uuid(),
                    article_id,
                    Kind.QUOTE,
                    start,
                    start + len(HOSTILE),
                    HOSTILE,
                    note=f"note {HOSTILE}",
                    tags=[HOSTILE],
                    speaker=HOSTILE,
                ),
            )
        return article_id
    finally:
        library.close()


def on_a_terminal(*args: str) -> bytes:
    """Run the real command with its stdout on a pseudo-terminal; everything it printed there."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "nkreader", *args],
        stdout=secondary,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    os.close(secondary)
    output = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=30)
    os.close(primary)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    return output


@pytest.mark.parametrize(
    "args",
    [
        ["show", "1"],
        ["show", "--header", "1"],
        ["export", "-f", "markdown"],
        ["export", "-f", "csv"],
        ["export"],
        ["list", "--json"],
        ["list", "--jsonl"],
    ],
)
def test_terminal_gets_no_escape_sequence_from_stored_data(db_path: Path, args: list[str]) -> None:
    hostile_library(db_path)
    output = on_a_terminal("--db", str(db_path), *args)
    for sequence in (b"\x1b]", b"\x1b[2J", "\x9b".encode(), b"\x07"):
        assert sequence not in output, (args, output[:300])
    if args[0] == "show":
        assert b"Second paragraph." in output


def test_files_and_pipes_get_the_data_as_stored(db_path: Path) -> None:
    article_id = hostile_library(db_path)
    code, out, _ = run(db_path, "show", str(article_id))
    assert code == 0 and HOSTILE in out
    code, out, _ = run(db_path, "list", "--json")
    assert json.loads(out)[0]["title"] == HOSTILE and "\x9b" not in out  # \u009b escape, same data


def test_list_json_is_one_document_and_jsonl_one_object_per_line(db_path: Path) -> None:
    run(db_path, "import", str(SAMPLES))
    _, out, _ = run(db_path, "list", "--json")
    rows = json.loads(out)
    assert isinstance(rows, list) and len(rows) > 1
    _, out, _ = run(db_path, "list", "--jsonl")
    lines = out.splitlines()
    assert [json.loads(line) for line in lines] == rows


def test_show_prints_only_what_offsets_refer_to(db_path: Path) -> None:
    imported(db_path)
    library = Library.open(str(db_path))
    try:
        body = library.article(1).body
        title = library.article(1).title
    finally:
        library.close()
    _, out, _ = run(db_path, "show", "1")
    assert out == body + "\n"
    _, out, _ = run(db_path, "show", "--header", "1")
    assert out.startswith(title + "\n")


def test_export_to_dev_stdout_writes_through_the_pipe(db_path: Path) -> None:
    imported(db_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "nkreader", "--db", str(db_path), "export", "-o", "/dev/stdout"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["format"] == "nkreader-annotations"


def test_a_hard_link_to_the_library_is_refused(db_path: Path, tmp_path: Path) -> None:
    imported(db_path)
    other = tmp_path / "other-name.json"
    os.link(db_path, other)
    for args in (["export", "-o", str(other)], ["db", "backup", str(other)]):
        code, _, err = run(db_path, *args)
        assert code == 2 and "is the library itself" in err, err
    assert integrity(db_path) == ("ok", 1)
