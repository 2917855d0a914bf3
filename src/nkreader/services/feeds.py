"""Subscriptions: add, find, list, remove feeds; OPML in and out; read and unread articles.

Each method is one transaction. Fetching and storing what feeds bring is `services.feed_refresh`.
A feed is named by the user (`--name`) or after its address (`dailynk.com/feed`); a name or a URL
finds it again. Removing a feed keeps the articles it brought: they are the analyst's now.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from nkreader.domain import utcnow
from nkreader.domain_feeds import Feed, FeedListing
from nkreader.services.library import Library

__all__ = ["FeedProblem", "OpmlReport", "Subscriptions", "clean_tags"]


class FeedProblem(ValueError):
    """A subscription request that cannot be done (bad URL, taken name, unknown feed): one line."""


@dataclass(slots=True)
class OpmlReport:
    added: list[Feed] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    """URLs already subscribed to (left as they are)."""
    failed: list[str] = field(default_factory=list)
    """One line per outline that could not be added."""


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as stored: one line each, no commas (OPML separates categories with them), no repeats."""
    from nkreader.text.normalize import normalize_line

    cleaned = (normalize_line(tag).replace(",", " ").strip() for tag in tags)
    return list(dict.fromkeys(t for t in cleaned if t))


def _name_from_url(url: str) -> str:
    from nkreader.text.normalize import normalize_line

    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return normalize_line(host + path) or url


class Subscriptions:
    def __init__(self, library: Library) -> None:
        self.library = library

    def add(
        self, url: str, *, name: str | None = None, tags: Sequence[str] = (), full_text: bool = False
    ) -> Feed:
        from nkreader.fetching.http import FetchError, check_url  # httpx: loaded for feed work only
        from nkreader.store import feeds as store
        from nkreader.text.normalize import normalize_line

        try:
            url = check_url(url)
        except FetchError as error:
            raise FeedProblem(str(error)) from None
        given = normalize_line(name or "")
        if name is not None and not given:
            raise FeedProblem("the feed name is empty")
        with self.library.database.writing() as session:
            same = store.find_feed(session, url)
            if same is not None and same.url == url:
                raise FeedProblem(f"already subscribed as {same.name!r}")
            chosen = given or self._free_name(session, _name_from_url(url))
            taken = store.find_feed(session, chosen)
            if taken is not None and taken.name == chosen:
                raise FeedProblem(f"another feed is already named {chosen!r} ({taken.url})")
            feed = Feed(id=None, url=url, name=chosen, tags=clean_tags(tags), full_text=full_text)
            return store.add_feed(session, feed, utcnow())

    @staticmethod
    def _free_name(session: object, base: str) -> str:
        from nkreader.store import feeds as store

        name, number = base, 2
        while (found := store.find_feed(session, name)) is not None and found.name == name:  # type: ignore[arg-type]
            name, number = f"{base} ({number})", number + 1
        return name

    def find(self, name_or_url: str) -> Feed:
        from nkreader.store import feeds as store
        from nkreader.text.normalize import normalize_line

        with self.library.database.reading() as session:
            feed = store.find_feed(session, name_or_url.strip())
        if feed is None:
            raise FeedProblem(
                f"no feed named or at {normalize_line(name_or_url)!r} (see `nkreader feed list`)"
            )
        return feed

    def get(self, feed_id: int) -> Feed | None:
        from nkreader.store import feeds as store

        with self.library.database.reading() as session:
            return store.feed_by_id(session, feed_id)

    def listing(self) -> list[FeedListing]:
        from nkreader.store import feeds as store

        with self.library.database.reading() as session:
            return store.list_feeds(session)

    def feeds(self) -> list[Feed]:
        return [listing.feed for listing in self.listing()]

    def remove(self, name_or_url: str) -> Feed:
        from nkreader.store import feeds as store

        feed = self.find(name_or_url)
        assert feed.id is not None
        with self.library.database.writing() as session:
            store.remove_feed(session, feed.id)
        return feed

    # ------------------------------------------------------------------ OPML

    def import_opml(self, path: Path) -> OpmlReport:
        """Subscribe to every feed of an OPML file; the ones already there are left alone.

        Raises `FeedProblem` when the file cannot be read at all (missing, not OPML, malformed).
        """
        from nkreader.fetching.http import FetchError, check_url
        from nkreader.fetching.opml import OpmlError, read_opml
        from nkreader.text.normalize import normalize_line

        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise FeedProblem(f"{path}: cannot read the file: {error.strerror or error}") from None
        try:
            outlines = read_opml(data)
        except OpmlError as error:
            raise FeedProblem(f"{path}: {error}") from None
        if not outlines:
            raise FeedProblem(f"{path}: no feeds in it (no <outline> with an xmlUrl)")
        report = OpmlReport()
        for outline in outlines:
            try:
                url = check_url(outline.url)
            except FetchError as error:
                report.failed.append(f"{normalize_line(outline.url)}: {error}")
                continue
            if self._subscribed(url):
                report.existing.append(url)
                continue
            try:
                report.added.append(self._add_named(url, outline.name, outline.tags, outline.full_text))
            except FeedProblem as error:
                report.failed.append(f"{url}: {error}")
        return report

    def _subscribed(self, url: str) -> bool:
        from nkreader.store import feeds as store

        with self.library.database.reading() as session:
            found = store.find_feed(session, url)
        return found is not None and found.url == url

    def _add_named(self, url: str, name: str | None, tags: Sequence[str], full_text: bool) -> Feed:
        """Add with the OPML's name, numbered if another feed has it already."""
        if not name:
            return self.add(url, tags=tags, full_text=full_text)
        with self.library.database.reading() as session:
            chosen = self._free_name(session, name)
        return self.add(url, name=chosen, tags=tags, full_text=full_text)

    def export_opml(self) -> str:
        from nkreader.fetching.opml import write_opml

        return write_opml(self.feeds())


class ReadState:
    """Read and unread articles. New articles from feeds start unread; opening one marks it read."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def unread_ids(self) -> set[int]:
        return self.library.unread_ids()

    def mark_read(self, article_ids: Sequence[int]) -> int:
        from nkreader.store import feeds as store

        with self.library.database.writing() as session:
            return store.mark_read(session, article_ids)

    def mark_unread(self, article_ids: Sequence[int]) -> None:
        from nkreader.store import feeds as store

        with self.library.database.writing() as session:
            store.mark_unread(session, article_ids, utcnow())

    def toggle(self, article_id: int) -> bool:
        """Flip one article between read and unread; returns True when it is now unread."""
        from nkreader.store import feeds as store

        with self.library.database.writing() as session:
            if store.mark_read(session, [article_id]):
                return False
            store.mark_unread(session, [article_id], utcnow())
            return True

    def feed_names(self) -> dict[int, str]:
        from nkreader.store import feeds as store

        with self.library.database.reading() as session:
            return store.article_feed_names(session)
