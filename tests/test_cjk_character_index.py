"""The CJK character index (migration 0016): 1-2 character Korean queries without a scan.

Results must be exactly the scan's: the test searches the shared Korean New Year addresses (plus
the English samples, and Korean marks with notes, speakers and tags) for many one- and
two-character terms taken from the text, once through the index and once with it switched off,
and once at 0015 (before the index) against the same library upgraded. Rows written by another
program are still found, and the index follows updates and deletes.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from conftest import SAMPLES, shared_folder
from nkreader.domain import Kind
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.search import search
from nkreader.store import migrate, unigrams
from nkreader.store.database import Database


def _korean_terms(library: Library, count: int = 40) -> list[str]:
    rng = random.Random(16)
    text = "".join(library.article(s.id).body for s in library.summaries())
    syllables = [i for i, ch in enumerate(text) if "\uac00" <= ch <= "\ud7af"]
    ones = {text[i] for i in rng.sample(syllables, count)}
    twos = {text[i : i + 2] for i in rng.sample(syllables, count) if unigrams.CJK.match(text[i + 1 : i + 2])}
    # absent, a Hangul jamo, a syllable in a tag only, mixed with a word
    return sorted(ones | twos) + ["햏", "ㄱ", "검증", "쌀 rice", "당 OR 쌀"]


def _hits(library: Library, terms: list[str]) -> dict[str, list[tuple]]:
    found = {}
    for term in terms:
        hits = search(library, term, limit=100)
        found[term] = [(h.kind, h.article_id, h.annotation_uuid, h.offset, tuple(h.snippet)) for h in hits]
    return found


def _mark_some(library: Library) -> None:
    for summary in library.summaries():
        body = library.article(summary.id).body
        for n, start in enumerate(range(0, min(len(body), 3000), 300)):
            library.annotate(
                summary.id,
                Kind.QUOTE,
                start,
                start + 120,
                note="인민 경제 verify",
                speaker="김정은" if n % 2 else None,
                tags=["검증"] if n % 3 == 0 else [],
            )


def _pending(db: Path) -> int:
    with sqlite3.connect(db) as raw:
        return raw.execute("SELECT count(*) FROM cjk_unigram_pending").fetchone()[0]


def test_short_korean_results_are_the_scans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = shared_folder("corpora", "nk-new-year-addresses")
    db = tmp_path / "library.db"
    # at 0015, the last revision without the index: its results are the scan's
    database = Database.open(str(db), migrate_schema=False)
    migrate.upgrade(database.engine, "0015")
    library = Library(database)
    import_paths(library, sorted(corpus.glob("20*.txt")))
    import_paths(library, [SAMPLES])
    _mark_some(library)
    terms = _korean_terms(library)
    before = _hits(library, terms)
    assert sum(bool(v) for v in before.values()) > len(terms) // 2, "most terms are found"
    assert not before["햏"] and before["검증"]
    migrate.upgrade(library.database.engine)
    library.close()

    library = Library.open(str(db))
    with sqlite3.connect(db) as raw:  # the upgrade indexed every row with CJK text
        indexed = raw.execute("SELECT count(*) FROM annotations_uni").fetchone()[0]
        korean = raw.execute("SELECT count(*) FROM annotations_cjk").fetchone()[0]
        assert indexed == korean > 0
        assert raw.execute("SELECT count(*) FROM articles_uni").fetchone()[0] > 0
    assert _pending(db) == 0
    assert _hits(library, terms) == before
    # the app's own writes are indexed as they commit
    summary = library.summaries()[0]
    library.annotate(summary.id, Kind.CLAIM, 0, 10, note="햏 새 표시")
    assert _pending(db) == 0
    assert [h.kind for h in search(library, "햏")] == ["annotation"]
    # and the scan with the index switched off still agrees
    indexed_hits = _hits(library, terms)
    monkeypatch.setattr(unigrams, "has_unigrams", lambda session: False)
    assert _hits(library, terms) == indexed_hits
    library.close()


def test_rows_written_by_another_program_are_found_and_changes_followed(library: Library) -> None:
    import_paths(library, [SAMPLES])
    db = library.database.path
    assert db is not None
    ids = {s.title: s.id for s in library.summaries()}
    english = next(i for i in ids.values() if not unigrams.CJK.search(library.article(i).body))
    with sqlite3.connect(db) as raw:  # another tool: no nkreader code runs
        raw.execute("UPDATE articles SET body = body || ' 햏값' WHERE id = ?", (english,))
    assert _pending(db) == 1
    assert english in {h.article_id for h in search(library, "햏", scope="articles")}
    assert english in {h.article_id for h in search(library, "햏값", scope="articles")}
    # the next write by nkreader indexes it
    library.annotate(english, Kind.CLAIM, 0, 5)
    assert _pending(db) == 0
    assert english in {h.article_id for h in search(library, "햏값", scope="articles")}
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE articles SET body = replace(body, ' 햏값', '') WHERE id = ?", (english,))
        assert raw.execute("SELECT count(*) FROM articles_uni WHERE rowid = ?", (english,)).fetchone() == (0,)
    assert not search(library, "햏", scope="articles")
    korean = next(i for i in ids.values() if "쌀" in library.article(i).body)
    assert korean in {h.article_id for h in search(library, "쌀", scope="articles")}
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA foreign_keys = ON")
        raw.execute("DELETE FROM articles WHERE id = ?", (korean,))
        assert raw.execute("SELECT count(*) FROM articles_uni WHERE rowid = ?", (korean,)).fetchone() == (0,)
        assert raw.execute("INSERT INTO articles_uni(articles_uni) VALUES ('integrity-check')") is not None
    assert korean not in {h.article_id for h in search(library, "쌀", scope="articles")}
