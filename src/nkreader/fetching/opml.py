"""OPML subscription lists: read what newsboat, Feedly, Inoreader ... export; write one they read.

Reading goes through defusedxml (no entities, no DTD tricks). Every `<outline>` with an `xmlUrl`
is a subscription, at any depth; the `text` (or `title`) of the outlines around it and its
`category` attribute (comma-separated, `/`-paths) become its tags. Writing produces OPML 2.0 with
one flat outline per feed: `type="rss"`, `text`/`title`, `xmlUrl`, `category` (the tags), and
`fullText="true"` for feeds fetched with `--full-text` (other readers ignore what they do not know).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from nkreader.domain_feeds import Feed
from nkreader.text.normalize import normalize_line

__all__ = ["OpmlError", "OpmlFeed", "read_opml", "write_opml"]


class OpmlError(ValueError):
    """The file is not a usable OPML document; `str(error)` is one line."""


@dataclass(slots=True)
class OpmlFeed:
    url: str
    name: str | None
    tags: list[str] = field(default_factory=list)
    full_text: bool = False


def read_opml(data: bytes) -> list[OpmlFeed]:
    if not data.strip():
        raise OpmlError("the file is empty")
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise OpmlError("XML entity or DTD declarations are not allowed") from None
    except SafeElementTree.ParseError as error:
        raise OpmlError(f"malformed XML: {error}") from None
    if _local(root.tag) != "opml":
        raise OpmlError(f"not an OPML document (its root is <{normalize_line(_local(root.tag))}>)")
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise OpmlError("no <body> in the OPML document")
    found: list[OpmlFeed] = []
    _walk(body, [], found)
    return found


def _walk(parent: Element, folders: list[str], found: list[OpmlFeed]) -> None:
    for outline in parent:
        if _local(outline.tag) != "outline":
            continue
        label = normalize_line(outline.get("text") or outline.get("title") or "")
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            tags = [*folders, *_categories(outline.get("category") or "")]
            found.append(
                OpmlFeed(
                    url=url,
                    name=label or None,
                    tags=list(dict.fromkeys(t for t in tags if t)),
                    full_text=(outline.get("fullText") or "").lower() == "true",
                )
            )
        _walk(outline, [*folders, label] if label and not url else folders, found)


def _categories(value: str) -> list[str]:
    tags: list[str] = []
    for category in value.split(","):
        tags.extend(normalize_line(part) for part in category.split("/"))
    return [t for t in tags if t]


def _local(tag: object) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def write_opml(feeds: Sequence[Feed], *, title: str = "nkreader subscriptions") -> str:
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.tags:
            attributes["category"] = ",".join(feed.tags)
        if feed.full_text:
            attributes["fullText"] = "true"
        SubElement(body, "outline", attributes)
    indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="unicode") + "\n"
