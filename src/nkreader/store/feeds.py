"""Queries and changes on subscriptions, their entries and the unread marks (`store.feed_models`).

Every function takes the session of the caller's transaction (`Database.reading()` /
`Database.writing()`); none commits. Rows never leave the store: callers get `domain_feeds` objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from nkreader.domain_feeds import Feed, FeedListing, KnownEntry
from nkreader.store.feed_models import FeedEntryRow, FeedRow, UnreadRow
from nkreader.store.models import ArticleRow

__all__ = [
    "add_entries",
    "add_entry",
    "add_feed",
    "article_exists",
    "article_feed_names",
    "article_ids_by_hash",
    "entries_of",
    "feed_by_id",
    "find_feed",
    "list_feeds",
    "mark_read",
    "mark_unread",
    "record_failure",
    "record_success",
    "remove_feed",
    "unread_ids",
    "update_entry",
]


def _feed(row: FeedRow) -> Feed:
    return Feed(
        id=row.id,
        url=row.url,
        name=row.name,
        tags=list(row.tags or []),
        full_text=bool(row.full_text),
        etag=row.etag,
        last_modified=row.last_modified,
        added_at=row.added_at,
        last_fetch_at=row.last_fetch_at,
        last_success_at=row.last_success_at,
        last_new=row.last_new or 0,
        last_error=row.last_error,
    )


def add_feed(session: Session, feed: Feed, now: datetime) -> Feed:
    row = FeedRow(
        url=feed.url,
        name=feed.name,
        tags=list(feed.tags),
        full_text=feed.full_text,
        added_at=now,
        last_new=0,
    )
    session.add(row)
    session.flush()
    return _feed(row)


def feed_by_id(session: Session, feed_id: int) -> Feed | None:
    row = session.get(FeedRow, feed_id)
    return _feed(row) if row is not None else None


def find_feed(session: Session, name_or_url: str) -> Feed | None:
    """By URL, else by name (exactly, then ignoring case)."""
    for condition in (
        FeedRow.url == name_or_url,
        FeedRow.name == name_or_url,
        func.lower(FeedRow.name) == name_or_url.lower(),
    ):
        row = session.scalars(select(FeedRow).where(condition).order_by(FeedRow.id)).first()
        if row is not None:
            return _feed(row)
    return None


def list_feeds(session: Session) -> list[FeedListing]:
    """Every feed by name, with how many articles it brought and how many of those are unread."""
    articles = dict(
        session.execute(
            select(FeedEntryRow.feed_id, func.count(func.distinct(FeedEntryRow.article_id)))
            .where(FeedEntryRow.article_id.is_not(None))
            .group_by(FeedEntryRow.feed_id)
        ).all()
    )
    unread = dict(
        session.execute(
            select(FeedEntryRow.feed_id, func.count(func.distinct(FeedEntryRow.article_id)))
            .join(UnreadRow, UnreadRow.article_id == FeedEntryRow.article_id)
            .group_by(FeedEntryRow.feed_id)
        ).all()
    )
    rows = session.scalars(select(FeedRow).order_by(func.lower(FeedRow.name), FeedRow.id))
    return [FeedListing(_feed(row), articles.get(row.id, 0), unread.get(row.id, 0)) for row in rows]


def remove_feed(session: Session, feed_id: int) -> None:
    """The subscription and its entries go; the articles it brought stay in the library."""
    session.execute(delete(FeedEntryRow).where(FeedEntryRow.feed_id == feed_id))
    session.execute(delete(FeedRow).where(FeedRow.id == feed_id))


def entries_of(session: Session, feed_id: int, keys: Iterable[str] | None = None) -> dict[str, KnownEntry]:
    """The entries of a feed seen before (all of them, or those with the given keys)."""
    query = select(FeedEntryRow.entry_key, FeedEntryRow.entry_hash, FeedEntryRow.article_id).where(
        FeedEntryRow.feed_id == feed_id
    )
    if keys is None:
        return {key: KnownEntry(digest, article) for key, digest, article in session.execute(query)}
    wanted = list(dict.fromkeys(keys))
    found: dict[str, KnownEntry] = {}
    for offset in range(0, len(wanted), 500):
        part = query.where(FeedEntryRow.entry_key.in_(wanted[offset : offset + 500]))
        found.update((key, KnownEntry(digest, article)) for key, digest, article in session.execute(part))
    return found


def add_entry(
    session: Session, feed_id: int, key: str, entry_hash: str, article_id: int | None, now: datetime
) -> None:
    session.execute(
        insert(FeedEntryRow).values(
            feed_id=feed_id, entry_key=key, entry_hash=entry_hash, article_id=article_id, seen_at=now
        )
    )


def add_entries(
    session: Session, feed_id: int, rows: Sequence[tuple[str, str, int | None]], now: datetime
) -> None:
    """Many entries at once: (key, entry hash, article id or None)."""
    if rows:
        session.execute(
            insert(FeedEntryRow),
            [
                {
                    "feed_id": feed_id,
                    "entry_key": key,
                    "entry_hash": digest,
                    "article_id": article,
                    "seen_at": now,
                }
                for key, digest, article in rows
            ],
        )


def article_ids_by_hash(session: Session, digests: Sequence[str]) -> dict[str, int]:
    """The (first) article holding each of these texts, by content hash."""
    found: dict[str, int] = {}
    wanted = list(dict.fromkeys(digests))
    for offset in range(0, len(wanted), 500):
        query = (
            select(ArticleRow.content_hash, ArticleRow.id)
            .where(ArticleRow.content_hash.in_(wanted[offset : offset + 500]))
            .order_by(ArticleRow.id.desc())
        )
        found.update(session.execute(query).all())
    return found


def update_entry(session: Session, feed_id: int, key: str, entry_hash: str, article_id: int | None) -> None:
    session.execute(
        update(FeedEntryRow)
        .where(FeedEntryRow.feed_id == feed_id, FeedEntryRow.entry_key == key)
        .values(entry_hash=entry_hash, article_id=article_id)
    )


def record_success(
    session: Session,
    feed_id: int,
    *,
    etag: str | None,
    last_modified: str | None,
    new: int,
    now: datetime,
) -> None:
    """A fetch that worked: the validators to send next time, and what it brought."""
    session.execute(
        update(FeedRow)
        .where(FeedRow.id == feed_id)
        .values(
            etag=etag,
            last_modified=last_modified,
            last_new=new,
            last_fetch_at=now,
            last_success_at=now,
            last_error=None,
        )
    )


def record_failure(session: Session, feed_id: int, error: str, now: datetime) -> None:
    """A fetch that failed: its one-line reason; the validators stay (nothing was stored)."""
    session.execute(
        update(FeedRow).where(FeedRow.id == feed_id).values(last_error=error, last_fetch_at=now, last_new=0)
    )


def mark_unread(session: Session, article_ids: Sequence[int], now: datetime) -> None:
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return
    present = set(session.scalars(select(UnreadRow.article_id).where(UnreadRow.article_id.in_(ids))))
    rows = [{"article_id": i, "since": now} for i in ids if i not in present]
    if rows:
        session.execute(insert(UnreadRow), rows)


def mark_read(session: Session, article_ids: Sequence[int]) -> int:
    """Remove the unread marks; returns how many articles were unread."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return 0
    result = session.execute(delete(UnreadRow).where(UnreadRow.article_id.in_(ids)))
    return int(getattr(result, "rowcount", 0) or 0)


def unread_ids(session: Session) -> set[int]:
    return set(session.scalars(select(UnreadRow.article_id)))


def article_feed_names(session: Session, article_ids: Sequence[int] | None = None) -> dict[int, str]:
    """The feed each article came from (the first one, if several showed it)."""
    query = (
        select(FeedEntryRow.article_id, FeedRow.name)
        .join(FeedRow, FeedRow.id == FeedEntryRow.feed_id)
        .where(FeedEntryRow.article_id.is_not(None))
        .order_by(FeedEntryRow.id.desc())
    )
    if article_ids is not None:
        query = query.where(FeedEntryRow.article_id.in_(list(article_ids)))
    return {article_id: name for article_id, name in session.execute(query) if article_id is not None}


def article_exists(session: Session, article_id: int) -> bool:
    return session.scalar(select(ArticleRow.id).where(ArticleRow.id == article_id)) is not None
