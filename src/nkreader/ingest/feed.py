"""RSS and Atom feeds (.xml, .rss, .atom): one article per entry.

The bytes are checked with defusedxml before feedparser sees them: a document that declares
entities (external entities, entity-expansion bombs) is refused outright, so no entity is ever
resolved. Each entry gives title, full content (`content` if present, else `summary`) turned from
HTML into paragraphs, link, author, published date, language; the feed title is the source.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import feedparser
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from nkreader.domain import ArticleDraft
from nkreader.ingest.base import IngestError, ReadResult, decode, metadata, require_body
from nkreader.ingest.htmltext import fragment_paragraphs
from nkreader.text.normalize import normalize_line

__all__ = ["FeedEntry", "ParsedFeed", "read_feed", "read_feed_entries"]

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_UNTITLED_LENGTH = 80


@dataclass(slots=True)
class FeedEntry:
    """One entry of a feed: its identity (guid, else link) and its article or why it has none."""

    key: str | None
    draft: ArticleDraft | None
    error: str | None = None
    link: str | None = None


@dataclass(slots=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    malformed: str | None = None
    """What is wrong with the XML when feedparser had to recover (its entries may be partial)."""


def read_feed(data: bytes, origin: str) -> ReadResult:
    parsed = read_feed_entries(data, origin)
    result = ReadResult()
    for number, entry in enumerate(parsed.entries, start=1):
        if entry.draft is not None:
            result.drafts.append(entry.draft)
        else:
            result.errors.append(f"#{number}: {entry.error}")
    if not result.drafts:
        raise IngestError(
            f"none of the {len(parsed.entries)} entries is a usable article; {result.errors[0]}"
        )
    return result


def read_feed_entries(data: bytes, origin: str) -> ParsedFeed:
    """Every entry of a feed, usable or not, with its guid-or-link (what `feed fetch` follows)."""
    match = _XML_ENCODING.match(data[:1024])
    text = decode(data, match[1].decode("ascii") if match else None)
    _refuse_entity_declarations(data, text)
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except (UnicodeError, ValueError, LookupError) as exc:
        # feedparser decodes the declared encoding's name itself and can fail on a hostile one
        raise IngestError(f"malformed XML: {_describe(exc)}") from exc
    if not parsed.entries:
        if parsed.get("bozo"):
            raise IngestError(f"malformed XML: {_describe(parsed.get('bozo_exception'))}")
        raise IngestError("no entries found (not an RSS or Atom feed, or an empty one)")
    channel = parsed.get("feed", {})
    source = metadata(_plain(channel.get("title"), channel.get("title_detail")))
    language = channel.get("language")
    result = ParsedFeed(source)
    if parsed.get("bozo"):
        result.malformed = f"malformed XML: {_describe(parsed.get('bozo_exception'))}"
    for number, entry in enumerate(parsed.entries, start=1):
        link = metadata(entry.get("link"))
        key = metadata(entry.get("id")) or link
        try:
            draft = _article(entry, f"{origin}#{number}", source, language)
            result.entries.append(FeedEntry(key, draft, link=link))
        except IngestError as error:
            result.entries.append(FeedEntry(key, None, str(error), link=link))
    return result


def _refuse_entity_declarations(data: bytes, text: str) -> None:
    try:
        SafeElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise IngestError("XML entity declarations are not allowed") from None
    except (SafeElementTree.ParseError, ValueError, LookupError):
        # Malformed, or in an encoding expat does not know: look for declarations ourselves.
        if _ENTITY_DECLARATION.search(text):
            raise IngestError("XML entity declarations are not allowed") from None


def _describe(error: object) -> str:
    if error is None:
        return "not a feed"
    line = getattr(error, "getLineNumber", None)
    message = getattr(error, "getMessage", None)
    if callable(line) and callable(message):
        return normalize_line(f"line {line()}: {message()}")
    return normalize_line(str(error)) or type(error).__name__


def _plain(value: object, detail: object) -> str | None:
    """A feed text construct as plain text (titles may be typed HTML)."""
    if not isinstance(value, str):
        return None
    kind = detail.get("type", "") if isinstance(detail, dict) else ""
    if "html" in kind:
        return " ".join(fragment_paragraphs(value))
    return value


def _article(entry: Any, origin: str, source: str | None, language: object) -> ArticleDraft:
    value, kind, content_language = "", "text/html", None
    for content in entry.get("content") or []:
        if isinstance(content.get("value"), str) and content["value"].strip():
            value, kind = content["value"], content.get("type") or "text/html"
            content_language = content.get("language")
            break
    else:
        summary = entry.get("summary")
        if isinstance(summary, str):
            value = summary
            kind = (entry.get("summary_detail") or {}).get("type") or "text/html"
    paragraphs = fragment_paragraphs(value) if "html" in kind else [value]
    try:
        body = require_body("\n\n".join(paragraphs))
    except IngestError:
        raise IngestError("no content or summary text") from None
    title = metadata(_plain(entry.get("title"), entry.get("title_detail"))) or _untitled(body)
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return ArticleDraft(
        title=title,
        body=body,
        source=source,
        author=metadata(entry.get("author")),
        url=metadata(entry.get("link")),
        published=_date(published),
        language=metadata(content_language or language),
        origin=origin,
        origin_format="feed",
    )


def _date(value: object) -> date | None:
    try:
        return date(*value[:3]) if value else None  # type: ignore[index]
    except (TypeError, ValueError):
        return None


def _untitled(body: str) -> str:
    line = normalize_line(body)
    if len(line) <= _UNTITLED_LENGTH:
        return line
    cut = line[:_UNTITLED_LENGTH].rsplit(" ", 1)[0] or line[:_UNTITLED_LENGTH]
    return cut + "…"
