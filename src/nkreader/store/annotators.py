"""Queries about who marked what (issue 11): the marks agreement compares, the annotators known.

Portable SQL (SQLAlchemy core over the models): the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nkreader.store.models import AnnotationRow, ArticleRow


def annotators(session: Session) -> list[str]:
    """Everyone who made or last changed a mark, in alphabetical order."""
    made = select(AnnotationRow.author).where(AnnotationRow.author.is_not(None)).distinct()
    changed = select(AnnotationRow.updated_by).where(AnnotationRow.updated_by.is_not(None)).distinct()
    return sorted({name for query in (made, changed) for (name,) in session.execute(query) if name})


def marks_per_author(session: Session) -> dict[str | None, int]:
    """How many marks each annotator made in the whole library (None: made by nobody named)."""
    query = select(AnnotationRow.author, func.count()).group_by(AnnotationRow.author)
    counts: dict[str | None, int] = {}
    for author, count in session.execute(query):
        counts[author or None] = counts.get(author or None, 0) + int(count)
    return counts


def marks_for_agreement(
    session: Session, article_ids: Sequence[int] | None = None
) -> tuple[list[tuple[int, str, int, int, str, str]], dict[int, int]]:
    """(article_id, kind, start, end, author, uuid) of every mark with an author, and the length in
    characters of each article they are on (or of the articles asked for)."""
    query = select(
        AnnotationRow.article_id,
        AnnotationRow.kind,
        AnnotationRow.start,
        AnnotationRow.end,
        AnnotationRow.author,
        AnnotationRow.uuid,
    ).where(AnnotationRow.author.is_not(None), AnnotationRow.author != "")
    if article_ids:
        query = query.where(AnnotationRow.article_id.in_(list(article_ids)))
    rows = [
        (int(a), str(k), int(s), int(e), str(who), str(uuid))
        for a, k, s, e, who, uuid in session.execute(query.order_by(AnnotationRow.id))
    ]
    ids: set[int] = set(article_ids) if article_ids else {row[0] for row in rows}
    wanted = sorted(ids)
    lengths: dict[int, int] = {}
    if wanted:
        for article_id, length in session.execute(
            select(ArticleRow.id, func.length(ArticleRow.body)).where(ArticleRow.id.in_(wanted))
        ):
            lengths[article_id] = int(length or 0)
    return rows, lengths


def mark_texts(session: Session, uuids: Sequence[str]) -> dict[str, str]:
    """The marked text (`exact`) of each of `uuids`, by uuid (read in chunks: a whole library's
    disagreements are more than one statement may bind)."""
    found: dict[str, str] = {}
    wanted = list(dict.fromkeys(uuids))
    for offset in range(0, len(wanted), 500):
        chunk = wanted[offset : offset + 500]
        query = select(AnnotationRow.uuid, AnnotationRow.exact).where(AnnotationRow.uuid.in_(chunk))
        found.update((str(uuid), str(exact)) for uuid, exact in session.execute(query))
    return found


def article_titles(session: Session, article_ids: Sequence[int]) -> dict[int, str]:
    """The title of each of `article_ids`, by id."""
    found: dict[int, str] = {}
    wanted = sorted(set(article_ids))
    for offset in range(0, len(wanted), 500):
        chunk = wanted[offset : offset + 500]
        query = select(ArticleRow.id, ArticleRow.title).where(ArticleRow.id.in_(chunk))
        found.update((int(i), str(title)) for i, title in session.execute(query))
    return found
