"""Full-text search over articles and annotations (issue 6).

The query language (`store.search_query`) is the same on every backend; `store.search_backend`
picks SQLite's FTS5 tables or PostgreSQL's tsvector / pg_trgm search (`store.fulltext_postgres`),
which return the same rows in the same order. Queries use FTS5 syntax: words (AND implied), "phrases", prefix*, AND / OR / NOT, parentheses,
NEAR(...), column filters (`title:`, `speaker:`). A word with punctuation inside (`Jong-un`,
`U.S.`) is quoted for the user so it does not read as syntax. Words are matched on the
unicode61 tables; a query with Korean (or other CJK) text is matched as substrings on the
trigram tables, and terms of one or two characters (a trigram needs three) are looked for with
`instr` over the text, so `쌀값` finds `쌀값이`.

Offsets of article hits are exact code points into the stored body, found here in Python
from the query's terms; snippets are cut from the stored text, never from markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from nkreader.domain import Kind, SearchHit
from nkreader.services.entities import query_alternatives
from nkreader.services.library import Library
from nkreader.store.search_backend import backend_for
from nkreader.store.search_query import (
    _ANNOTATION_COLUMNS,
    _ARTICLE_COLUMNS,
    SearchError,
    _columns,
    _Token,
)
from nkreader.store.search_sqlite import text_match

__all__ = ["SCOPES", "SearchError", "SearchHit", "search", "text_match"]
# text_match: the SQLite backend's FTS5 rendering, kept importable here for the browser

SCOPES = ("all", "articles", "annotations")
SNIPPET_CHARS = 120
_BEFORE = 40

def _patterns(terms: list[_Token], substrings: bool) -> list[re.Pattern[str]]:
    patterns = []
    for term in terms:
        if substrings:
            patterns.append(re.compile(re.escape(term.text), re.IGNORECASE))
            continue
        words = re.findall(r"\w+", term.text)
        if not words:
            continue
        body = r"\W+".join(re.escape(w) for w in words)
        end = r"\w*" if term.prefix else r"(?!\w)"
        patterns.append(re.compile(r"(?<!\w)" + body + end, re.IGNORECASE))
    return patterns


def _first_match(text: str, patterns: list[re.Pattern[str]]) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for pattern in patterns:
        m = pattern.search(text)
        if m and m.end() > m.start() and (best is None or m.start() < best[0]):
            best = (m.start(), m.end())
    return best


def _snippet(
    text: str, at: tuple[int, int] | None, patterns: list[re.Pattern[str]]
) -> list[tuple[str, bool]]:
    """About SNIPPET_CHARS characters of `text` around `at`, one line, matches marked."""
    start = 0 if at is None else max(0, at[0] - _BEFORE)
    if start:
        space = text.find(" ", start, min(at[0] if at else start, start + 12))
        if space >= 0:
            start = space + 1
    end = min(len(text), start + SNIPPET_CHARS)
    if at is not None and end < at[1]:
        end = min(len(text), at[1])
    window = text[start:end]
    spans = sorted(
        (m.start(), m.end()) for pattern in patterns for m in pattern.finditer(window) if m.end() > m.start()
    )
    flat = window.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    pieces: list[tuple[str, bool]] = []
    if start > 0:
        pieces.append(("…", False))
    done = 0  # the matched spans, merged where they touch, between unmatched text
    for span_start, span_end in spans:
        if span_end <= done:
            continue
        if span_start > done:
            pieces.append((flat[done:span_start], False))
            pieces.append((flat[span_start:span_end], True))
        else:
            pieces.append((flat[done:span_end], True))
        done = span_end
    pieces.append((flat[done:], False))
    if end < len(text):
        pieces.append(("…", False))
    merged: list[tuple[str, bool]] = []
    for piece, marked in pieces:
        if piece and merged and merged[-1][1] == marked:
            merged[-1] = (merged[-1][0] + piece, marked)
        elif piece:
            merged.append((piece, marked))
    return merged


def _article_hit(row: tuple, patterns: list[re.Pattern[str]], fallback: list[re.Pattern[str]]) -> SearchHit:
    article_id, title, source, published, rank, body = row
    at = _first_match(body, patterns)
    if at is None and fallback:
        at = _first_match(body, fallback)
        patterns = fallback if at is not None else patterns
    return SearchHit(
        kind="article",
        article_id=article_id,
        article_title=title,
        source=source,
        published=published,
        annotation_uuid=None,
        annotation_kind=None,
        offset=at[0] if at else 0,
        snippet=_snippet(body, at, patterns),
        rank=-float(rank or 0.0),
    )


def _annotation_hit(
    row: tuple, patterns: list[re.Pattern[str]], fallback: list[re.Pattern[str]]
) -> SearchHit:
    (_id, uuid, kind, start, exact, note, speaker, tags, article_id, title, source, published, rank) = row
    tag_list = json.loads(tags) if isinstance(tags, str) else list(tags or [])
    fields = [exact or "", note or "", speaker or "", " ".join(tag_list)]
    text, at, used = fields[0], None, patterns
    for candidates in (patterns, fallback):
        for value in fields:
            found = _first_match(value, candidates)
            if found is not None:
                text, at, used = value, found, candidates
                break
        if at is not None:
            break
    return SearchHit(
        kind="annotation",
        article_id=article_id,
        article_title=title,
        source=source,
        published=published,
        annotation_uuid=uuid,
        annotation_kind=Kind(kind),
        offset=start,
        snippet=_snippet(text, at, used),
        rank=-float(rank or 0.0),
    )


def search(
    library: Library,
    query: str,
    *,
    scope: str = "all",
    kind: Kind | None = None,
    limit: int = 100,
    expand: bool = True,
) -> list[SearchHit]:
    """Articles and annotations matching `query`, best first (at most `limit` in all).

    `scope` is "all", "articles" or "annotations"; `kind` keeps annotations of that kind only
    (and, with scope "all", leaves articles out). Raises SearchError for a malformed query.
    """
    if scope not in SCOPES:
        raise SearchError(f"unknown scope {scope!r} (one of {', '.join(SCOPES)})")
    if expand:  # an entity's name: every spelling of it, each searched, the hits merged (issue 17)
        alternatives = query_alternatives(library, query)
        if len(alternatives) > 1:
            return _merged(library, alternatives, scope=scope, kind=kind, limit=limit)
    with library.database.reading() as session:
        backend = backend_for(session)
        match, terms, substrings = backend.plan(session, query)
        patterns = _patterns(terms, substrings)
        fallback = _patterns(terms, True) if not substrings else []
        columns = _columns(query)
        if scope == "all" and columns:
            # a column filter names columns of one table: search only where they exist
            if not columns <= _ARTICLE_COLUMNS:
                scope = "annotations"
            elif not columns <= _ANNOTATION_COLUMNS:
                scope = "articles"
        # (rank, how to make the hit, row): snippets are made for the kept rows only
        found: list[tuple[float, Callable[..., SearchHit], tuple]] = []
        try:
            if scope in ("all", "articles") and kind is None:
                for row in backend.search_articles(session, match, limit=limit):
                    found.append((float(row[4] or 0.0), _article_hit, row))
            if scope in ("all", "annotations"):
                for row in backend.search_annotations(session, match, kind=kind, limit=limit):
                    found.append((float(row[12] or 0.0), _annotation_hit, row))
        except SearchError as exc:
            raise SearchError(f"cannot search for {' '.join(query.split())!r}: {exc}") from None
    found.sort(key=lambda f: f[0])  # bm25: lower is better; stable, so articles first on a tie
    return [make(row, patterns, fallback) for _rank, make, row in found[:limit]]


def _merged(
    library: Library, queries: list[str], *, scope: str, kind: Kind | None, limit: int
) -> list[SearchHit]:
    """The hits of several queries (one per spelling of an entity), each place once, best first."""
    best: dict[tuple[str, int, str | None, int], SearchHit] = {}
    for each in queries:
        for hit in search(library, each, scope=scope, kind=kind, limit=limit, expand=False):
            key = (hit.kind, hit.article_id, hit.annotation_uuid, 0)
            if key not in best or hit.rank > best[key].rank:
                best[key] = hit
    return sorted(best.values(), key=lambda h: -h.rank)[:limit]
