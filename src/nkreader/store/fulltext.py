"""Full-text search (SQLite FTS5): how a query matches articles and annotations. Callers own the session.

Full-text matching is described by a `TextMatch` the services build from the user's query:
an FTS5 query on the unicode61 tables (words), and/or one on the trigram tables (substrings,
for Korean), and/or plain substrings looked for with `instr` (terms shorter than a trigram).
The tables and their triggers are created from `store.fts`; the annotation browser
(`store.browse`) filters with the same `TextMatch`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from nkreader.domain import Kind
from nkreader.store import unigrams


class FtsQueryError(ValueError):
    """SQLite refused a full-text query (syntax error, unknown column)."""


@dataclass(frozen=True, slots=True)
class TextMatch:
    """How to find text: every part given must match (AND)."""

    fts: str | None = None
    """FTS5 query for the unicode61 tables (whole words)."""
    trigram: str | None = None
    """FTS5 query for the trigram tables (substrings of 3 characters or more)."""
    substrings: tuple[str, ...] = field(default_factory=tuple)
    """Substrings (any length) each of which must occur somewhere in the indexed columns.
    Given only for a query with CJK text whose every term must occur."""
    cjk_rows: bool = False
    """Only rows with CJK text (listed in `*_cjk`, migration 0005) can match: scan only those
    for `substrings` (a few hundred rows, not every body)."""
    beyond: str | None = None
    """With `trigram`: FTS5 query for the unicode61 tables, for the rows the trigram tables do
    not hold (no CJK text). Set when the trigram query can match a row without CJK text (`OR`,
    `NOT`): those rows are matched on words instead of substrings. Unset, every match must
    contain a CJK term, and only rows with CJK text are looked at."""
    unigram: str | None = None
    """With `substrings` and `cjk_rows`: FTS5 query for the CJK character index (migration
    0016, `store.unigrams`) naming every CJK letter of the substrings. Only the rows holding
    them all (or not indexed yet) are scanned with `instr`, not every row with CJK text."""


_TABLES = {
    "articles": ("articles_fts", "articles_tri", "a", ("a.title", "coalesce(a.source, '')", "a.body")),
    "annotations": (
        "annotations_fts",
        "annotations_tri",
        "n",
        ("n.exact", "n.note", "coalesce(n.speaker, '')", "n.tags"),
    ),
}
_CJK_ROWS = {"articles": "articles_cjk", "annotations": "annotations_cjk"}


def has_trigram(session: Session) -> bool:
    """Whether the trigram tables exist (SQLite >= 3.34 when migration 0004 ran)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles_tri'")
    ).first()
    return found is not None


def has_cjk_rows(session: Session) -> bool:
    """Whether the trigram tables index only the rows with CJK text, listed in `*_cjk` (0005)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles_cjk'")
    ).first()
    return found is not None


def _is_query_error(exc: OperationalError) -> bool:
    message = str(exc.orig).lower()
    return any(
        marker in message
        for marker in ("fts5", "syntax error", "no such column", "unterminated", "unknown special query")
    )


def _match_sql(which: str, match: TextMatch, params: dict[str, object]) -> tuple[str, list[str], str]:
    """(FROM additions, WHERE conditions, rank expression) for `match` over `which`."""
    fts, tri, alias, columns = _TABLES[which]
    joins = ""
    conditions: list[str] = []
    rank = "0.0"
    if match.fts:
        joins += f" JOIN {fts} ON {fts}.rowid = {alias}.id"
        conditions.append(f"{fts} MATCH :fts_q")
        params["fts_q"] = match.fts
        rank = f"{fts}.rank"
    if match.trigram and match.beyond:
        # substrings where the row has CJK text, words elsewhere (see TextMatch.beyond)
        joins += (
            f" JOIN (SELECT rowid AS id, rank FROM {tri} WHERE {tri} MATCH :tri_q"
            f" UNION ALL SELECT rowid AS id, rank FROM {fts} WHERE {fts} MATCH :beyond_q"
            f" AND rowid NOT IN (SELECT id FROM {_CJK_ROWS[which]})) m ON m.id = {alias}.id"
        )
        params["tri_q"] = match.trigram
        params["beyond_q"] = match.beyond
        if rank == "0.0":
            rank = "m.rank"
    elif match.trigram:
        joins += f" JOIN {tri} ON {tri}.rowid = {alias}.id"
        conditions.append(f"{tri} MATCH :tri_q")
        params["tri_q"] = match.trigram
        if rank == "0.0":
            rank = f"{tri}.rank"
    elif match.substrings and match.cjk_rows and match.unigram:
        # only the rows holding every CJK letter of the terms (the character index) are scanned
        conditions.append(f"{alias}.id IN ({unigrams.candidates_sql(which)})")
        params["uni_q"] = match.unigram
    elif match.substrings and match.cjk_rows:
        # every term must occur and one has CJK text: only rows with CJK text can match, and
        # the index of their ids drives the scan
        conditions.append(f"{alias}.id IN (SELECT id FROM {_CJK_ROWS[which]})")
    for i, substring in enumerate(match.substrings):
        name = f"sub_{i}"
        params[name] = substring
        if which == "annotations" and json.dumps(substring) != f'"{substring}"':
            # tags are stored as JSON text with non-ASCII escaped: look there for the escaped form
            params[name + "_json"] = json.dumps(substring)[1:-1]
            any_column = " OR ".join(f"instr({c}, :{name}) > 0" for c in columns[:-1])
            any_column += f" OR instr({columns[-1]}, :{name}_json) > 0"
        else:
            any_column = " OR ".join(f"instr({c}, :{name}) > 0" for c in columns)
        conditions.append(f"({any_column})")
    return joins, conditions, rank


def _run(session: Session, sql: str, params: dict[str, object]) -> list[Row]:
    try:
        return list(session.execute(text(sql), params))
    except OperationalError as exc:
        if _is_query_error(exc):
            message = str(exc.orig).splitlines()[0] if str(exc.orig) else "malformed query"
            raise FtsQueryError(message) from None
        raise


def _ranked_ids(which: str, match: TextMatch, conditions_extra: list[str], params: dict[str, object]) -> str:
    """SQL for the kept rows only: (id, rank) of the best `:limit` matches, best first.

    Ranking and LIMIT run on narrow rows (an id and a rank); the caller then joins the wide
    columns (bodies, titles) of the kept rows only. Joining the bodies before ranking made
    SQLite carry every matching body through the sorter (p95 108 -> 38 ms at 10,000 articles).
    With a single full-text table and nothing else to test, the full-text table is ranked
    alone, without even a join.
    """
    fts, tri, alias, _columns = _TABLES[which]
    only = (match.fts is None) != (match.trigram is None) and not (
        match.substrings or match.beyond or conditions_extra
    )
    if only:
        table, key = (fts, "fts_q") if match.fts else (tri, "tri_q")
        params[key] = match.fts or match.trigram
        return (
            f"SELECT rowid AS id, rank FROM {table} WHERE {table} MATCH :{key} "
            "ORDER BY rank, rowid DESC LIMIT :limit"
        )
    base = "articles" if which == "articles" else "annotations"
    joins, conditions, rank = _match_sql(which, match, params)
    conditions += conditions_extra
    order = f"{rank}, {alias}.id DESC" if rank != "0.0" else f"{alias}.id DESC"
    return (
        f"SELECT {alias}.id AS id, {rank} AS rank FROM {base} {alias}{joins} "
        f"WHERE {' AND '.join(conditions) or '1'} ORDER BY {order} LIMIT :limit"
    )


def search_articles(session: Session, match: TextMatch, *, limit: int) -> list[tuple[Any, ...]]:
    """Rows (id, title, source, published, rank, body), best first (rank: bm25, lower is better)."""
    params: dict[str, object] = {"limit": limit}
    kept = _ranked_ids("articles", match, [], params)
    sql = (
        "SELECT a.id, a.title, a.source, a.published, k.rank AS rank, a.body "
        f"FROM ({kept}) k JOIN articles a ON a.id = k.id ORDER BY k.rank, a.id DESC"
    )
    rows = _run(session, sql, params)
    return [_with_date(row, 3) for row in rows]


def search_annotations(
    session: Session, match: TextMatch, *, kind: Kind | None, limit: int
) -> list[tuple[Any, ...]]:
    """Rows (id, uuid, kind, start, exact, note, speaker, tags, article_id, title, source,
    published, rank), best first."""
    params: dict[str, object] = {"limit": limit}
    extra = []
    if kind is not None:
        extra.append("n.kind = :kind")
        params["kind"] = kind.value
    kept = _ranked_ids("annotations", match, extra, params)
    sql = (
        f"SELECT n.id, n.uuid, n.kind, n.start, n.exact, n.note, n.speaker, n.tags, n.article_id, "
        f"a.title, a.source, a.published, k.rank AS rank "
        f"FROM ({kept}) k JOIN annotations n ON n.id = k.id JOIN articles a ON a.id = n.article_id "
        f"ORDER BY k.rank, n.id DESC"
    )
    return [_with_date(row, 11) for row in _run(session, sql, params)]


def _with_date(row: Row, index: int) -> tuple[Any, ...]:
    values = list(row)
    if isinstance(values[index], str):
        values[index] = date.fromisoformat(values[index])
    return tuple(values)
