"""The reshaped search SQL (rank and LIMIT on the full-text table, then join the kept rows)
returns exactly the hits, in exactly the order, of the straightforward join-then-rank SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from conftest import SAMPLES
from nkreader.domain import Kind
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.search import text_match
from nkreader.store import fulltext

QUERIES = [
    "Pyongyang",
    '"Central Committee"',
    "Korea*",
    "rice OR market",
    "title:Korea",
    "Kim NOT Jong",
    "NEAR(party congress, 5)",
    "청진",
    "쌀값",
    "쌀",
    "쌀 market",
    "시장 OR rice",
]


def _reference_articles(session, match, limit):
    """The SQL before the reshape: bodies joined before ranking and limiting."""
    params: dict[str, object] = {"limit": limit}
    joins, conditions, rank = fulltext._match_sql("articles", match, params)
    order = f"{rank}, a.id DESC" if rank != "0.0" else "a.id DESC"
    sql = (
        f"SELECT a.id, {rank} AS rank FROM articles a{joins} "
        f"WHERE {' AND '.join(conditions) or '1'} ORDER BY {order} LIMIT :limit"
    )
    return [tuple(r) for r in session.execute(text(sql), params)]


def _reference_annotations(session, match, kind, limit):
    params: dict[str, object] = {"limit": limit}
    joins, conditions, rank = fulltext._match_sql("annotations", match, params)
    if kind is not None:
        conditions.append("n.kind = :kind")
        params["kind"] = kind.value
    order = f"{rank}, n.id DESC" if rank != "0.0" else "n.id DESC"
    sql = (
        f"SELECT n.id, {rank} AS rank FROM annotations n{joins} JOIN articles a ON a.id = n.article_id "
        f"WHERE {' AND '.join(conditions) or '1'} ORDER BY {order} LIMIT :limit"
    )
    return [tuple(r) for r in session.execute(text(sql), params)]


@pytest.fixture
def filled(library: Library, tmp_path) -> Library:
    import_paths(library, [SAMPLES])
    folder = tmp_path / "more"
    folder.mkdir()
    # many near-identical articles: equal ranks, so the tie-break (newest first) decides the cut
    for i in range(30):
        (folder / f"a{i}.txt").write_text(
            f"Report {i}\n\nRice prices at the Pyongyang market rose again. 청진 수남시장 쌀값이 올랐다 {i % 3}.\n",
            encoding="utf-8",
        )
    import_paths(library, [folder])
    for summary in library.summaries()[:20]:
        body = library.article(summary.id).body
        for start in range(0, min(len(body), 400), 80):
            library.annotate(
                summary.id, Kind.CLAIM, start, min(len(body), start + 60), note="market Pyongyang"
            )
    return library


@pytest.mark.parametrize("limit", [1, 7, 100])
def test_reshaped_search_sql_gives_identical_hits(filled: Library, limit: int) -> None:
    with filled.database.reading() as session:
        trigram = fulltext.has_trigram(session)
        for query in QUERIES:
            match, _terms, _sub = text_match(query, trigram=trigram)
            got = [(r[0], r[4]) for r in fulltext.search_articles(session, match, limit=limit)]
            assert got == _reference_articles(session, match, limit), query
            if query.startswith("title:"):
                continue  # not a column of the annotations' table
            for kind in (None, Kind.CLAIM, Kind.QUOTE):
                rows = fulltext.search_annotations(session, match, kind=kind, limit=limit)
                got_n = [(r[0], r[12]) for r in rows]
                assert got_n == _reference_annotations(session, match, kind, limit), (query, kind)
    # the comparison means something: the queries do find rows, and more than `limit` of them
    with filled.database.reading() as session:
        match, _t, _s = text_match("Pyongyang")
        assert len(fulltext.search_articles(session, match, limit=100)) > 7
