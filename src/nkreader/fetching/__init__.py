"""Fetching documents over HTTP: a polite, bounded client and what turns its bytes into text.

- `nkreader.fetching.http`: `Fetcher.get(url)`: http/https only, timeouts, a byte cap counted on
  the decoded body, at most 5 redirects, conditional requests, retries, one request at a time per host.
- `nkreader.fetching.charset`: which charset the bytes are in (header, then document, then detection).
- `nkreader.fetching.opml`: subscription lists in and out.

Nothing here touches the library; `nkreader.services.feeds` and `nkreader.services.webfetch` do.
"""
