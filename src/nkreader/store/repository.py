"""Queries and writes, in domain objects. Callers own the session and its transaction."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from operator import itemgetter

from sqlalchemy import DateTime, Row, String, Text, func, insert, or_, select, type_coerce
from sqlalchemy.orm import Session

from nkreader.domain import (
    AnchorState,
    Annotation,
    Article,
    ArticleDraft,
    ArticleRevision,
    ArticleSummary,
    Kind,
    Link,
    LinkType,
    Status,
    new_uuid,
    utcnow,
)
from nkreader.store.errors import NotFound
from nkreader.store.models import AnnotationRow, ArticleRevisionRow, ArticleRow, LinkRow, ReadingPositionRow


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while a large result is read into objects that all live on (the
    library list, an export). Each collection would scan the growing heap again, and the first
    ones after start-up scan every module object too: 40 ms of the library list's 100 ms in a
    freshly started app, half the time of building an export. Nothing read here makes cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --------------------------------------------------------------------------- articles


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


def find_article_id_by_hash(session: Session, content_hash: str) -> int | None:
    return session.scalar(select(ArticleRow.id).where(ArticleRow.content_hash == content_hash).limit(1))


def find_article_by_url_or_origin(session: Session, url: str | None, origin: str | None) -> Article | None:
    conditions = []
    if url:
        conditions.append(ArticleRow.url == url)
    if origin:
        conditions.append(ArticleRow.origin == origin)
    if not conditions:
        return None
    row = session.scalars(select(ArticleRow).where(or_(*conditions)).limit(1)).first()
    return article_from_row(row) if row else None


def _article_row(draft: ArticleDraft, digest: str, uuid: str | None, imported_at: datetime) -> ArticleRow:
    return ArticleRow(
        uuid=uuid or new_uuid(),
        title=draft.title,
        body=draft.body,
        content_hash=digest,
        source=draft.source,
        author=draft.author,
        url=draft.url,
        published=draft.published,
        language=draft.language,
        origin=draft.origin,
        origin_format=draft.origin_format,
        imported_at=imported_at,
        updated_at=imported_at,
    )


def add_article(
    session: Session,
    draft: ArticleDraft,
    content_hash: str,
    *,
    uuid: str | None = None,
    imported_at: datetime | None = None,
) -> Article:
    row = _article_row(draft, content_hash, uuid, imported_at or utcnow())
    session.add(row)
    session.flush()
    return article_from_row(row)


def find_article_by_uuid(session: Session, uuid: str) -> Article | None:
    row = session.scalars(select(ArticleRow).where(ArticleRow.uuid == uuid)).first()
    return article_from_row(row) if row else None


def find_article_by_url(session: Session, urls: Sequence[str]) -> Article | None:
    """The first article whose URL is any of `urls` (spellings of one address)."""
    if not urls:
        return None
    row = session.scalars(
        select(ArticleRow).where(ArticleRow.url.in_(list(urls))).order_by(ArticleRow.id)
    ).first()
    return article_from_row(row) if row else None


def find_article_by_hash(session: Session, digest: str) -> Article | None:
    row = session.scalars(
        select(ArticleRow).where(ArticleRow.content_hash == digest).order_by(ArticleRow.id)
    ).first()
    return article_from_row(row) if row else None


def insert_article(session: Session, article: Article) -> Article:
    """Store an article exactly as given (uuid and times kept): restoring from an export.

    Its id is kept too when that id is free, so a restore into an empty library is exact.
    """
    free = article.id is not None and session.get(ArticleRow, article.id) is None
    row = ArticleRow(
        id=article.id if free else None,
        uuid=article.uuid,
        title=article.title,
        body=article.body,
        content_hash=article.content_hash,
        source=article.source,
        author=article.author,
        url=article.url,
        published=article.published,
        language=article.language,
        origin=article.origin,
        origin_format=article.origin_format,
        imported_at=article.imported_at,
        updated_at=article.updated_at,
    )
    session.add(row)
    session.flush()
    return article_from_row(row)


def replace_article_text(
    session: Session, article_id: int, draft: ArticleDraft, digest: str, *, updated_at: datetime
) -> Article:
    """Give an article the text and metadata of a newer copy; its identity (id, uuid) stays."""
    row = _article_or_missing(session, article_id)
    row.body = draft.body
    row.content_hash = digest
    row.title = draft.title
    for name in ("source", "author", "url", "published", "language", "origin", "origin_format"):
        value = getattr(draft, name)
        if value is not None:
            setattr(row, name, value)
    row.updated_at = updated_at
    session.flush()
    return article_from_row(row)


def _article_or_missing(session: Session, article_id: int) -> ArticleRow:
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    return row


def get_article(session: Session, article_id: int) -> Article:
    row = _article_or_missing(session, article_id)
    return article_from_row(row)


# --------------------------------------------------------------------------- revisions


def add_revision(session: Session, revision: ArticleRevision) -> ArticleRevision:
    row = ArticleRevisionRow(
        article_id=revision.article_id,
        title=revision.title,
        body=revision.body,
        content_hash=revision.content_hash,
        url=revision.url,
        origin=revision.origin,
        stored_at=revision.stored_at,
        replaced_at=revision.replaced_at,
    )
    session.add(row)
    session.flush()
    return _revision_from_row(row)


def revisions_for(session: Session, article_id: int) -> list[ArticleRevision]:
    """Earlier texts of an article, oldest first."""
    rows = session.scalars(
        select(ArticleRevisionRow)
        .where(ArticleRevisionRow.article_id == article_id)
        .order_by(ArticleRevisionRow.replaced_at, ArticleRevisionRow.id)
    )
    return [_revision_from_row(r) for r in rows]


def _revision_from_row(row: ArticleRevisionRow) -> ArticleRevision:
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


def article_ids(session: Session) -> list[int]:
    return list(session.scalars(select(ArticleRow.id).order_by(ArticleRow.id)))


def _newest_first() -> tuple:
    return (
        func.coalesce(ArticleRow.published, func.date(ArticleRow.imported_at)).desc(),
        ArticleRow.id.desc(),
    )


def list_summaries(session: Session) -> list[ArticleSummary]:
    """Every article without its body, newest first, with counts per kind, in two queries.

    With 10,000 articles this is what the app waits for before it paints its first screen, so:
    Core selects of plain columns (no ORM loading); the counts come one row per article (a
    `count(*) FILTER` per kind) from the covering index `ix_annotations_article_kind`, and the
    article columns from the covering index `ix_articles_listing` (no body pages read).
    """
    with collector_paused():
        return _list_summaries(session)


def _list_summaries(session: Session) -> list[ArticleSummary]:
    connection = session.connection()
    kinds = list(Kind)
    counts = {
        row[0]: dict(zip(kinds, row[1:], strict=True))
        for row in connection.execute(
            select(
                AnnotationRow.article_id, *(func.count().filter(AnnotationRow.kind == k.value) for k in kinds)
            ).group_by(AnnotationRow.article_id)
        ).all()
    }
    rows = connection.execute(
        select(
            ArticleRow.id,
            ArticleRow.uuid,
            ArticleRow.title,
            ArticleRow.source,
            ArticleRow.published,
            type_coerce(ArticleRow.imported_at, DateTime()),  # naive UTC; made aware below
            ArticleRow.language,
        ).order_by(*_newest_first())
    ).all()
    get = counts.get
    zero = dict.fromkeys(kinds, 0)
    return [
        ArticleSummary(
            id,
            uuid,
            title,
            source,
            published,
            imported_at.replace(tzinfo=UTC),
            get(id) or zero.copy(),
            language,
        )
        for id, uuid, title, source, published, imported_at, language in rows
    ]


def summary_of(session: Session, article_id: int) -> ArticleSummary:
    row = _article_or_missing(session, article_id)
    counts = {k: 0 for k in Kind}
    for kind, count in session.execute(
        select(AnnotationRow.kind, func.count())
        .where(AnnotationRow.article_id == article_id)
        .group_by(AnnotationRow.kind)
    ):
        counts[Kind(kind)] = count
    return ArticleSummary(
        id=row.id,
        uuid=row.uuid,
        title=row.title,
        source=row.source,
        published=row.published,
        imported_at=row.imported_at,
        counts=counts,
        language=row.language,
    )


def select_articles(session: Session, article_ids: Sequence[int] | None = None) -> Iterator[Article]:
    """Articles in export order (oldest id first), streamed in batches to bound memory."""
    query = select(ArticleRow).order_by(ArticleRow.id)
    if article_ids:
        query = query.where(ArticleRow.id.in_(article_ids))
    for row in session.scalars(query.execution_options(yield_per=200)):
        yield article_from_row(row)


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
EXPORT_ANNOTATION_COLUMNS = (
    "id",
    "article_id",
    "uuid",
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
)
_AS_STORED = {"published": String(), "imported_at": String(), "updated_at": String(), "created_at": String()}


def _stored(table: type[ArticleRow] | type[AnnotationRow], names: Sequence[str]) -> list:
    columns = []
    for name in names:
        column = getattr(table, name)
        if name == "tags":
            column = type_coerce(column, Text())
        elif name in _AS_STORED:
            column = type_coerce(column, _AS_STORED[name])
        columns.append(column.label(name))
    return columns


def export_article_rows(
    session: Session, article_ids: Sequence[int] | None = None, *, include_body: bool = True
) -> Iterator[Row]:
    """Articles in export order (oldest id first) as rows of `EXPORT_ARTICLE_COLUMNS` (without
    `body` unless `include_body`), streamed in batches to bound memory."""
    names = EXPORT_ARTICLE_COLUMNS if include_body else EXPORT_ARTICLE_COLUMNS[:-1]
    query = select(*_stored(ArticleRow, names)).order_by(ArticleRow.id)
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
    query = select(*_stored(AnnotationRow, EXPORT_ANNOTATION_COLUMNS))
    if kinds is not None:
        query = query.where(AnnotationRow.kind.in_([k.value for k in kinds]))
    if since is not None:
        query = query.where(func.date(AnnotationRow.created_at) >= since.isoformat())
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


def count_articles(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ArticleRow)) or 0


def count_annotations_by_kind(session: Session) -> dict[Kind, int]:
    counts = {k: 0 for k in Kind}
    for kind, count in session.execute(select(AnnotationRow.kind, func.count()).group_by(AnnotationRow.kind)):
        counts[Kind(kind)] = count
    return counts


# --------------------------------------------------------------------------- annotations


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
    )


def _apply(row: AnnotationRow, annotation: Annotation) -> None:
    row.article_id = annotation.article_id
    row.kind = annotation.kind.value
    row.start = annotation.start
    row.end = annotation.end
    row.exact = annotation.exact
    row.prefix = annotation.prefix
    row.suffix = annotation.suffix
    row.note = annotation.note
    row.tags = list(annotation.tags)
    row.speaker = annotation.speaker
    row.status = annotation.status.value
    row.anchor_state = annotation.anchor_state.value
    row.author = annotation.author
    row.created_at = annotation.created_at
    row.updated_at = annotation.updated_at


def annotations_for(
    session: Session,
    article_id: int,
    *,
    kinds: Iterable[Kind] | None = None,
    since: date | None = None,
) -> list[Annotation]:
    query = (
        select(AnnotationRow)
        .where(AnnotationRow.article_id == article_id)
        .order_by(AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)
    )
    if kinds is not None:
        query = query.where(AnnotationRow.kind.in_([k.value for k in kinds]))
    if since is not None:
        query = query.where(func.date(AnnotationRow.created_at) >= since.isoformat())
    return [annotation_from_row(r) for r in session.scalars(query)]


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
    query = select(AnnotationRow).where(AnnotationRow.article_id.in_(article_ids))
    if kinds is not None:
        query = query.where(AnnotationRow.kind.in_([k.value for k in kinds]))
    if since is not None:
        query = query.where(func.date(AnnotationRow.created_at) >= since.isoformat())
    query = query.order_by(AnnotationRow.article_id, AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)
    for row in session.scalars(query):
        grouped.setdefault(row.article_id, []).append(annotation_from_row(row))
    return grouped


def get_annotation(session: Session, uuid: str) -> Annotation:
    row = session.scalars(select(AnnotationRow).where(AnnotationRow.uuid == uuid)).first()
    if row is None:
        raise NotFound(f"no annotation {uuid}")
    return annotation_from_row(row)


def find_annotation(session: Session, uuid: str) -> Annotation | None:
    row = session.scalars(select(AnnotationRow).where(AnnotationRow.uuid == uuid)).first()
    return annotation_from_row(row) if row else None


def add_annotation(session: Session, annotation: Annotation) -> Annotation:
    row = AnnotationRow(uuid=annotation.uuid)
    _apply(row, annotation)
    session.add(row)
    session.flush()
    return annotation_from_row(row)


def update_annotation(session: Session, annotation: Annotation) -> Annotation:
    row = session.scalars(select(AnnotationRow).where(AnnotationRow.uuid == annotation.uuid)).first()
    if row is None:
        raise NotFound(f"no annotation {annotation.uuid}")
    _apply(row, annotation)
    session.flush()
    return annotation_from_row(row)


def delete_annotation(session: Session, uuid: str) -> Annotation:
    row = session.scalars(select(AnnotationRow).where(AnnotationRow.uuid == uuid)).first()
    if row is None:
        raise NotFound(f"no annotation {uuid}")
    gone = annotation_from_row(row)
    session.delete(row)
    session.flush()
    return gone


def known_speakers(session: Session) -> list[str]:
    """Speakers used anywhere in the library, most used first."""
    rows = session.execute(
        select(AnnotationRow.speaker, func.count().label("n"))
        .where(AnnotationRow.speaker.is_not(None), AnnotationRow.speaker != "")
        .group_by(AnnotationRow.speaker)
        .order_by(func.count().desc(), AnnotationRow.speaker)
    )
    return [r.speaker for r in rows]


def known_tags(session: Session) -> list[str]:
    counts: dict[str, int] = {}
    for tags in session.scalars(select(AnnotationRow.tags).where(AnnotationRow.tags != "[]")):
        for tag in tags or []:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t.casefold()))


# --------------------------------------------------------------------------- links


def links_for(session: Session, annotation_ids: Sequence[int]) -> list[Link]:
    if not annotation_ids:
        return []
    source = AnnotationRow.__table__.alias("s")
    target = AnnotationRow.__table__.alias("t")
    query = (
        select(LinkRow.id, LinkRow.uuid, source.c.uuid, target.c.uuid, LinkRow.type, LinkRow.created_at)
        .join(source, source.c.id == LinkRow.source_id)
        .join(target, target.c.id == LinkRow.target_id)
        .where(or_(LinkRow.source_id.in_(annotation_ids), LinkRow.target_id.in_(annotation_ids)))
        .order_by(LinkRow.id)
    )
    return [
        Link(id=r[0], uuid=r[1], source_uuid=r[2], target_uuid=r[3], type=LinkType(r[4]), created_at=r[5])
        for r in session.execute(query)
    ]


def all_links(session: Session) -> list[Link]:
    """Every link, by id (an export of the whole library)."""
    source = AnnotationRow.__table__.alias("s")
    target = AnnotationRow.__table__.alias("t")
    query = (
        select(LinkRow.id, LinkRow.uuid, source.c.uuid, target.c.uuid, LinkRow.type, LinkRow.created_at)
        .join(source, source.c.id == LinkRow.source_id)
        .join(target, target.c.id == LinkRow.target_id)
        .order_by(LinkRow.id)
    )
    return [
        Link(id=r[0], uuid=r[1], source_uuid=r[2], target_uuid=r[3], type=LinkType(r[4]), created_at=r[5])
        for r in session.execute(query)
    ]


def find_link(session: Session, uuid: str) -> Link | None:
    source = AnnotationRow.__table__.alias("s")
    target = AnnotationRow.__table__.alias("t")
    r = session.execute(
        select(LinkRow.id, LinkRow.uuid, source.c.uuid, target.c.uuid, LinkRow.type, LinkRow.created_at)
        .join(source, source.c.id == LinkRow.source_id)
        .join(target, target.c.id == LinkRow.target_id)
        .where(LinkRow.uuid == uuid)
    ).first()
    if r is None:
        return None
    return Link(id=r[0], uuid=r[1], source_uuid=r[2], target_uuid=r[3], type=LinkType(r[4]), created_at=r[5])


def add_link(session: Session, link: Link) -> Link | None:
    """Store a link between two stored annotations; None when an end is missing or the same
    link (same ends and type) is already there."""
    ids = dict(
        session.execute(
            select(AnnotationRow.uuid, AnnotationRow.id).where(
                AnnotationRow.uuid.in_([link.source_uuid, link.target_uuid])
            )
        ).all()
    )
    source_id, target_id = ids.get(link.source_uuid), ids.get(link.target_uuid)
    if source_id is None or target_id is None:
        return None
    duplicate = session.scalar(
        select(LinkRow.id).where(
            LinkRow.source_id == source_id, LinkRow.target_id == target_id, LinkRow.type == link.type.value
        )
    )
    if duplicate is not None:
        return None
    row = LinkRow(
        uuid=link.uuid,
        source_id=source_id,
        target_id=target_id,
        type=link.type.value,
        created_at=link.created_at,
    )
    session.add(row)
    session.flush()
    return Link(row.id, row.uuid, link.source_uuid, link.target_uuid, link.type, row.created_at)


# --------------------------------------------------------------------------- reading positions


def reading_position(session: Session, article_id: int) -> int:
    row = session.get(ReadingPositionRow, article_id)
    return row.offset if row else 0


def set_reading_position(session: Session, article_id: int, offset: int) -> None:
    row = session.get(ReadingPositionRow, article_id)
    if row is None:
        session.add(ReadingPositionRow(article_id=article_id, offset=offset, updated_at=utcnow()))
    elif row.offset != offset:
        row.offset = offset
        row.updated_at = utcnow()


def quote_at(
    session: Session, article_id: int, start: int, end: int, context: int
) -> tuple[int, str, str, str]:
    """(body length, prefix, exact, suffix) around body[start:end], read without loading the body.

    SQLite's substr counts characters (code points), as Python's str does, so the offsets agree.
    """
    before = max(0, start - context)
    row = session.execute(
        select(
            func.length(ArticleRow.body),
            func.substr(ArticleRow.body, before + 1, start - before),
            func.substr(ArticleRow.body, start + 1, max(0, end - start)),
            func.substr(ArticleRow.body, end + 1, context),
        ).where(ArticleRow.id == article_id)
    ).first()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    return row[0], row[1] or "", row[2] or "", row[3] or ""


def existing_hashes(session: Session, digests: Sequence[str]) -> set[str]:
    if not digests:
        return set()
    return set(
        session.scalars(select(ArticleRow.content_hash).where(ArticleRow.content_hash.in_(set(digests))))
    )


def articles_by_url_or_origin(session: Session, urls: Sequence[str], origins: Sequence[str]) -> list[Article]:
    conditions = []
    if urls:
        conditions.append(ArticleRow.url.in_(set(urls)))
    if origins:
        conditions.append(ArticleRow.origin.in_(set(origins)))
    if not conditions:
        return []
    return [article_from_row(row) for row in session.scalars(select(ArticleRow).where(or_(*conditions)))]


def add_articles(session: Session, drafts: Sequence[tuple[ArticleDraft, str]]) -> list[int]:
    """Insert many new articles at once; returns their ids in order.

    One Core `executemany` and one look-up of the ids by uuid: the ORM would insert them one
    statement at a time (SQLite's RETURNING does not promise the order of a multi-row insert,
    so SQLAlchemy does not batch it), which cost more than the import's own work.
    """
    if not drafts:
        return []
    now = utcnow()
    rows = [
        {
            "uuid": new_uuid(),
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
            "imported_at": now,
            "updated_at": now,
        }
        for draft, digest in drafts
    ]
    session.execute(insert(ArticleRow), rows)
    uuids = [row["uuid"] for row in rows]
    ids: dict[str, int] = {}
    for offset in range(0, len(uuids), 500):
        query = select(ArticleRow.uuid, ArticleRow.id).where(
            ArticleRow.uuid.in_(uuids[offset : offset + 500])
        )
        ids.update((uuid, article_id) for uuid, article_id in session.execute(query))
    return [ids[uuid] for uuid in uuids]


def add_annotations(session: Session, annotations: Sequence[Annotation], *, reindex: bool = False) -> int:
    """Insert many annotations at once (one Core `executemany`); returns how many.

    For generated libraries and bulk restores: no domain objects come back, read them by uuid.
    `reindex` (SQLite): for a load far larger than the table already is, the full-text insert
    triggers are set aside and the full-text tables rebuilt once at the end, in the same
    transaction (about ten times faster than one trigger per row).
    """
    if not annotations:
        return 0
    rows = [
        {
            "uuid": a.uuid,
            "article_id": a.article_id,
            "kind": a.kind.value,
            "start": a.start,
            "end": a.end,
            "exact": a.exact,
            "prefix": a.prefix,
            "suffix": a.suffix,
            "note": a.note,
            "tags": list(a.tags),
            "speaker": a.speaker,
            "status": a.status.value,
            "anchor_state": a.anchor_state.value,
            "author": a.author,
            "created_at": a.created_at,
            "updated_at": a.updated_at,
        }
        for a in annotations
    ]
    if not (reindex and session.get_bind().dialect.name == "sqlite"):
        session.execute(insert(AnnotationRow), rows)
        return len(rows)
    from sqlalchemy import text

    triggers = dict(
        session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'annotations' "
                "AND name LIKE 'annotations\\_%\\_ai' ESCAPE '\\'"
                # a trigger with a WHEN indexes few rows (0005's trigram triggers: CJK text only)
                # and keeps its own list of them: it stays, a rebuild would index every row
                " AND instr(upper(sql), ' WHEN ') = 0"
            )
        ).all()
    )
    for name in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    session.execute(insert(AnnotationRow), rows)
    for name, sql in triggers.items():
        session.execute(text(sql))
        table = name.removesuffix("_ai")
        session.execute(text(f"INSERT INTO {table}({table}) VALUES ('rebuild')"))
    return len(rows)
