"""Annotations: read, add, update, delete one at a time; the tags in use. Callers own the session.

An article's annotations are read as plain tuples (`mappers.annotation_select`), not ORM objects:
opening an article with 1,000 marks spent ~30 % of its time building ORM rows.

Many at once (generated libraries, restores) is `bulk.add_annotations`; the export's reads are
in `export_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, Table, Text, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from nkreader.domain import Annotation, Kind
from nkreader.store.errors import NotFound
from nkreader.store.mappers import (
    ANNOTATION_FIELDS,
    annotation_from_row,
    annotation_from_values,
    annotation_select,
    annotation_values,
    day_start,
    to_column,
)
from nkreader.store.models import AnnotationRow


def _filtered(query: Select, kinds: Iterable[Kind] | None, since: date | None) -> Select:
    if kinds is not None:
        query = query.where(AnnotationRow.kind.in_([k.value for k in kinds]))
    if since is not None:
        query = query.where(AnnotationRow.created_at >= day_start(since))
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
        annotation_select()
        .where(AnnotationRow.article_id == article_id)
        .order_by(AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)
    )
    return [annotation_from_values(r) for r in session.execute(_filtered(query, kinds, since))]


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
    query = _filtered(annotation_select().where(AnnotationRow.article_id.in_(article_ids)), kinds, since)
    query = query.order_by(AnnotationRow.article_id, AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)
    for row in session.execute(query):
        annotation = annotation_from_values(row)
        grouped.setdefault(annotation.article_id, []).append(annotation)
    return grouped


def _row(session: Session, uuid: str, *, for_update: bool = False) -> AnnotationRow | None:
    # populate_existing: a row this session already holds is refreshed from the table, so a
    # read after `write_fields` (a Core UPDATE) sees what was written
    query = select(AnnotationRow).where(AnnotationRow.uuid == uuid).execution_options(populate_existing=True)
    if for_update:
        query = query.with_for_update()  # PostgreSQL: the row stays ours until commit (SQLite: no-op)
    return session.scalars(query).first()


def _row_or_missing(session: Session, uuid: str) -> AnnotationRow:
    row = _row(session, uuid)
    if row is None:
        raise NotFound(f"no annotation {uuid}")
    return row


def annotation_id(session: Session, uuid: str) -> int | None:
    """The row id of the annotation `uuid` (links refer to annotations by it), or None."""
    return session.scalar(select(AnnotationRow.id).where(AnnotationRow.uuid == uuid))


def get_annotation(session: Session, uuid: str) -> Annotation:
    return annotation_from_row(_row_or_missing(session, uuid))


def find_annotation(session: Session, uuid: str, *, for_update: bool = False) -> Annotation | None:
    """The annotation with `uuid`, or None. `for_update`: locked until the transaction ends
    (a read that a write in the same transaction depends on)."""
    row = _row(session, uuid, for_update=for_update)
    return annotation_from_row(row) if row else None


def add_annotation(session: Session, annotation: Annotation) -> Annotation:
    row = AnnotationRow(**annotation_values(annotation))
    session.add(row)
    session.flush()
    return annotation_from_row(row)


def update_annotation(session: Session, annotation: Annotation) -> Annotation:
    """Store every field of `annotation` over the stored one with its uuid; the version moves on.

    For a caller that read the stored annotation in this same transaction (an annotation
    import merging a newer copy). Editors write the fields they changed with `write_fields`.
    """
    row = _row_or_missing(session, annotation.uuid)
    for name in ANNOTATION_FIELDS:
        setattr(row, name, to_column(name, getattr(annotation, name)))
    row.version = row.version + 1
    session.flush()
    return annotation_from_row(row)


def write_fields(session: Session, uuid: str, expected_version: int, values: Mapping[str, object]) -> bool:
    """Store `values` (fields of `Annotation` by name) on the annotation `uuid` if it still has
    `expected_version`, and move its version on; False (nothing written) when it has another
    version or is gone.

    One conditional UPDATE: only the named columns are written, and a concurrent writer
    (another process, another server session) cannot slip in between the test and the write.
    """
    unknown = set(values) - set(ANNOTATION_FIELDS)
    if unknown:
        raise ValueError(f"not annotation fields: {', '.join(sorted(unknown))}")
    table = cast(Table, AnnotationRow.__table__)
    statement = (
        update(table)
        .where(table.c.uuid == uuid, table.c.version == expected_version)
        .values(
            {
                **{name: to_column(name, value) for name, value in values.items()},
                "version": table.c.version + 1,
            }
        )
    )
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount == 1


def delete_annotation(session: Session, uuid: str) -> Annotation:
    row = _row_or_missing(session, uuid)
    gone = annotation_from_row(row)
    session.delete(row)
    session.flush()
    return gone


def known_tags(session: Session) -> list[str]:
    """Tags used anywhere in the library, most used first."""
    counts: dict[str, int] = {}
    # compared as text: PostgreSQL's json type has no = or <> (SQLite stores the JSON as text anyway)
    stored = select(AnnotationRow.tags).where(sql_cast(AnnotationRow.tags, Text) != "[]")
    for tags in session.scalars(stored):
        for tag in tags or []:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t.casefold()))
