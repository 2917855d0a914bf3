"""Refresh feeds: fetch each (politely, see `fetching.http`), store what is new, note how it went.

For one feed:

1. GET with the stored validators. A 304 ends it: nothing is parsed, nothing stored.
2. The entries are read (`ingest.feed.read_feed_entries`, charset per `fetching.charset`) and
   identified by guid, else link. An entry seen before with the same text is skipped. A changed
   one goes through the update path (`services.updating`: the old text kept as a revision, the
   annotations re-anchored). A new one becomes an article, unread, that remembers its feed.
   With `full_text`, a new or changed entry's linked page is fetched and extracted like a saved
   `.html` file; if that fails, the feed's own text is kept and the reason reported.
3. Entries are stored `CHUNK` (`FULL_TEXT_CHUNK`) at a time, each chunk one transaction: every article is whole or
   absent, and its `feed_entries` row is written with it, so a kill at any moment leaves only
   whole articles that the next fetch knows it has. The feed's validators and "last fetch" are
   written with the last chunk only: after an interruption the next fetch gets the whole feed
   again (no 304) and goes on where this one stopped.

Failures of a feed (network, HTTP status, size, XML) become its `last_error` (one line) and never
stop the other feeds. Feeds are fetched a few at a time (`workers`), one request at a time per
host, ordered so that different hosts alternate.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Any

from nkreader.domain import ArticleDraft, utcnow
from nkreader.domain_feeds import Feed, KnownEntry
from nkreader.fetching.charset import as_utf8
from nkreader.fetching.http import (
    FetchCancelled,
    Fetcher,
    FetchError,
    HostGate,
    Limits,
    Page,
    Validators,
    host_of,
)
from nkreader.ingest import IngestError, read_bytes
from nkreader.ingest.feed import FeedEntry, ParsedFeed, read_feed_entries
from nkreader.services.importing import ImportEvent, ImportReport, Outcome
from nkreader.services.library import Library, content_hash
from nkreader.services.updating import update_article
from nkreader.store import articles as stored_articles
from nkreader.store import bulk
from nkreader.store import feeds as store
from nkreader.store.errors import StoreLocked

__all__ = ["CHUNK", "FEED_ACCEPT", "FULL_TEXT_CHUNK", "PAGE_ACCEPT", "FeedResult", "refresh_feeds"]

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
CHUNK = 200
"""Entries stored per transaction (one disk sync for a whole ordinary feed), like `import`'s batches."""
FULL_TEXT_CHUNK = 20
"""...and for `--full-text` feeds, whose pages take a request each: what was fetched is kept often."""
_WRITES = threading.Lock()
"""The workers of a process fetch and parse side by side but write one at a time: SQLite has one
writer, and threads queueing on its lock would only wait out each other's busy timeouts."""


@dataclass(slots=True)
class FeedResult:
    feed: Feed
    report: ImportReport = field(default_factory=ImportReport)
    error: str | None = None
    """Why the feed could not be fetched or read (one line); None when it worked."""
    not_modified: bool = False
    removed: bool = False
    """The feed was removed while it was being refreshed: nothing more was stored."""

    @property
    def new(self) -> int:
        return self.report.imported


@dataclass(slots=True)
class _Work:
    key: str
    entry_hash: str
    draft: ArticleDraft | None
    error: str | None
    link: str | None


def refresh_feeds(
    library: Library,
    feeds: Sequence[Feed],
    *,
    limits: Limits | None = None,
    workers: int = 4,
    cancel: threading.Event | None = None,
    on_result: Callable[[FeedResult], None] | None = None,
    on_stored: Callable[[Feed, list[ImportEvent]], None] | None = None,
) -> list[FeedResult]:
    """Refresh `feeds`, a few at a time; results in the order given.

    `on_result` is called on the calling thread as each feed finishes; `on_stored` on a worker
    thread after each chunk is committed (the app shows new articles as they arrive).
    Setting `cancel` stops the refresh between requests and chunks; a KeyboardInterrupt does too,
    and is raised again once the workers have stopped.
    """
    cancel = cancel or threading.Event()
    gate = HostGate()
    results: dict[int, FeedResult] = {}
    order = _alternate_hosts(list(enumerate(feeds)))
    with (
        Fetcher(limits, gate=gate, cancel=cancel) as fetcher,
        ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="nkreader-feed") as pool,
    ):
        pending: dict[Future[FeedResult], int] = {
            pool.submit(_refresh_one, library, fetcher, feed, on_stored): index for index, feed in order
        }
        try:
            while pending:
                done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    index = pending.pop(future)
                    results[index] = future.result()
                    if on_result is not None:
                        on_result(results[index])
        except BaseException:
            cancel.set()
            for future in pending:
                future.cancel()
            raise
    return [results[i] for i in sorted(results)]


def _alternate_hosts(items: list[tuple[int, Feed]]) -> list[tuple[int, Feed]]:
    """Round-robin over hosts, so the workers are not all queued behind one host."""
    by_host: dict[str, list[tuple[int, Feed]]] = {}
    for item in items:
        by_host.setdefault(host_of(item[1].url), []).append(item)
    queues = list(by_host.values())
    ordered: list[tuple[int, Feed]] = []
    while queues:
        ordered.extend(queue.pop(0) for queue in queues)
        queues = [queue for queue in queues if queue]
    return ordered


def _refresh_one(
    library: Library,
    fetcher: Fetcher,
    feed: Feed,
    on_stored: Callable[[Feed, list[ImportEvent]], None] | None,
) -> FeedResult:
    assert feed.id is not None
    result = FeedResult(feed)
    try:
        page = fetcher.get(feed.url, _validators(feed), accept=FEED_ACCEPT)
        if page.not_modified:
            result.not_modified = True
            _finish(library, result, page)
            return result
        try:
            parsed = read_feed_entries(as_utf8(page.body, page.charset, "feed"), feed.url)
        except IngestError as error:
            raise FetchError(str(error)) from None
        _refuse_unusable(feed, parsed)
        work = _plan(library, feed, parsed.entries, result)
        size = FULL_TEXT_CHUNK if feed.full_text else CHUNK
        for start in range(0, len(work), size):
            chunk = work[start : start + size]
            if feed.full_text:
                _fetch_full_text(fetcher, chunk, result)
            last = start + size >= len(work)
            events = _store_chunk(library, feed, chunk, result, page if last else None)
            if events is None:
                result.removed = True
                return result
            if on_stored is not None and events:
                on_stored(feed, events)
        if not work:
            _finish(library, result, page)
    except FetchCancelled:
        result.error = "cancelled"
    except FetchError as error:
        result.error = error.reason
        _record_failure(library, feed, error.reason)
    except RecursionError:
        result.error = "the feed is nested too deeply"
        _record_failure(library, feed, result.error)
    except StoreLocked as error:
        result.error = error.message  # another process held the library: this feed waits for next time
    return result


def _validators(feed: Feed) -> Validators:
    return Validators(feed.etag, feed.last_modified)


def _finish(library: Library, result: FeedResult, page: Page) -> None:
    """Nothing to store (304, or every entry seen): note the fetch and its validators."""
    assert result.feed.id is not None
    with _WRITES, library.database.writing() as session:
        if store.feed_by_id(session, result.feed.id) is None:
            result.removed = True
            return
        store.record_success(
            session,
            result.feed.id,
            etag=page.validators.etag or (result.feed.etag if page.not_modified else None),
            last_modified=page.validators.last_modified
            or (result.feed.last_modified if page.not_modified else None),
            new=0,
            now=utcnow(),
        )


def _record_failure(library: Library, feed: Feed, reason: str) -> None:
    assert feed.id is not None
    with _WRITES, library.database.writing() as session:
        store.record_failure(session, feed.id, reason, utcnow())


def _refuse_unusable(feed: Feed, parsed: ParsedFeed) -> None:
    """A feed none of whose entries has text (nor a page to fetch it from) fails as a whole."""
    if any(entry.draft is not None for entry in parsed.entries):
        return
    if feed.full_text and any(
        entry.key and entry.key.startswith(("http://", "https://")) for entry in parsed.entries
    ):
        return
    if parsed.malformed:
        raise FetchError(parsed.malformed)
    first = next((entry.error for entry in parsed.entries if entry.error), "no text")
    raise FetchError(f"none of the {len(parsed.entries)} entries is a usable article; {first}")


def _plan(library: Library, feed: Feed, entries: Sequence[FeedEntry], result: FeedResult) -> list[_Work]:
    """The entries to store: new ones and changed ones, each once, in the feed's order.

    Those seen before, unchanged, are counted as skipped (`result`) and go no further.
    """
    assert feed.id is not None
    with library.database.reading() as session:
        known = store.entries_of(session, feed.id)
    work: list[_Work] = []
    seen: set[str] = set()
    for entry in entries:
        draft = entry.draft
        digest = content_hash(draft.body) if draft is not None else ""
        key = entry.key or (f"sha256:{digest}" if digest else None)
        if key is None or key in seen:
            continue
        seen.add(key)
        before = known.get(key)
        if before is not None and (before.entry_hash == digest or draft is None):
            # seen, unchanged (or it still has no text)
            title = draft.title if draft is not None else None
            result.report.events.append(ImportEvent(Outcome.DUPLICATE, key, title, "seen before"))
            continue
        if draft is not None:
            draft.origin = f"{feed.url}#{key}"
        work.append(_Work(key, digest, draft, entry.error, entry.link))
    return work


def _fetch_full_text(fetcher: Fetcher, chunk: list[_Work], result: FeedResult) -> None:
    """Replace each entry's text by its page's; keep the feed's text when the page fails."""
    for item in chunk:
        if not item.link:
            continue
        try:
            page = fetcher.get(item.link, accept=PAGE_ACCEPT)
            read = read_bytes(as_utf8(page.body, page.charset, "html"), "html", origin=page.url)
        except FetchCancelled:
            raise
        except (FetchError, IngestError) as error:
            if item.draft is not None:
                item.error = f"full text unavailable ({error}); the feed's text is used"
            else:
                item.error = f"no text in the feed, and its page: {error}"
            continue
        page_draft = read.drafts[0]
        base = item.draft
        item.draft = replace(
            page_draft,
            title=base.title if base is not None else page_draft.title,
            url=(base.url if base is not None else None) or item.link,
            source=(base.source if base is not None else None) or page_draft.source,
            author=(base.author if base is not None else None) or page_draft.author,
            published=(base.published if base is not None else None) or page_draft.published,
            language=page_draft.language or (base.language if base is not None else None),
            origin=base.origin if base is not None else f"{result.feed.url}#{item.key}",
        )
        if base is None:
            item.error = None


def _store_chunk(
    library: Library, feed: Feed, chunk: list[_Work], result: FeedResult, page: Page | None
) -> list[ImportEvent] | None:
    """One transaction: the chunk's articles and entries (and, on the last, the feed's state).

    New articles are looked up and inserted for the whole chunk at once (as `import` does its
    batches). Returns the events, or None when the feed is gone (removed while being refreshed).
    """
    assert feed.id is not None
    now = utcnow()
    with _WRITES, library.database.writing() as session:
        if store.feed_by_id(session, feed.id) is None:
            return None
        # looked up again inside the write transaction: another process may have stored some
        known = store.entries_of(session, feed.id, [item.key for item in chunk])
        events = _store_items(session, feed, chunk, known, now, by=library.annotator)
        unread = [e.article_id for e in events if e.outcome in _UNREAD and e.article_id is not None]
        store.mark_unread(session, unread, now)
        if page is not None:
            store.record_success(
                session,
                feed.id,
                etag=page.validators.etag,
                last_modified=page.validators.last_modified,
                new=result.report.imported + sum(1 for e in events if e.outcome is Outcome.IMPORTED),
                now=now,
            )
    result.report.events.extend(events)
    return events


_UNREAD = (Outcome.IMPORTED, Outcome.UPDATED)


def _store_items(
    session: Any, feed: Feed, chunk: list[_Work], known: dict[str, KnownEntry], now: Any, *, by: str | None
) -> list[ImportEvent]:
    assert feed.id is not None
    fresh = [item for item in chunk if item.draft is not None and item.key not in known]
    digests = {item.key: content_hash(item.draft.body) for item in fresh if item.draft is not None}
    stored_ids = store.article_ids_by_hash(session, list(digests.values()))
    same = bulk.articles_by_url_or_origin(
        session,
        [i.draft.url for i in fresh if i.draft is not None and i.draft.url],
        [i.draft.origin for i in fresh if i.draft is not None and i.draft.origin],
    )
    by_url = {a.url: a.id for a in same if a.url}
    by_origin = {a.origin: a.id for a in same if a.origin}
    events: list[ImportEvent] = []
    entries: list[tuple[_Work, int | None, int | None]] = []  # (item, article id, or pending index)
    pending: list[tuple[ArticleDraft, str]] = []
    pending_of: dict[str, int] = {}  # digest, url or origin -> index in pending
    waiting: list[tuple[int, int]] = []  # (event index, pending index) of the articles inserted below
    for item in chunk:
        origin = item.link or f"{feed.url}#{item.key}"
        draft = item.draft
        before = known.get(item.key)
        if draft is None:
            if before is None:
                entries.append((item, None, None))
            events.append(
                ImportEvent(Outcome.FAILED, origin, reason=item.error or "no content or summary text")
            )
            continue
        if before is not None:
            if before.entry_hash == item.entry_hash:
                events.append(ImportEvent(Outcome.DUPLICATE, origin, draft.title, "seen before"))
            else:
                note = f" ({item.error})" if item.error else ""
                digest = content_hash(draft.body)
                events.append(_changed(session, feed, item, before.article_id, digest, origin, note, by=by))
            continue
        digest = digests[item.key]
        keys = [digest, *(k for k in (draft.url, draft.origin) if k)]
        existing = stored_ids.get(digest)
        if existing is not None:
            entries.append((item, existing, None))
            events.append(
                ImportEvent(
                    Outcome.DUPLICATE, origin, draft.title, f"already in the library (article {existing})"
                )
            )
            continue
        twin = next((pending_of[k] for k in keys if k in pending_of), None)
        if twin is not None:
            entries.append((item, None, twin))
            events.append(
                ImportEvent(Outcome.DUPLICATE, origin, draft.title, "another entry of the feed has it")
            )
            continue
        same_id = (by_url.get(draft.url) if draft.url else None) or (
            by_origin.get(draft.origin) if draft.origin else None
        )
        if same_id is not None:
            entries.append((item, same_id, None))
            events.append(
                ImportEvent(
                    Outcome.CHANGED,
                    origin,
                    draft.title,
                    f"article {same_id} has this URL with another text; it is kept as it is",
                )
            )
            continue
        for key in keys:
            pending_of.setdefault(key, len(pending))
        entries.append((item, None, len(pending)))
        waiting.append((len(events), len(pending)))
        events.append(ImportEvent(Outcome.IMPORTED, origin, draft.title, item.error))
        pending.append((draft, digest))
    ids = bulk.add_articles(session, pending)
    for event_index, index in waiting:
        events[event_index].article_id = ids[index]
    store.add_entries(
        session,
        feed.id,
        [
            (item.key, item.entry_hash, article if index is None else ids[index])
            for item, article, index in entries
        ],
        now,
    )
    return events


def _changed(
    session: Any,
    feed: Feed,
    item: _Work,
    article_id: int | None,
    digest: str,
    origin: str,
    note: str,
    *,
    by: str | None,
) -> ImportEvent:
    """A known entry with a new text: the update path, on the article it became."""
    assert feed.id is not None and item.draft is not None
    store.update_entry(session, feed.id, item.key, item.entry_hash, article_id)
    if article_id is None or not store.article_exists(session, article_id):
        return ImportEvent(Outcome.DUPLICATE, origin, item.draft.title, "changed, but its article is gone")
    existing = stored_articles.get_article(session, article_id)
    if existing.content_hash == digest:
        return ImportEvent(Outcome.DUPLICATE, origin, item.draft.title, "same text as before")
    other = stored_articles.find_article_id_by_hash(session, digest)
    if other is not None and other != article_id:
        return ImportEvent(Outcome.DUPLICATE, origin, item.draft.title, f"new text is article {other}'s")
    update = update_article(session, existing, item.draft, digest, by=by)
    return ImportEvent(
        Outcome.UPDATED,
        origin,
        item.draft.title,
        f"new text for article {article_id} (the previous text is kept); "
        f"annotations: {update.describe()}{note}",
        article_id=article_id,
    )
