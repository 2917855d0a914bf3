"""Trigram (substring) indexing for the rows with CJK text only (migration 0005).

Korean results must be identical to those of 0004's trigram index over every row: the test
searches the shared Korean New Year addresses (plus the English samples) at 0004, upgrades,
and searches again: the same hits, offsets and snippets, in the same order (bm25 scores
themselves change, as they count the documents in the index). English rows leave the trigram tables, and the triggers keep the set
right on insert, update and delete.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import SAMPLES, shared_folder
from nkreader.domain import Kind
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.search import search
from nkreader.store import migrate
from nkreader.store.database import Database

KOREAN_QUERIES = [
    "쌀",  # one syllable: a scan, over the Korean rows only
    "보폭",  # two: the same
    "인민",
    "경제",
    "김정은",
    "자력갱생",
    "인민경제",
    "사회주의 건설",
    '"조선로동당"',
    "인민* 경제",
    "경제 OR 과학",
    "인민 NOT 미국",
    "NEAR(인민 경제, 10)",
    "김정은 OR Pyongyang",
    "쌀 rice",
    "혁명 2019",
]


def _hits(library: Library) -> dict[str, list[tuple]]:
    found = {}
    for query in KOREAN_QUERIES:
        hits = search(library, query, limit=200)
        found[query] = [(h.kind, h.article_id, h.annotation_uuid, h.offset, tuple(h.snippet)) for h in hits]
    return found


def _mark_some(library: Library) -> None:
    for summary in library.summaries():
        body = library.article(summary.id).body
        for start in range(0, min(len(body), 3000), 300):
            library.annotate(
                summary.id, Kind.QUOTE, start, start + 120, note="인민 경제 verify", speaker="김정은"
            )


def _mark_some_at_0004(db: Path) -> None:
    """`_mark_some` in SQL: today's code writes columns (the annotation version, 0006) that a
    library left at 0004 does not have yet."""
    import uuid

    with sqlite3.connect(db) as raw:
        for article_id, body in raw.execute("SELECT id, body FROM articles ORDER BY id").fetchall():
            for start in range(0, min(len(body), 3000), 300):
                end = min(start + 120, len(body))
                raw.execute(
                    'INSERT INTO annotations (uuid, article_id, kind, start, "end", exact, prefix, suffix, note, '
                    "tags, speaker, status, anchor_state, author, created_at, updated_at) VALUES "
                    "(?, ?, 'quote', ?, ?, ?, ?, ?, '인민 경제 verify', '[]', '김정은', 'unverified', 'anchored', "
                    "NULL, '2026-12-01 00:00:00.000000', '2026-12-01 00:00:00.000000')",
                    (
                        str(uuid.uuid4()),
                        article_id,
                        start,
                        end,
                        body[start:end],
                        body[max(0, start - 32) : start],
                        body[end : end + 32],
                    ),
                )


def test_korean_results_are_identical_before_and_after_the_index_change(tmp_path: Path) -> None:
    corpus = shared_folder("corpora", "nk-new-year-addresses")
    db = tmp_path / "library.db"
    database = Database.open(str(db), migrate_schema=False)
    migrate.upgrade(database.engine, "0004")
    database.close()
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'articles_cjk'").fetchone() == (
            0,
        )
    # the library as 0004 left it: the importer and the annotations write through 0004's triggers
    library = _open_at(db)
    import_paths(library, sorted(corpus.glob("20*.txt")))
    import_paths(library, [SAMPLES])
    _mark_some_at_0004(db)
    before = _hits(library)
    assert all(before.values()), {q: len(v) for q, v in before.items()}
    migrate.upgrade(library.database.engine, "0005")
    assert migrate.current_revision(library.database.engine) == "0005"
    after = _hits(library)
    assert after == before
    with sqlite3.connect(db) as raw:
        korean = raw.execute("SELECT count(*) FROM articles_cjk").fetchone()[0]
        articles = raw.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert 4 <= korean < articles  # the English samples are not in the trigram index
    library.close()
    # a new library (every migration) finds the same
    fresh = Library.open(str(tmp_path / "fresh.db"))
    import_paths(fresh, sorted(corpus.glob("20*.txt")))
    import_paths(fresh, [SAMPLES])
    _mark_some(fresh)
    assert _hits(fresh).keys() == before.keys()
    assert {q: [h[:2] + h[3:] for h in v if h[0] == "article"] for q, v in _hits(fresh).items()} == {
        q: [h[:2] + h[3:] for h in v if h[0] == "article"] for q, v in before.items()
    }
    fresh.close()


def _open_at(db: Path) -> Library:
    """A library on a database left at an older revision (no upgrade on open)."""
    return Library(Database.open(str(db), migrate_schema=False))


def test_triggers_keep_the_cjk_rows_on_insert_update_and_delete(library: Library) -> None:
    import_paths(library, [SAMPLES])
    ids = {s.title: s.id for s in library.summaries()}
    db = library.database.path
    assert db is not None

    def cjk() -> set[int]:
        with sqlite3.connect(db) as raw:
            return {r[0] for r in raw.execute("SELECT id FROM articles_cjk")}

    korean = {
        i for t, i in ids.items() if any("\uac00" <= ch <= "\ud7af" for ch in library.article(i).body + t)
    }
    assert korean and cjk() == korean
    english = next(i for i in ids.values() if i not in korean)
    with sqlite3.connect(db) as raw:  # any writer: the CLI, another tool
        raw.execute("UPDATE articles SET body = body || ' 쌀값' WHERE id = ?", (english,))
    assert english in cjk()
    assert english in {h.article_id for h in search(library, "쌀값", scope="articles")}
    assert english in {h.article_id for h in search(library, "쌀", scope="articles")}
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE articles SET body = replace(body, ' 쌀값', '') WHERE id = ?", (english,))
    assert english not in cjk()
    assert english not in {h.article_id for h in search(library, "쌀값", scope="articles")}
    gone = next(iter(korean))
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("DELETE FROM articles WHERE id = ?", (gone,))
        assert raw.execute("INSERT INTO articles_tri(articles_tri) VALUES ('integrity-check')") is not None
    assert gone not in cjk()


@pytest.mark.parametrize("query", ["sanctions OR 김정은", "rice NOT 쌀값"])
def test_or_and_not_with_korean_still_find_english_rows_by_word(library: Library, query: str) -> None:
    import_paths(library, [SAMPLES])
    word = query.split()[0]
    english = {h.article_id for h in search(library, word, scope="articles")}
    found = {h.article_id for h in search(library, query, scope="articles")}
    if query.split()[1] == "OR":
        assert english and english <= found
    else:
        assert found
