"""What an export reads: articles and annotations in export order, streamed to bound memory.

`select_articles` gives domain objects; `export_*_rows` give plain tuples of stored values
(columns `mappers.EXPORT_*_COLUMNS`, read with Core selects, no ORM objects and no domain
conversion) that `export.native` turns into the export's spellings. Callers own the session.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from operator import itemgetter

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from nkreader.domain import Article, Kind
from nkreader.store.mappers import (
    EXPORT_ANNOTATION_COLUMNS,
    EXPORT_ARTICLE_COLUMNS,
    article_from_row,
    stored_columns,
)
from nkreader.store.mappers import day_start
from nkreader.store.models import AnnotationRow, ArticleRow

__all__ = [
    "EXPORT_ANNOTATION_COLUMNS",
    "EXPORT_ARTICLE_COLUMNS",
    "export_annotation_rows",
    "export_article_rows",
    "select_articles",
]


def select_articles(session: Session, article_ids: Sequence[int] | None = None) -> Iterator[Article]:
    """Articles in export order (oldest id first), streamed in batches to bound memory."""
    query = select(ArticleRow).order_by(ArticleRow.id)
    if article_ids:
        query = query.where(ArticleRow.id.in_(article_ids))
    for row in session.scalars(query.execution_options(yield_per=200)):
        yield article_from_row(row)


def export_article_rows(
    session: Session, article_ids: Sequence[int] | None = None, *, include_body: bool = True
) -> Iterator[Row]:
    """Articles in export order (oldest id first) as rows of `EXPORT_ARTICLE_COLUMNS` (without
    `body` unless `include_body`), streamed in batches to bound memory."""
    names = EXPORT_ARTICLE_COLUMNS if include_body else EXPORT_ARTICLE_COLUMNS[:-1]
    query = select(*stored_columns(ArticleRow, names)).order_by(ArticleRow.id)
    if article_ids:
        query = query.where(ArticleRow.id.in_(article_ids))
    yield from session.connection().execution_options(yield_per=500).execute(query)


def export_annotation_rows(
    session: Session,
    article_ids: Sequence[int] | None = None,
    *,
    kinds: Iterable[Kind] | None = None,
    since: date | None = None,
) -> list[Row]:
    """Annotations (of the given articles, or all) as rows of `EXPORT_ANNOTATION_COLUMNS`, in
    export order: by article id, then start, end and id."""
    query = select(*stored_columns(AnnotationRow, EXPORT_ANNOTATION_COLUMNS))
    if kinds is not None:
        query = query.where(AnnotationRow.kind.in_([k.value for k in kinds]))
    if since is not None:
        query = query.where(AnnotationRow.created_at >= day_start(since))
    connection = session.connection()
    if not article_ids:
        # The whole table in its own order and sorted here: walking an index in export order
        # would fetch each row from a random page of the table (~40% slower for 100,000).
        return sorted(connection.execute(query).all(), key=itemgetter(1, 4, 5, 0))  # article, start, end, id
    query = query.order_by(AnnotationRow.article_id, AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)
    rows: list[Row] = []
    ids = sorted(set(article_ids))
    for offset in range(0, len(ids), 500):
        rows.extend(connection.execute(query.where(AnnotationRow.article_id.in_(ids[offset : offset + 500]))))
    return rows
