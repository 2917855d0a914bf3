"""The command line as a user meets it: import, list, show, export, db, errors."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nkreader.cli import main
from nkreader.export import native

SAMPLE_ARTICLE_COUNT = 11  # 4 Markdown, 2 text, 1 HTML, 1 JSON, 3 feed entries
CONTROL_CHARS = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]] + [
    "\u202e",
    "\u202d",
    "\u2066",
]


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_import_samples_then_again_skips_all(db_path: Path) -> None:
    code, out, err = run(db_path, "import", str(SAMPLES))
    assert code == 0, err
    assert out.strip() == f"imported {SAMPLE_ARTICLE_COUNT}, skipped 0, failed 0"
    code, out, _ = run(db_path, "import", str(SAMPLES))
    assert code == 0
    assert out.strip() == f"imported 0, skipped {SAMPLE_ARTICLE_COUNT}, failed 0"


def test_export_holds_every_article_and_validates(db_path: Path, tmp_path: Path) -> None:
    run(db_path, "import", str(SAMPLES))
    code, out, _ = run(db_path, "export")
    assert code == 0
    document = json.loads(out)
    jsonschema.validate(document, native.schema())
    assert len(document["articles"]) == SAMPLE_ARTICLE_COUNT
    titles = {a["title"] for a in document["articles"]}
    assert "Kaechon stages public trial of five accused of smuggling Chinese goods" in titles
    assert any("청진" in t for t in titles)
    target = tmp_path / "out" / "export.json"
    target.parent.mkdir()
    code, _, err = run(db_path, "export", "-o", str(target), "--no-text")
    assert code == 0 and "exported 11 articles" in err
    assert all("body" not in a for a in json.loads(target.read_text())["articles"])


def test_schema_option_prints_the_shipped_schema(db_path: Path) -> None:
    code, out, _ = run(db_path, "export", "--schema")
    assert code == 0
    assert json.loads(out) == native.schema()
    assert not db_path.exists()  # printing the schema opens no library


def test_hostile_folder(db_path: Path, tmp_path: Path) -> None:
    from ingest_cases import write_hostile_corpus

    folder = tmp_path / "mixed"
    folder.mkdir()
    expectations = write_hostile_corpus(folder)
    refused = sorted(name for name, outcome in expectations.items() if outcome == "refused")
    started = time.monotonic()
    code, out, err = run(db_path, "import", str(folder), "--max-size", "1")
    elapsed = time.monotonic() - started
    assert code == 1
    assert "Traceback" not in out + err
    refused_lines = [line for line in err.splitlines() if line.startswith("refused ")]
    for name in refused:
        assert sum(f"{os.sep}{name}:" in line for line in refused_lines) >= 1, (name, err)
    for line in err.splitlines():
        assert line.isprintable()
    imported = int(out.split()[1].rstrip(","))
    assert imported >= sum(1 for o in expectations.values() if o == "ok")
    assert elapsed < 30
    with sqlite3.connect(db_path) as connection:
        for title, body, source in connection.execute(
            "select title, body, coalesce(source, '') from articles"
        ):
            for text in (title, body, source):
                assert not any(ch in text for ch in CONTROL_CHARS), repr(text[:80])


def test_missing_path_is_one_line(db_path: Path, tmp_path: Path) -> None:
    code, out, err = run(
        db_path, "import", str(tmp_path / "nope.md"), str(SAMPLES / "hyesan-market-prices.txt")
    )
    assert code == 1
    assert err.count("nope.md") == 1 and "no such file" in err
    assert out.strip() == "imported 1, skipped 0, failed 1"


def test_list_and_show(db_path: Path) -> None:
    run(db_path, "import", str(SAMPLES / "hyesan-market-prices.txt"))
    code, out, _ = run(db_path, "list")
    assert code == 0 and "Rice tops 7,000 won" in out
    code, out, _ = run(db_path, "list", "--json")
    row = json.loads(out)[0]  # one JSON document (an array); --jsonl gives one object per line
    assert row["counts"] == {"claim": 0, "quote": 0, "policy": 0}
    code, out, _ = run(db_path, "show", str(row["id"]))
    assert code == 0 and "Corn, the staple for most poorer households" in out
    code, _, err = run(db_path, "show", "999")
    assert code == 2 and err.strip() == "nkreader: no article with id 999"


def test_db_commands(db_path: Path, tmp_path: Path) -> None:
    code, out, _ = run(db_path, "db", "path")
    assert code == 0 and out.strip() == str(db_path)
    run(db_path, "import", str(SAMPLES))
    code, out, _ = run(db_path, "db", "check")
    assert code == 0 and "integrity:  ok" in out and "articles:   11" in out
    backup = tmp_path / "backup.db"
    code, out, _ = run(db_path, "db", "backup", str(backup))
    assert code == 0
    with sqlite3.connect(backup) as connection:
        assert connection.execute("select count(*) from articles").fetchone()[0] == SAMPLE_ARTICLE_COUNT


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["import"],
        ["list"],
        ["show"],
        ["export"],
        ["db"],
        ["db", "path"],
        ["db", "check"],
        ["db", "backup"],
    ],
)
def test_help_everywhere(args: list[str], db_path: Path) -> None:
    code, out, _ = run(db_path, *args, "--help")
    assert code == 0 and "Usage:" in out


def test_corrupt_database_is_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"\x00garbage" * 1000)
    code, _, err = run(bogus, "list")
    assert code == 5
    assert err.count("\n") == 1 and "bogus.db" in err and "Traceback" not in err


def test_python_dash_m_and_version(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nkreader", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "nkreader, version 0.1.0"


def test_kill_during_import_leaves_only_whole_articles(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    expected: dict[str, str] = {}
    for n in range(1000):
        body = "\n\n".join(
            f"Paragraph {p} of article {n}: the market price of rice was {n * 7 + p} won." for p in range(20)
        )
        (folder / f"article-{n:04d}.txt").write_text(f"Article {n}\n\n{body}\n", encoding="utf-8")
        expected[f"Article {n}"] = body
    db = tmp_path / "killed.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "nkreader", "--db", str(db), "import", "-q", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=5) as connection:
                    count = connection.execute("select count(*) from articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if count >= 50:
                break
    process.send_signal(signal.SIGKILL)
    process.wait()
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = connection.execute("select title, body from articles").fetchall()
        assert 50 <= len(rows) < 1000
        for title, body in rows:
            assert expected[title] == body
        fts = connection.execute(
            "select count(*) from articles_fts where articles_fts match 'rice'"
        ).fetchone()[0]
        assert fts == len(rows)


def test_db_option_after_the_command(db_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["import", "--db", str(db_path), str(SAMPLES / "hyesan-market-prices.txt")]
    )
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["export", "--db", str(db_path)])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["articles"]) == 1
