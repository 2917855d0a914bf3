"""Counts over the whole library: articles, annotations per kind, per source and per month.
Callers own the session."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from nkreader.domain import Kind
from nkreader.store.models import AnnotationRow, ArticleRow

UNDATED = "undated"
"""The per-month row of articles without a publication date."""


def count_articles(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ArticleRow)) or 0


def count_annotations_by_kind(session: Session) -> dict[Kind, int]:
    counts = {k: 0 for k in Kind}
    for kind, count in session.execute(select(AnnotationRow.kind, func.count()).group_by(AnnotationRow.kind)):
        counts[Kind(kind)] = count
    return counts


def overview_counts(session: Session) -> dict[str, object]:
    """Counts per kind, per source, per month (articles) and the total of articles."""
    per_kind = {k: 0 for k in Kind}
    for kind, count in session.execute(text("SELECT kind, count(*) FROM annotations GROUP BY kind")):
        per_kind[Kind(kind)] = count
    per_source = [
        (source or "", count)
        for source, count in session.execute(
            text(
                "SELECT coalesce(source, ''), count(*) FROM articles GROUP BY coalesce(source, '') "
                "ORDER BY count(*) DESC, coalesce(source, '')"
            )
        )
    ]
    # the month of each article's publication date, counted in Python: portable (no dialect's
    # date functions) and one narrow row per article. An article without one counts as
    # "undated", last: its import month would put it where it was never published (issue 17).
    months: dict[str, int] = {}
    undated = 0
    for (published,) in session.execute(text("SELECT published FROM articles")):
        if published is None:
            undated += 1
            continue
        key = str(published)[:7]
        months[key] = months.get(key, 0) + 1
    per_month = sorted(months.items())
    if undated:
        per_month.append((UNDATED, undated))
    articles = session.execute(text("SELECT count(*) FROM articles")).scalar() or 0
    return {"per_kind": per_kind, "per_source": per_source, "per_month": per_month, "articles": articles}
