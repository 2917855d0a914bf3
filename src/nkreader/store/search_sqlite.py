"""Search on SQLite: the query language rendered as FTS5 queries for the unicode61 and trigram tables.

The SQL itself is in `store.fulltext` (`search_articles`, `search_annotations`, tuned for speed);
this module turns the parsed query into the `TextMatch` those take, and FTS5's complaints about a
query into `SearchError`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from nkreader.domain import Kind
from nkreader.store import fulltext as research
from nkreader.store import unigrams
from nkreader.store.fulltext import TextMatch
from nkreader.store.speakers import speaker_spellings
from nkreader.store.search_query import (
    _CJK,
    SearchError,
    SpellingLookup,
    _is_simple,
    _rewrite,
    _terms,
    _Token,
    _tokenize,
)


def _needs_and(left: _Token | None, right: _Token) -> bool:
    """FTS5 allows an implied AND between phrases only, not next to a parenthesised group."""
    if left is None:
        return False
    words = ("term", "phrase")
    if left.kind == ")":
        return right.kind in (*words, "(", "col") or (right.kind == "op" and right.text == "NEAR")
    return left.kind in words and right.kind == "("


def _render(tokens: list[_Token]) -> str:
    parts = []
    previous: _Token | None = None
    for token in tokens:
        if _needs_and(previous, token):
            parts.append("AND")
        previous = token
        if token.kind == "phrase":
            parts.append('"' + token.text.replace('"', '""') + '"' + ("*" if token.prefix else ""))
        elif token.kind == "term":
            parts.append(token.text + ("*" if token.prefix else ""))
        else:
            parts.append(token.text)
    return " ".join(parts).replace(": ", ":").replace("( ", "(").replace(" )", ")")


def text_match(
    query: str,
    *,
    trigram: bool = True,
    cjk_rows: bool | None = None,
    spellings: SpellingLookup | None = None,
    unigram_index: bool = False,
) -> tuple[TextMatch, list[_Token], bool]:
    """How to match `query`: (match, its positive terms, substring semantics).

    `cjk_rows`: the trigram tables hold only the rows with CJK text (migration 0005; the
    default when `trigram`), so a query that can match elsewhere also looks there by word.
    `spellings`: every spelling of a speaker, so `speaker:NAME` finds its aliases too.
    `unigram_index`: the CJK character index exists (0016): short terms scan only the rows it
    names.
    """
    if cjk_rows is None:
        cjk_rows = trigram
    if not query or not query.strip():
        raise SearchError("empty query")
    tokens = _rewrite(_tokenize(query), spellings)
    terms = _terms(tokens)
    if not any(t.kind in ("term", "phrase") for t in tokens):
        raise SearchError("the query has no words to look for")
    rendered = _render(tokens)
    if not trigram or not _CJK.search(query):
        return TextMatch(fts=rendered), terms, False
    if all(len(t.text) >= 3 for t in terms):
        # a simple query (every term required) has a CJK term every match contains; with OR or
        # NOT a row without CJK text, which the trigram tables do not hold, may match too
        beyond = None if _is_simple(tokens) or not cjk_rows else rendered
        return TextMatch(trigram=rendered, beyond=beyond), terms, True
    if _is_simple(tokens):
        long = [t for t in terms if len(t.text) >= 3]
        short = tuple(t.text for t in terms if len(t.text) < 3)
        trigram_query = " ".join('"' + t.text.replace('"', '""') + '"' for t in long) or None
        unigram = unigrams.match_query(short) if unigram_index and cjk_rows else None
        match = TextMatch(trigram=trigram_query, substrings=short, cjk_rows=cjk_rows, unigram=unigram)
        return match, terms, True
    return TextMatch(fts=rendered), terms, False


def plan(session: Session, query: str) -> tuple[TextMatch, list[_Token], bool]:
    return text_match(
        query,
        trigram=research.has_trigram(session),
        cjk_rows=research.has_cjk_rows(session),
        unigram_index=unigrams.has_unigrams(session),
        spellings=lambda name: speaker_spellings(session, name),
    )


def _refused(exc: research.FtsQueryError) -> SearchError:
    return SearchError(str(exc).removeprefix("fts5: ").replace('near ""', "at the end"))


def search_articles(session: Session, match: TextMatch, *, limit: int) -> list[tuple]:
    try:
        return list(research.search_articles(session, match, limit=limit))
    except research.FtsQueryError as exc:
        raise _refused(exc) from None


def search_annotations(session: Session, match: TextMatch, *, kind: Kind | None, limit: int) -> list[tuple]:
    try:
        return list(research.search_annotations(session, match, kind=kind, limit=limit))
    except research.FtsQueryError as exc:
        raise _refused(exc) from None
