"""Migration 0017: the articles with CJK text are found by a byte test before the GLOB (any
writer), and by the batch import itself (no trigger work); either way exactly 0005's rows.

The rows in `articles_cjk` are the rows the trigram index holds and those the character index
(0016) lists, so nothing may be dropped or added: each edge of every CJK range, its neighbours
outside, and texts sharing a first UTF-8 byte with CJK (Vietnamese, Greek extended, CJK
punctuation) are written by a plain sqlite3 writer and by the importer, and compared with 0005's
condition evaluated by SQLite itself; a library imported through the triggers (at 0016) and one
imported at 0017 give the same rows, indexes and Korean search results.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import SAMPLES
from nkreader.domain import ArticleDraft
from nkreader.services.importing import import_paths
from nkreader.services.library import Library, content_hash
from nkreader.services.search import search
from nkreader.store import bulk, migrate, unigrams
from nkreader.store.database import Database

CJK_GLOB = "*[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]*"
EDGES = [
    (0x1100, 0x11FF),
    (0x3040, 0x30FF),
    (0x3130, 0x318F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
]
CHARACTERS = sorted(
    {c for low, high in EDGES for c in (low - 1, low, low + 1, high - 1, high, high + 1)}
    | {0x1E9B, 0x1F00, 0x3001, 0x300C, 0x2019, 0x2014, 0xE000, 0xFB01, 0xFEFF, 0x10000, 0x1F600, 0xE9, 0x41}
)
TEXTS = [f"Plain English text with one {chr(c)} in it, curly \u2019quotes\u2019." for c in CHARACTERS] + [
    "Vietnamese: Vi\u1ec7t Nam \u0111\u1ea5t n\u01b0\u1edbc",
    "\uacbd\uc81c",
]


def placed(number: int, text: str) -> tuple[str, str | None, str]:
    """(title, source, body) with `text` in the title, the source or the body in turn."""
    place = number % 3
    if place == 0:
        return text, None, "body"
    if place == 1:
        return "t", text, "body"
    return "t", None, text


def glob_says(raw: sqlite3.Connection, title: str, source: str | None, body: str) -> bool:
    """0005's condition, asked of SQLite."""
    row = raw.execute(
        "SELECT :t GLOB :g OR coalesce(:s, '') GLOB :g OR :b GLOB :g",
        {"t": title, "s": source, "b": body, "g": CJK_GLOB},
    ).fetchone()
    return bool(row[0])


def listed(raw: sqlite3.Connection) -> dict[str, set[int]]:
    return {
        "cjk": {r[0] for r in raw.execute("SELECT id FROM articles_cjk")},
        "trigram": {r[0] for r in raw.execute("SELECT id FROM articles_tri_docsize")},
        "characters": {
            r[0]
            for r in raw.execute(
                "SELECT rowid FROM articles_uni UNION SELECT id FROM cjk_unigram_pending WHERE kind = 'articles'"
            )
        },
        "guard": (  # 0017's: at 0016 there is none
            {r[0] for r in raw.execute("SELECT writer FROM cjk_listed_by_writer")}
            if raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'cjk_listed_by_writer'").fetchone()
            else set()
        ),
    }


def expected(raw: sqlite3.Connection) -> set[int]:
    rows = raw.execute("SELECT id, title, source, body FROM articles").fetchall()
    return {i for i, title, source, body in rows if glob_says(raw, title, source, body)}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    Library.open(str(path)).close()
    return path


def test_the_library_is_at_0017_or_later(db: Path) -> None:
    database = Database.open(str(db), migrate_schema=False)
    try:
        assert int(migrate.current_revision(database.engine) or 0) >= 17
    finally:
        database.close()


def test_another_writer_s_rows_are_listed_as_the_glob_says(db: Path) -> None:
    with sqlite3.connect(db) as raw:  # any writer: another tool, the sqlite3 shell
        for number, text in enumerate(TEXTS):
            title, source, body = placed(number, text)
            raw.execute(
                "INSERT INTO articles (uuid, title, body, content_hash, source, imported_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, '2026-12-02 00:00:00.000000', '2026-12-02 00:00:00.000000')",
                (f"u{number}", title, body, f"h{number}", source),
            )
        found = expected(raw)
        assert 0 < len(found) < len(TEXTS)
        assert listed(raw) == {"cjk": found, "trigram": found, "characters": found, "guard": set()}
        # each body becomes the next one's: the update triggers decide the same way
        ids = [r[0] for r in raw.execute("SELECT id FROM articles ORDER BY id")]
        bodies = [r[0] for r in raw.execute("SELECT body FROM articles ORDER BY id")]
        for article_id, body in zip(ids, bodies[1:] + bodies[:1], strict=True):
            raw.execute("UPDATE articles SET body = ? WHERE id = ?", (body, article_id))
        found = expected(raw)
        assert listed(raw) == {"cjk": found, "trigram": found, "characters": found, "guard": set()}


def test_the_batch_import_lists_what_the_triggers_would(db: Path) -> None:
    library = Library.open(str(db))
    try:
        drafts = []
        for number, text in enumerate(TEXTS):
            title, source, body = placed(number, text)
            draft = ArticleDraft(title=title, body=f"{body} {number}", source=source, origin=f"/x/{number}.txt")
            drafts.append((draft, content_hash(draft.body)))
        with library.database.writing() as session:
            bulk.add_articles(session, drafts)
    finally:
        library.close()
    with sqlite3.connect(db) as raw:
        found = expected(raw)
        assert 0 < len(found) < len(TEXTS)
        # the character index was filled before the commit: the rows with CJK letters (not
        # only unassigned code points or punctuation)
        lettered = {
            i for i, t, s, b in raw.execute("SELECT id, title, source, body FROM articles") if unigrams.letters(t, s, b)
        }
        assert lettered and lettered < found
        assert listed(raw) == {"cjk": found, "trigram": found, "characters": lettered, "guard": set()}


def test_a_failed_batch_leaves_the_triggers_on(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library = Library.open(str(db))

    def broken(*args: object) -> None:
        raise ValueError("broken")

    monkeypatch.setattr(bulk, "_list_cjk_rows", broken)
    try:
        draft = ArticleDraft(title="경제", body="경제 body", origin="/x/1.txt")
        with pytest.raises(ValueError), library.database.writing() as session:
            bulk.add_articles(session, [(draft, content_hash(draft.body))])
    finally:
        library.close()
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT count(*) FROM articles").fetchone() == (0,)
        raw.execute(
            "INSERT INTO articles (uuid, title, body, content_hash, imported_at, updated_at) "
            "VALUES ('u', '경제', 'b', 'h', '2026-12-02 00:00:00.000000', '2026-12-02 00:00:00.000000')"
        )
        assert listed(raw)["cjk"] == {1} and listed(raw)["guard"] == set()


KOREAN_QUERIES = ["쌀", "인민", "경제", "김정은", "조선로동당", "인민* 경제", "경제 OR 과학", "김정은 OR Pyongyang"]


def test_a_library_imported_through_the_triggers_is_the_same(tmp_path: Path) -> None:
    """At 0016 every CJK listing is the triggers' (with the GLOB alone); at 0017 the importer's."""
    old_db, new_db = tmp_path / "old.db", tmp_path / "new.db"
    database = Database.open(str(old_db), migrate_schema=False)
    migrate.upgrade(database.engine, "0016")
    old = Library(database)
    new = Library.open(str(new_db))
    try:
        for library in (old, new):
            report = import_paths(library, [SAMPLES])
            assert report.imported and not report.failed
        hits = [
            {q: [(h.kind, h.article_id, h.offset, tuple(h.snippet)) for h in search(lib, q, limit=100)] for q in KOREAN_QUERIES}
            for lib in (old, new)
        ]
        assert hits[0] == hits[1]
        assert any(hits[1].values())
    finally:
        old.close()
        new.close()
    with sqlite3.connect(old_db) as a, sqlite3.connect(new_db) as b:
        assert listed(a) == listed(b)
        assert listed(b)["cjk"] == expected(b) != set()
        assert a.execute("SELECT rowid, chars FROM articles_uni ORDER BY rowid").fetchall() == b.execute(
            "SELECT rowid, chars FROM articles_uni ORDER BY rowid"
        ).fetchall()
