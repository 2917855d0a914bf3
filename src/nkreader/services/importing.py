"""Import files into the library: read the files, then store their articles in batches.

Reading (and its failures) happens before any transaction opens, so a bad file
never holds a lock and never leaves anything behind. Articles are stored a
batch per transaction (one disk sync for 200 articles at first, up to 1,000 later); each article is
whole or absent, so a kill at any moment leaves only whole articles.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nkreader.domain import Article, ArticleDraft
from nkreader.ingest import DEFAULT_MAX_BYTES, IngestError, PathResolver, input_entries, read_file
from nkreader.services.library import Library, content_hash
from nkreader.services.updating import update_article
from nkreader.store.bulk import add_articles, articles_by_url_or_origin, existing_hashes
from nkreader.store.errors import StoreError


class Outcome(enum.StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    DUPLICATE = "duplicate"
    CHANGED = "changed"
    FAILED = "failed"


@dataclass(slots=True)
class ImportEvent:
    """What happened to one article (or one file that yielded none)."""

    outcome: Outcome
    origin: str
    title: str | None = None
    reason: str | None = None
    article_id: int | None = None


@dataclass(slots=True)
class ImportReport:
    events: list[ImportEvent] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for e in self.events if e.outcome is outcome)

    @property
    def imported(self) -> int:
        return self.count(Outcome.IMPORTED)

    @property
    def updated(self) -> int:
        return self.count(Outcome.UPDATED)

    @property
    def skipped(self) -> int:
        return self.count(Outcome.DUPLICATE) + self.count(Outcome.CHANGED)

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED)

    def summary(self) -> str:
        updated = f"updated {self.updated}, " if self.updated else ""
        return f"imported {self.imported}, {updated}skipped {self.skipped}, failed {self.failed}"


ProgressCallback = Callable[[int, int, Path], None]
"""Called with (files done, files in all, current file) as the batch advances."""


def store_draft(library: Library, draft: ArticleDraft, *, update: bool = False) -> ImportEvent:
    """One article, one transaction: a batch of one, so a single import and a batch follow the
    same duplicate rule (`_store_batch`) and always pick the same known article."""
    with library.database.writing() as session:
        return _store_batch(session, [draft], update=update, by=library.annotator)[0]


BATCH_ARTICLES = 200
"""Articles stored per transaction during an import at first: one commit (one disk sync) for many."""
BATCH_ARTICLES_MAX = 1_000
"""...and later: each batch may be twice the one before, up to this. The first articles show up
(in the app, in a progress count) after 200; a long import then pays a fifth of the disk syncs,
each of which cost as much as storing 20-40 articles."""
BATCH_SECONDS = 1.0
"""...or fewer, so that a slow batch (large files) still commits at least every second."""


def store_batch(
    library: Library, drafts: Sequence[ArticleDraft], *, update: bool = False
) -> list[ImportEvent]:
    """Store many articles in one transaction, each whole or not at all.

    Duplicates and known URLs or origins are looked up for the whole batch in two
    queries; new articles are inserted together. If anything fails, the batch is
    rolled back and retried one article per transaction, so one bad article cannot
    cost the others.
    """
    try:
        with library.database.writing() as session:
            return _store_batch(session, drafts, update=update, by=library.annotator)
    except StoreError:
        raise
    except (ValueError, OverflowError, LookupError):
        events = []
        for draft in drafts:
            try:
                events.append(store_draft(library, draft, update=update))
            except StoreError:
                raise
            except (ValueError, OverflowError, LookupError) as exc:
                events.append(
                    ImportEvent(Outcome.FAILED, draft.origin or "?", draft.title, f"cannot store: {exc}")
                )
        return events


def _store_batch(
    session: Any, drafts: Sequence[ArticleDraft], *, update: bool, by: str | None
) -> list[ImportEvent]:
    digests = [content_hash(d.body) for d in drafts]
    stored_hashes = existing_hashes(session, digests)
    known = articles_by_url_or_origin(
        session, [d.url for d in drafts if d.url], [d.origin for d in drafts if d.origin]
    )
    # The duplicate rule: same text is a duplicate; else the article with the same URL, else the
    # one with the same origin, is this article changed; among several, the oldest (lowest id).
    by_url: dict[str, Article] = {}
    by_origin: dict[str, Article] = {}
    for article in sorted(known, key=lambda a: a.id or 0):
        if article.url:
            by_url.setdefault(article.url, article)
        if article.origin:
            by_origin.setdefault(article.origin, article)
    events: list[ImportEvent | None] = []
    new: list[tuple[int, ArticleDraft, str]] = []
    batch_hashes: set[str] = set()
    batch_keys: set[tuple[str, str]] = set()
    for draft, digest in zip(drafts, digests, strict=True):
        origin = draft.origin or "?"
        if digest in stored_hashes or digest in batch_hashes:
            events.append(ImportEvent(Outcome.DUPLICATE, origin, draft.title, "already in the library"))
            continue
        existing = (by_url.get(draft.url) if draft.url else None) or (
            by_origin.get(draft.origin) if draft.origin else None
        )
        if existing is not None:
            events.append(_changed(session, existing, draft, digest, update=update, by=by))
            continue
        keys = {("url", draft.url)} if draft.url else set()
        keys |= {("origin", draft.origin)} if draft.origin else set()
        if keys & batch_keys:
            events.append(
                ImportEvent(
                    Outcome.CHANGED,
                    origin,
                    draft.title,
                    "another article with the same URL or origin, with other text, is in this import",
                )
            )
            continue
        batch_hashes.add(digest)
        batch_keys |= keys
        new.append((len(events), draft, digest))
        events.append(None)
    ids = add_articles(session, [(draft, digest) for _, draft, digest in new])
    for (position, draft, _), article_id in zip(new, ids, strict=True):
        events[position] = ImportEvent(
            Outcome.IMPORTED, draft.origin or "?", draft.title, article_id=article_id
        )
    return [e for e in events if e is not None]


def _changed(
    session: Any, existing: Article, draft: ArticleDraft, digest: str, *, update: bool, by: str | None
) -> ImportEvent:
    origin = draft.origin or "?"
    same = "URL" if draft.url and existing.url == draft.url else "origin"
    if update:
        result = update_article(session, existing, draft, digest, by=by)
        return ImportEvent(
            Outcome.UPDATED,
            origin,
            draft.title,
            f"new text for article {existing.id} (same {same}; the previous text is kept); "
            f"annotations: {result.describe()}",
            article_id=existing.id,
        )
    return ImportEvent(
        Outcome.CHANGED,
        origin,
        draft.title,
        f"text differs from article {existing.id} with the same {same} (--update replaces it)",
    )


def import_paths(
    library: Library,
    paths: Iterable[Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: ProgressCallback | None = None,
    on_event: Callable[[ImportEvent], None] | None = None,
    update: bool = False,
) -> ImportReport:
    """Import every supported file under `paths`; the rest of a batch goes on past a bad file.

    Files are read outside any transaction; their articles are stored in batches
    (`store_batch`). With `update`, a changed article (known URL or origin, other
    text) gets the new text.
    """
    report = ImportReport()
    entries = list(input_entries(paths))
    files = [path for path, _ in entries]
    pending: list[ArticleDraft] = []
    pending_notes: list[list[str]] = []
    resolve = PathResolver()
    started = time.monotonic()
    batch_size = BATCH_ARTICLES

    def record(event: ImportEvent) -> None:
        report.events.append(event)
        if on_event is not None:
            on_event(event)

    def flush() -> None:
        nonlocal started, batch_size
        if pending:
            batch_size = min(batch_size * 2, BATCH_ARTICLES_MAX)
            events = store_batch(library, pending, update=update)
            for event, notes in zip(events, pending_notes, strict=True):
                if notes and event.outcome in (Outcome.IMPORTED, Outcome.UPDATED):
                    event.reason = "; ".join(([event.reason] if event.reason else []) + notes)
                record(event)
            pending.clear()
            pending_notes.clear()
        started = time.monotonic()

    for index, (path, refusal) in enumerate(entries):
        if progress is not None:
            progress(index, len(files), path)
        if refusal is not None:
            flush()
            record(ImportEvent(Outcome.FAILED, str(path), reason=refusal))
            continue
        try:
            result = read_file(path, max_bytes=max_bytes)
        except IngestError as exc:
            flush()  # keep the report in file order
            record(ImportEvent(Outcome.FAILED, str(path), reason=str(exc)))
            continue
        if result.errors:
            flush()
        for error in result.errors:
            record(ImportEvent(Outcome.FAILED, str(path), reason=error))
        resolved = resolve(path) if result.drafts else str(path)
        for number, draft in enumerate(result.drafts):
            draft.origin = _absolute_origin(resolved, path, draft.origin)
            pending.append(draft)
            pending_notes.append(result.notes.get(number, []))
        if len(pending) >= batch_size or time.monotonic() - started > BATCH_SECONDS:
            flush()
    flush()
    if progress is not None and files:
        progress(len(files), len(files), files[-1])
    return report


def _absolute_origin(resolved: str, path: Path, origin: str | None) -> str:
    """Origins are absolute paths (plus '#n' for entries), so re-importing from elsewhere matches;
    `resolved` is `path` resolved.

    The entry suffix is what the reader appended to `str(path)`; a '#' inside the path itself
    (a folder named `dir#x`) is part of the path, not an entry number.
    """
    given = str(path)
    suffix = origin[len(given) :] if origin and origin.startswith(given) else ""
    return resolved + suffix
