"""Tables of subscriptions (migration 0007): feeds, the entries seen in them, unread articles.

- `feeds`: one row per subscription, with what the next fetch sends back (ETag, Last-Modified)
  and how the last one went (when, how many new articles, the error if it failed).
- `feed_entries`: every entry a feed has shown, by guid (else link), with the hash of its text in
  the feed: an entry seen before with the same text is skipped without touching its article; one
  whose text changed goes through the update path. `article_id` is the article it became (the
  article remembers its feed this way); it stays NULL-able so the entry is still "seen" should
  the article ever be removed.
- `unread_articles`: an article is unread while it has a row here. A feed's new articles get one;
  opening an article removes it. Articles imported from files start read (nothing changes for
  a library that never subscribes to anything).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nkreader.store.models import Base, UTCDateTime

__all__ = ["FeedEntryRow", "FeedRow", "UnreadRow"]


class FeedRow(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    full_text: Mapped[bool] = mapped_column(Boolean, default=False)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the last fetch ended, whether it worked or not."""
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_new: Mapped[int] = mapped_column(Integer, default=0)
    """Articles the last successful fetch added to the library."""
    last_error: Mapped[str | None] = mapped_column(Text)
    """One line: why the last fetch failed; NULL when it worked."""


class FeedEntryRow(Base):
    __tablename__ = "feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "entry_key", name="uq_feed_entries_feed_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(Text)
    entry_hash: Mapped[str] = mapped_column(String(64))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UnreadRow(Base):
    __tablename__ = "unread_articles"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime())
