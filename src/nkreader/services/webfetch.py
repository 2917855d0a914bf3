"""`nkreader fetch URL ...`: web pages into the library, read like saved files.

Each URL is fetched with the same limits as feeds (`fetching.http`), its charset found from the
header, the document, then detection (`fetching.charset`), and its bytes read by the importer its
Content-Type calls for: HTML pages by the same extraction as a saved `.html` file; a feed, plain
text or JSON like a file of that kind. The articles are stored by the import path
(`services.importing.store_batch`): text already in the library is skipped, an article with the
same URL but another text is reported as changed unless `update`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from nkreader.fetching.charset import as_utf8
from nkreader.fetching.http import FetchCancelled, Fetcher, FetchError, Limits, Page
from nkreader.ingest import IngestError, read_bytes
from nkreader.services.importing import ImportEvent, ImportReport, Outcome, store_batch
from nkreader.services.library import Library

__all__ = ["fetch_pages", "format_of"]

_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_BY_TYPE = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "text/plain": "text",
    "text/markdown": "markdown",
    "application/json": "json",
}


def format_of(page: Page) -> str:
    """The importer for a fetched body: by Content-Type, else by a look at the first bytes."""
    media = (page.content_type or "").split(";", 1)[0].strip().lower()
    if media in _BY_TYPE:
        return _BY_TYPE[media]
    head = page.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "html"
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed")):
        return "feed"
    shown = media or "none given"
    raise IngestError(f"not a web page or a feed (content type {shown})")


def fetch_pages(
    library: Library,
    urls: Sequence[str],
    *,
    limits: Limits | None = None,
    update: bool = False,
    cancel: threading.Event | None = None,
    on_event: Callable[[ImportEvent], None] | None = None,
) -> ImportReport:
    """Fetch and import each URL in turn; a URL that fails is one event and the rest go on."""
    report = ImportReport()

    def record(event: ImportEvent) -> None:
        report.events.append(event)
        if on_event is not None:
            on_event(event)

    with Fetcher(limits, cancel=cancel) as fetcher:
        for url in urls:
            try:
                page = fetcher.get(url, accept=_ACCEPT)
                fmt = format_of(page)
                result = read_bytes(as_utf8(page.body, page.charset, fmt), fmt, origin=url)
            except FetchCancelled:
                raise KeyboardInterrupt from None
            except (FetchError, IngestError) as error:
                record(ImportEvent(Outcome.FAILED, url, reason=str(error)))
                continue
            for reason in result.errors:
                record(ImportEvent(Outcome.FAILED, url, reason=reason))
            for draft in result.drafts:
                draft.url = draft.url or page.url
                if fmt == "html":
                    draft.origin = url
            for event in store_batch(library, result.drafts, update=update):
                record(event)
    return report
