"""Plain data about feed subscriptions, shared by the store, the services, the CLI and the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Feed:
    """A subscription: where to fetch, what to call it, and how the last fetch went."""

    id: int | None
    url: str
    name: str
    tags: list[str] = field(default_factory=list)
    full_text: bool = False
    """Fetch each entry's linked page for its text (feeds that carry only a summary)."""
    etag: str | None = None
    last_modified: str | None = None
    added_at: datetime | None = None
    last_fetch_at: datetime | None = None
    last_success_at: datetime | None = None
    last_new: int = 0
    last_error: str | None = None


@dataclass(slots=True)
class FeedListing:
    """A feed as the feeds view and `feed list` show it: with its article counts."""

    feed: Feed
    articles: int = 0
    unread: int = 0


@dataclass(slots=True)
class KnownEntry:
    """An entry a feed showed before: the hash of its text then, and the article it became."""

    entry_hash: str
    article_id: int | None
