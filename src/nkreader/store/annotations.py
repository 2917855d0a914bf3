"""Annotations: read, add, update, delete one at a time; the tags in use. Callers own the session.

Many at once (generated libraries, restores) is `bulk.add_annotations`; the export's reads are
in `export_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from nkreader.domain import Annotation, Kind
from nkreader.store.errors import NotFound
from nkreader.store.mappers import annotation_from_row, annotation_values
from nkreader.store.models import AnnotationRow


def _filtered(query: Select, kinds: Iterable[Kind] | None, since: date | None) -> Select:
    if kinds is not None:
        query = query.where(AnnotationRow.kind.in_([k.value for k in kinds]))
    if since is not None:
        query = query.where(func.date(AnnotationRow.created_at) >= since.isoformat())
    return query


def annotations_for(
    session: Session,
    article_id: int,
    *,
    kinds: Iterable[Kind] | None = None,
    since: date | None = None,
) -> list[Annotation]:
    """An article's annotations in text order (start, end, id)."""
    query = (
        select(AnnotationRow)
        .where(AnnotationRow.article_id == article_id)
        .order_by(AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)
    )
    return [annotation_from_row(r) for r in session.scalars(_filtered(query, kinds, since))]


def annotations_by_article(
    session: Session,
    article_ids: Sequence[int],
    *,
    kinds: Iterable[Kind] | None = None,
    since: date | None = None,
) -> dict[int, list[Annotation]]:
    """Annotations of many articles in one query, grouped and in text order."""
    grouped: dict[int, list[Annotation]] = {}
    if not article_ids:
        return grouped
    query = _filtered(select(AnnotationRow).where(AnnotationRow.article_id.in_(article_ids)), kinds, since)
    query = query.order_by(AnnotationRow.article_id, AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)
    for row in session.scalars(query):
        grouped.setdefault(row.article_id, []).append(annotation_from_row(row))
    return grouped


def _row(session: Session, uuid: str) -> AnnotationRow | None:
    return session.scalars(select(AnnotationRow).where(AnnotationRow.uuid == uuid)).first()


def _row_or_missing(session: Session, uuid: str) -> AnnotationRow:
    row = _row(session, uuid)
    if row is None:
        raise NotFound(f"no annotation {uuid}")
    return row


def get_annotation(session: Session, uuid: str) -> Annotation:
    return annotation_from_row(_row_or_missing(session, uuid))


def find_annotation(session: Session, uuid: str) -> Annotation | None:
    row = _row(session, uuid)
    return annotation_from_row(row) if row else None


def add_annotation(session: Session, annotation: Annotation) -> Annotation:
    row = AnnotationRow(**annotation_values(annotation))
    session.add(row)
    session.flush()
    return annotation_from_row(row)


def update_annotation(session: Session, annotation: Annotation) -> Annotation:
    """Store every field of `annotation` over the stored one with its uuid."""
    row = _row_or_missing(session, annotation.uuid)
    for name, value in annotation_values(annotation).items():
        setattr(row, name, value)
    session.flush()
    return annotation_from_row(row)


def delete_annotation(session: Session, uuid: str) -> Annotation:
    row = _row_or_missing(session, uuid)
    gone = annotation_from_row(row)
    session.delete(row)
    session.flush()
    return gone


def known_tags(session: Session) -> list[str]:
    """Tags used anywhere in the library, most used first."""
    counts: dict[str, int] = {}
    for tags in session.scalars(select(AnnotationRow.tags).where(AnnotationRow.tags != "[]")):
        for tag in tags or []:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t.casefold()))
