"""Rows <-> domain objects, and how times are stored: the one place that knows column lists.

Every other store module reads and writes through these functions, so a column added to a
table is added here once (with its model in `models` and a migration), not in each query.

Times are stored as naive UTC (`UTCDateTime` makes them aware again on the way out). Raw
text reads (Core `text()` queries, export rows) get the stored spelling
(`STORED_TIME_FORMAT`, e.g. "2025-08-22 09:30:00.000000"); `stored_time` and `stored_date`
turn such values back into aware datetimes and dates.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import String, Text, select, type_coerce
from sqlalchemy.sql import Select

from nkreader.domain import (
    AnchorState,
    Annotation,
    Article,
    ArticleDraft,
    ArticleRevision,
    Kind,
    Link,
    LinkType,
    Status,
    new_uuid,
)
from nkreader.store.models import AnnotationRow, ArticleRevisionRow, ArticleRow, LinkRow

# --------------------------------------------------------------------------- stored times

STORED_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLite keeps a UTC time as text (naive, microseconds)."""


def stored_time(value: object) -> datetime:
    """An aware UTC datetime from a time as stored (text or a naive/aware datetime)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text_value = str(value)
    try:
        parsed = datetime.strptime(text_value, STORED_TIME_FORMAT)
    except ValueError:
        parsed = datetime.fromisoformat(text_value)
    return parsed.replace(tzinfo=UTC)


def stored_date(value: object) -> date | None:
    """A date from a date as stored ("YYYY-MM-DD" text, or a date already)."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value  # type: ignore[return-value]  # a date or None from the driver


def time_to_store(value: datetime) -> str:
    """The stored spelling of an aware time, for raw SQL writes (`text()` UPDATEs)."""
    return value.astimezone(UTC).replace(tzinfo=None).strftime(STORED_TIME_FORMAT)


# --------------------------------------------------------------------------- articles

ARTICLE_FIELDS = (
    "title",
    "body",
    "content_hash",
    "source",
    "author",
    "url",
    "published",
    "language",
    "origin",
    "origin_format",
    "imported_at",
    "updated_at",
)
"""Columns of `articles` besides id and uuid, as named on `Article`."""

DRAFT_METADATA = ("source", "author", "url", "published", "language", "origin", "origin_format")
"""What a newer copy of an article may bring besides title and body (kept when it is None)."""


def article_from_row(row: ArticleRow) -> Article:
    return Article(
        id=row.id,
        uuid=row.uuid,
        title=row.title,
        body=row.body,
        content_hash=row.content_hash,
        source=row.source,
        author=row.author,
        url=row.url,
        published=row.published,
        language=row.language,
        origin=row.origin,
        origin_format=row.origin_format,
        imported_at=row.imported_at,
        updated_at=row.updated_at,
    )


def draft_values(
    draft: ArticleDraft, digest: str, *, uuid: str | None, imported_at: datetime
) -> dict[str, Any]:
    """Column values of a new article made from a draft (one row, or one of an `executemany`)."""
    return {
        "uuid": uuid or new_uuid(),
        "title": draft.title,
        "body": draft.body,
        "content_hash": digest,
        "source": draft.source,
        "author": draft.author,
        "url": draft.url,
        "published": draft.published,
        "language": draft.language,
        "origin": draft.origin,
        "origin_format": draft.origin_format,
        "imported_at": imported_at,
        "updated_at": imported_at,
    }


def article_values(article: Article) -> dict[str, Any]:
    """Column values of an article stored exactly as given (uuid and times kept)."""
    values = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    values["uuid"] = article.uuid
    return values


# --------------------------------------------------------------------------- revisions


def revision_from_row(row: ArticleRevisionRow) -> ArticleRevision:
    return ArticleRevision(
        id=row.id,
        article_id=row.article_id,
        title=row.title,
        body=row.body,
        content_hash=row.content_hash,
        url=row.url,
        origin=row.origin,
        stored_at=row.stored_at,
        replaced_at=row.replaced_at,
    )


def revision_values(revision: ArticleRevision) -> dict[str, Any]:
    return {
        "article_id": revision.article_id,
        "title": revision.title,
        "body": revision.body,
        "content_hash": revision.content_hash,
        "url": revision.url,
        "origin": revision.origin,
        "stored_at": revision.stored_at,
        "replaced_at": revision.replaced_at,
    }


# --------------------------------------------------------------------------- annotations

ANNOTATION_FIELDS = (
    "article_id",
    "kind",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "note",
    "tags",
    "speaker",
    "status",
    "anchor_state",
    "author",
    "created_at",
    "updated_at",
    "updated_by",
)
"""Columns of `annotations` besides id, uuid and version, as named on `Annotation`."""


def annotation_from_row(row: AnnotationRow) -> Annotation:
    return Annotation(
        id=row.id,
        uuid=row.uuid,
        article_id=row.article_id,
        kind=Kind(row.kind),
        start=row.start,
        end=row.end,
        exact=row.exact,
        prefix=row.prefix,
        suffix=row.suffix,
        note=row.note,
        tags=list(row.tags or []),
        speaker=row.speaker,
        status=Status(row.status),
        anchor_state=AnchorState(row.anchor_state),
        author=row.author,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        updated_by=row.updated_by,
    )


ANNOTATION_READ_COLUMNS = ("id", "uuid", *ANNOTATION_FIELDS, "version")
"""The columns `annotation_select` reads, in its order (what `annotation_from_values` takes)."""

_RAW_COLUMNS = frozenset({"tags", "created_at", "updated_at"})
_KINDS = {kind.value: kind for kind in Kind}
_STATUSES = {status.value: status for status in Status}
_ANCHOR_STATES = {state.value: state for state in AnchorState}


def annotation_select() -> Select[Any]:
    """Annotations as plain tuples (`ANNOTATION_READ_COLUMNS`), tags and times as the driver gives
    them: no ORM object, no JSON or date processor per row.

    Why: an article's 1,000 marks read as ORM objects (identity map, instrumented attributes, a
    JSON and two datetime processors per row) were ~30 % of opening it; tuples through
    `annotation_from_values` give the same `Annotation`s in a fraction of the time.
    """
    columns = [getattr(AnnotationRow, name) for name in ANNOTATION_READ_COLUMNS]
    raw = [type_coerce(c, Text) if n in _RAW_COLUMNS else c for n, c in zip(ANNOTATION_READ_COLUMNS, columns, strict=True)]
    return select(*raw)


@lru_cache(maxsize=1024)
def _decoded_tags(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))  # the same few tag lists recur: decoded once each


def _stored_tags(value: object) -> list[str]:
    # SQLite hands back the JSON text; PostgreSQL's driver the decoded list
    if value is None or value == "[]":
        return []
    if isinstance(value, str):
        return list(_decoded_tags(value))
    return list(value)  # type: ignore[call-overload]


def _stored_utc(value: object) -> datetime:
    # SQLite: "YYYY-MM-DD HH:MM:SS.ffffff" (naive UTC) text; PostgreSQL: a datetime already
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text_value = str(value)
    try:
        return datetime.fromisoformat(text_value + "+00:00")  # one C call: parsed and made aware
    except ValueError:
        return datetime.fromisoformat(text_value).astimezone(UTC)


def annotation_from_values(r: Sequence[Any]) -> Annotation:
    """An annotation from a row of `annotation_select()` (equal to `annotation_from_row`'s)."""
    kind, status, state = r[3], r[12], r[13]
    return Annotation(
        id=r[0],
        uuid=r[1],
        article_id=r[2],
        kind=_KINDS[kind] if kind in _KINDS else Kind(kind),
        start=r[4],
        end=r[5],
        exact=r[6],
        prefix=r[7],
        suffix=r[8],
        note=r[9],
        tags=_stored_tags(r[10]),
        speaker=r[11],
        status=_STATUSES[status] if status in _STATUSES else Status(status),
        anchor_state=_ANCHOR_STATES[state] if state in _ANCHOR_STATES else AnchorState(state),
        author=r[14],
        created_at=_stored_utc(r[15]),
        updated_at=_stored_utc(r[16]),
        updated_by=r[17],
        version=r[18],
    )


def to_column(name: str, value: Any) -> Any:
    """The stored value of one annotation field (enums by value, tags as a fresh list)."""
    if isinstance(value, Kind | Status | AnchorState):
        return value.value
    if name == "tags":
        return list(value)
    return value


def annotation_values(annotation: Annotation) -> dict[str, Any]:
    """Column values of a new annotation row (without id): uuid and version included."""
    values = {name: to_column(name, getattr(annotation, name)) for name in ANNOTATION_FIELDS}
    values["uuid"] = annotation.uuid
    values["version"] = annotation.version
    return values


# --------------------------------------------------------------------------- links


def link_select() -> Select[Any]:
    """Links with their ends' uuids: (id, uuid, source uuid, target uuid, type, created_at)."""
    source = AnnotationRow.__table__.alias("s")
    target = AnnotationRow.__table__.alias("t")
    return (
        select(LinkRow.id, LinkRow.uuid, source.c.uuid, target.c.uuid, LinkRow.type, LinkRow.created_at)
        .join(source, source.c.id == LinkRow.source_id)
        .join(target, target.c.id == LinkRow.target_id)
    )


def link_from_row(r: Sequence[Any]) -> Link:
    """A link from a row of `link_select()`."""
    return Link(id=r[0], uuid=r[1], source_uuid=r[2], target_uuid=r[3], type=LinkType(r[4]), created_at=r[5])


# --------------------------------------------------------------------------- export rows
# Export rows: plain tuples of stored values, read with Core selects (no ORM objects, no domain
# conversion). Times, dates and tags come as stored (SQLite: "YYYY-MM-DD HH:MM:SS.ffffff" UTC
# text, "YYYY-MM-DD", JSON text); `export.native` turns them into the export's spellings.

EXPORT_ARTICLE_COLUMNS = (
    "id",
    "uuid",
    "title",
    "source",
    "author",
    "url",
    "published",
    "language",
    "origin",
    "origin_format",
    "content_hash",
    "imported_at",
    "updated_at",
    "body",
)
EXPORT_ANNOTATION_COLUMNS = ("id", "article_id", "uuid", *ANNOTATION_FIELDS[1:])
"""The export's annotation columns: the stored fields after the ids, in `ANNOTATION_FIELDS` order."""
_AS_STORED = {"published": String(), "imported_at": String(), "updated_at": String(), "created_at": String()}


def stored_columns(table: type[ArticleRow] | type[AnnotationRow], names: Sequence[str]) -> list[Any]:
    """Columns `names` of `table`, labelled, read as stored (times and dates as text, tags as JSON)."""
    columns = []
    for name in names:
        column = getattr(table, name)
        if name == "tags":
            column = type_coerce(column, Text())
        elif name in _AS_STORED:
            column = type_coerce(column, _AS_STORED[name])
        columns.append(column.label(name))
    return columns


def day_start(day: date) -> datetime:
    """Midnight UTC of `day`: `created_at >= it` is "made on that day or later" on every backend
    (no dialect's date function)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
