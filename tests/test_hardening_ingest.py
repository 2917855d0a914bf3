"""Issue 16, importing files: front matter (items 10, 19), origins with '#' (13), what a folder
holds besides files (19), and saved pages whose markup is slow to extract (9)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkreader.cli import main
from nkreader.ingest import IngestError, read_bytes


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def stored(db: Path, column: str) -> list[object]:
    connection = sqlite3.connect(db)
    try:
        return [row[0] for row in connection.execute(f"SELECT {column} FROM articles ORDER BY id")]
    finally:
        connection.close()


# ------------------------------------------------------------------ item 10


def test_huge_front_matter_is_refused_quickly() -> None:
    keys = "".join(f"k{n}: v\n" for n in range(400_000))  # about 4 MB of keys
    data = f"---\n{keys}---\n\nThe body.\n".encode()
    with pytest.raises(IngestError, match=r"front matter is too large"):
        read_bytes(data, "markdown", origin="big.md")


# ------------------------------------------------------------------ item 19: dates, links, loops


def test_a_bad_date_is_named_and_the_rest_imported(db_path: Path, tmp_path: Path) -> None:
    page = tmp_path / "bad-date.md"
    page.write_text("---\ntitle: Rice prices\nsource: Daily NK\npublished: 2024-13-45\n---\n\nRice rose.\n")
    code, out, err = run(db_path, "import", str(page))
    assert code == 0 and out.strip() == "imported 1, skipped 0, failed 0", (out, err)
    assert "'published'" in err and "2024-13-45" in err and "not a date" in err
    assert stored(db_path, "title") == ["Rice prices"] and stored(db_path, "source") == ["Daily NK"]
    assert stored(db_path, "published") == [None]


def test_a_good_date_is_still_read(db_path: Path, tmp_path: Path) -> None:
    page = tmp_path / "good.md"
    page.write_text("---\ntitle: Rice\npublished: 2024-03-14\n---\n\nRice rose.\n")
    code, _, err = run(db_path, "import", str(page))
    assert code == 0 and err == ""
    assert stored(db_path, "published") == ["2024-03-14"]


def test_an_explicit_symlink_loop_is_named(db_path: Path, tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    code, _, err = run(db_path, "import", str(loop))
    assert code == 1 and "symbolic link loop" in err and "no such file" not in err


def test_nothing_in_a_folder_is_skipped_without_a_word(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Title A\n\nA body that is here.\n")
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret\n\nNot in the folder.\n")
    (folder / "out.txt").symlink_to(outside)
    (folder / "inside.txt").symlink_to(folder / "a.txt")  # the same file again: once
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "null.txt").symlink_to("/dev/null")
    code, out, err = run(db_path, "import", str(folder))
    assert code == 1
    assert out.strip() == "imported 1, skipped 0, failed 5", (out, err)
    for name, reason in [
        ("out.txt", "outside the folder"),
        ("dangling.txt", "dangling symbolic link"),
        ("loop.txt", "symbolic link loop"),
        ("pipe.txt", "not a file (a FIFO)"),
        ("null.txt", "outside the folder"),  # /dev/null: a device, and elsewhere
    ]:
        assert any(name in line and reason in line for line in err.splitlines()), (name, err)
    assert stored(db_path, "title") == ["Title A"]


# ------------------------------------------------------------------ item 13


def test_a_hash_in_a_folder_name_is_part_of_the_origin(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dir#x"
    folder.mkdir()
    (folder / "note.txt").write_text("A note\n\nWith a body.\n")
    code, _, err = run(db_path, "import", str(folder / "note.txt"))
    assert code == 0, err
    assert stored(db_path, "origin") == [str((folder / "note.txt").resolve())]


def test_feed_entries_still_get_their_number(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "feeds#1"
    folder.mkdir()
    entries = [{"title": f"T{n}", "body": f"Body number {n}."} for n in range(2)]
    import json

    (folder / "list.json").write_text(json.dumps(entries))
    code, _, err = run(db_path, "import", str(folder / "list.json"))
    assert code == 0, err
    origin = str((folder / "list.json").resolve())
    assert stored(db_path, "origin") == [f"{origin}#1", f"{origin}#2"]
