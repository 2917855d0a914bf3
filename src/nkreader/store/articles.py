"""Articles, their earlier texts (revisions) and reading positions. Callers own the session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from nkreader.domain import Article, ArticleDraft, ArticleRevision, utcnow
from nkreader.store.errors import NotFound
from nkreader.store.mappers import (
    DRAFT_METADATA,
    article_from_row,
    article_values,
    draft_values,
    revision_from_row,
    revision_values,
)
from nkreader.store.models import ArticleRevisionRow, ArticleRow, ReadingPositionRow

# --------------------------------------------------------------------------- articles


def article_or_missing(session: Session, article_id: int) -> ArticleRow:
    """The row of an article; NotFound when there is none."""
    row = session.get(ArticleRow, article_id)
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    return row


def get_article(session: Session, article_id: int) -> Article:
    return article_from_row(article_or_missing(session, article_id))


def article_ids(session: Session) -> list[int]:
    return list(session.scalars(select(ArticleRow.id).order_by(ArticleRow.id)))


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


def add_article(
    session: Session,
    draft: ArticleDraft,
    content_hash: str,
    *,
    uuid: str | None = None,
    imported_at: datetime | None = None,
) -> Article:
    row = ArticleRow(**draft_values(draft, content_hash, uuid=uuid, imported_at=imported_at or utcnow()))
    session.add(row)
    session.flush()
    return article_from_row(row)


def insert_article(session: Session, article: Article) -> Article:
    """Store an article exactly as given (uuid and times kept): restoring from an export.

    Its id is kept too when that id is free, so a restore into an empty library is exact.
    """
    free = article.id is not None and session.get(ArticleRow, article.id) is None
    row = ArticleRow(id=article.id if free else None, **article_values(article))
    session.add(row)
    session.flush()
    return article_from_row(row)


def replace_article_text(
    session: Session, article_id: int, draft: ArticleDraft, digest: str, *, updated_at: datetime
) -> Article:
    """Give an article the text and metadata of a newer copy; its identity (id, uuid) stays."""
    row = article_or_missing(session, article_id)
    row.body = draft.body
    row.content_hash = digest
    row.title = draft.title
    for name in DRAFT_METADATA:
        value = getattr(draft, name)
        if value is not None:
            setattr(row, name, value)
    row.updated_at = updated_at
    session.flush()
    return article_from_row(row)


def article_hash(session: Session, article_id: int) -> str | None:
    """The stored text's content hash (None: no such article); the body is not read."""
    return session.scalar(select(ArticleRow.content_hash).where(ArticleRow.id == article_id))


def quote_at(
    session: Session, article_id: int, start: int, end: int, context: int
) -> tuple[int, str, str, str]:
    """(body length, prefix, exact, suffix) around body[start:end], read without loading the body.

    SQLite's substr counts characters (code points), as Python's str does, so the offsets agree.
    One substr of the whole window, split here: each substr (and length) walks the UTF-8 text from
    its start, and on a 1 MB article four of them were most of a mark's store time. The length is
    read only when the span does not fit in the body (to say so); else it is at least `end`.
    """
    before = max(0, start - context)
    span = max(0, end - start)
    row = session.execute(
        select(func.substr(ArticleRow.body, before + 1, (start - before) + span + context)).where(
            ArticleRow.id == article_id
        )
    ).first()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    window: str = row[0] or ""
    cut = start - before
    cut = max(0, cut)
    prefix, exact, suffix = window[:cut], window[cut : cut + span], window[cut + span :]
    if start < 0 or span == 0 or len(prefix) < cut or len(exact) < span:  # the caller reports the length
        length = session.execute(
            select(func.length(ArticleRow.body)).where(ArticleRow.id == article_id)
        ).scalar()
        return int(length or 0), prefix, exact, suffix
    return max(end, start), prefix, exact, suffix


# --------------------------------------------------------------------------- revisions


def add_revision(session: Session, revision: ArticleRevision) -> ArticleRevision:
    row = ArticleRevisionRow(**revision_values(revision))
    session.add(row)
    session.flush()
    return revision_from_row(row)


def revisions_for(session: Session, article_id: int) -> list[ArticleRevision]:
    """Earlier texts of an article, oldest first."""
    rows = session.scalars(
        select(ArticleRevisionRow)
        .where(ArticleRevisionRow.article_id == article_id)
        .order_by(ArticleRevisionRow.replaced_at, ArticleRevisionRow.id)
    )
    return [revision_from_row(r) for r in rows]


def revisions_by_article(
    session: Session, article_ids: Sequence[int] | None = None
) -> dict[int, list[ArticleRevision]]:
    """`revisions_for` of many articles (of all when `article_ids` is None) in one query per 500
    ids rather than one per article: an export of 10,000 articles asked 10,000 times."""
    query = select(ArticleRevisionRow).order_by(
        ArticleRevisionRow.article_id, ArticleRevisionRow.replaced_at, ArticleRevisionRow.id
    )
    if article_ids is None:
        batches = [query]
    else:
        ids = sorted(set(article_ids))
        batches = [
            query.where(ArticleRevisionRow.article_id.in_(ids[offset : offset + 500]))
            for offset in range(0, len(ids), 500)
        ]
    grouped: dict[int, list[ArticleRevision]] = {}
    for batch in batches:
        for row in session.scalars(batch):
            grouped.setdefault(row.article_id, []).append(revision_from_row(row))
    return grouped


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
