"""Queries and writes, in domain objects. Callers own the session and its transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from sqlalchemy import func, or_, select
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
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise NotFound(f"no article with id {article_id}")
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


def get_article(session: Session, article_id: int) -> Article:
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise NotFound(f"no article with id {article_id}")
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
    """Every article without its body, newest first, with counts per kind, in two queries."""
    counts: dict[int, dict[Kind, int]] = {}
    count_rows = session.execute(
        select(AnnotationRow.article_id, AnnotationRow.kind, func.count()).group_by(
            AnnotationRow.article_id, AnnotationRow.kind
        )
    )
    for article_id, kind, count in count_rows:
        counts.setdefault(article_id, {})[Kind(kind)] = count
    rows = session.execute(
        select(
            ArticleRow.id,
            ArticleRow.uuid,
            ArticleRow.title,
            ArticleRow.source,
            ArticleRow.published,
            ArticleRow.imported_at,
            ArticleRow.language,
        ).order_by(*_newest_first())
    )
    return [
        ArticleSummary(
            id=r.id,
            uuid=r.uuid,
            title=r.title,
            source=r.source,
            published=r.published,
            imported_at=r.imported_at,
            counts={k: counts.get(r.id, {}).get(k, 0) for k in Kind},
            language=r.language,
        )
        for r in rows
    ]


def summary_of(session: Session, article_id: int) -> ArticleSummary:
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise NotFound(f"no article with id {article_id}")
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
    """Insert many new articles at once (one statement); returns their ids in order."""
    now = utcnow()
    rows = [_article_row(draft, digest, None, now) for draft, digest in drafts]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]
