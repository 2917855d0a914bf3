"""The annotation browser (issue 6): every annotation of the library, filtered, sorted, paged in SQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from nkreader.domain import BrowseFilter, BrowseRow
from nkreader.services.entities import expand_query
from nkreader.services.library import Library
from nkreader.services.search import SearchError, text_match
from nkreader.services.sources import grades_for
from nkreader.store.browse import BROWSE_SORTS, browse_annotations
from nkreader.store.fulltext import FtsQueryError, TextMatch, has_trigram
from nkreader.store.speakers import speaker_spellings

__all__ = ["SORTS", "BrowseFilter", "BrowseRow", "browse"]

SORTS = BROWSE_SORTS
"""published, kind, speaker, article, source, status, created."""


def browse(
    library: Library,
    filters: BrowseFilter,
    *,
    sort: str = "published",
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
) -> tuple[list[BrowseRow], int]:
    """One page of annotations (`offset`, `limit`) and how many match the filters in all.

    `filters.speaker` matches, in any case, every speaker whose name or alias contains it, in all
    their spellings; `filters.source` matches sources containing it, in any case.
    `filters.reliability` keeps the passages of sources with that grade (in any spelling),
    `filters.credibility` those graded so, `filters.needs_review` the flagged ones (issue 17).
    `filters.text` is a search query over the annotations (exact, note, speaker, tags); if it is
    not valid FTS5 syntax (a half-typed phrase) its words are looked for as they are.
    Raises ValueError for an unknown sort.
    """
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")
    graded = _graded_spellings(library, filters.reliability) if filters.reliability else None
    if graded is not None and not graded:
        return [], 0  # no source has this grade
    if filters.text and filters.text.strip():  # an entity's name: every spelling of it (issue 17)
        filters = replace(filters, text=expand_query(library, filters.text))
    with library.database.reading() as session:
        speakers = (
            speaker_spellings(session, filters.speaker.strip(), partial=True)
            if filters.speaker and filters.speaker.strip()
            else None
        )
        if graded is not None:
            speakers = sorted(graded if speakers is None else graded & set(speakers))
            if not speakers:
                return [], 0
        match = None
        if filters.text and filters.text.strip() and session.get_bind().dialect.name != "postgresql":
            match = _match(filters.text, has_trigram(session))
        arguments: dict[str, Any] = dict(
            kinds=sorted(filters.kinds) if filters.kinds else None,
            speakers=speakers,
            tag=filters.tag or None,
            status=filters.status,
            source=filters.source or None,
            date_from=filters.date_from,
            date_to=filters.date_to,
            credibility=filters.credibility,
            needs_review=filters.needs_review,
            sort=sort,
            descending=descending,
            offset=max(0, offset),
            limit=max(0, limit),
        )
        if session.get_bind().dialect.name == "postgresql":
            from nkreader.store.browse_postgres import browse_annotations as browse_on_postgres

            return browse_on_postgres(session, query=filters.text, **arguments)
        try:
            return browse_annotations(session, match=match, **arguments)
        except FtsQueryError:
            literal = _literal(filters.text or "")
            match = _match(literal, has_trigram(session)) if literal else None
            return browse_annotations(session, match=match, **arguments)


def _graded_spellings(library: Library, reliability: str) -> set[str]:
    """Every spelling (canonical and aliases) of the sources graded `reliability`."""
    grades = grades_for(library, [])
    return {spelling for spelling, letter in grades.reliability.items() if letter == reliability.upper()}


def _match(query: str, trigram: bool) -> TextMatch | None:
    try:
        return text_match(query, trigram=trigram)[0]
    except SearchError:
        literal = _literal(query)
        return text_match(literal, trigram=trigram)[0] if literal else None


def _literal(query: str) -> str:
    """Every word of `query` quoted: no syntax left."""
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w)
