"""Saved web pages (.html, .htm): the article text and its metadata, extracted by trafilatura.

trafilatura runs without its fallback extractors (`fast=True`) and favouring precision, which
also turns off its "baseline" rescue: when it cannot find the main text it finds nothing rather
than handing back the whole page with navigation, share bars and footers. Comments are left out,
tables kept. We parse the page ourselves with a non-huge lxml parser so pathological
nesting is refused in milliseconds instead of being half-read.

trafilatura's time grows with the number of elements, not bytes: 15 MB of paragraphs take
~1.5 s, but it needs 12-80 µs per element (0.4 s for 30,000 inline tags, 3.5 s for 50,000
links), so a 2 MB page of dense markup would take many seconds. A page over `MAX_ELEMENTS`
first loses the elements trafilatura would delete anyway and that never hold article text
(SVG drawings, form controls, menus, media ...); if it is still over, it is refused with a
one-line reason. Real article pages have a few thousand elements.
"""

from __future__ import annotations

import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from nkreader.domain import ArticleDraft
from nkreader.ingest.base import IngestError, decode, metadata, parse_date, require_body
from nkreader.ingest.htmltext import html_parser, raise_if_too_deep, tree_paragraphs
from nkreader.text.normalize import normalize_line, normalize_text

__all__ = ["read_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

MAX_ELEMENTS = 25_000
"""At most this many elements go to trafilatura: about 2 s at its slowest (tens of thousands of
short paragraphs or links) on a busy 2-core machine, within the 5 s any one file may take."""
# A subset of trafilatura's MANUALLY_CLEANED (deleted before extraction there too): never
# article text. Not `head`, `script` or `form`: metadata (JSON-LD) and whole-page ASP.NET forms.
_NEVER_TEXT = (
    "svg",
    "select",
    "option",
    "optgroup",
    "datalist",
    "noscript",
    "style",
    "iframe",
    "frame",
    "frameset",
    "canvas",
    "video",
    "audio",
    "picture",
    "source",
    "track",
    "map",
    "area",
    "object",
    "embed",
    "applet",
    "button",
    "input",
    "textarea",
    "nav",
    "menu",
    "menuitem",
)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB (<meta charset>, http-equiv, <?xml?>)."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match[1].decode("ascii") if match else None


def _count_elements(tree: lxml_html.HtmlElement) -> int:
    return int(tree.xpath("count(//*)"))


def _limit_elements(tree: lxml_html.HtmlElement) -> None:
    """Bound the work trafilatura is given (see the module's docstring)."""
    if _count_elements(tree) <= MAX_ELEMENTS:
        return
    etree.strip_elements(tree, *_NEVER_TEXT, with_tail=False)
    count = _count_elements(tree)
    if count > MAX_ELEMENTS:
        raise IngestError(
            f"too much markup to find the article in ({count:,} elements; the limit is {MAX_ELEMENTS:,})"
        )


def read_html(data: bytes, origin: str, fallback_title: str) -> ArticleDraft:
    text = decode(data, declared_charset(data))
    parser = html_parser()
    try:
        tree = lxml_html.document_fromstring(_XML_DECLARATION.sub("", text).encode(), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise IngestError(f"malformed HTML: {error}") from None
    raise_if_too_deep(parser)
    _limit_elements(tree)
    language = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not language:
        for meta in tree.iterfind(".//meta[@http-equiv]"):
            if meta.get("http-equiv", "").lower() == "content-language":
                language = meta.get("content")
    document = trafilatura.bare_extraction(
        tree,
        fast=True,
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or isinstance(document, dict) or document.body is None:  # dict: as_dict=True only
        raise IngestError("no article text found in the page")
    title = metadata(document.title)
    paragraphs = [p for p in (normalize_text(p) for p in tree_paragraphs(document.body)) if p]
    if paragraphs and title and normalize_line(paragraphs[0]) == title:
        paragraphs = paragraphs[1:]  # the page's <h1>, already the title
    body = require_body("\n\n".join(paragraphs))
    return ArticleDraft(
        title=title or fallback_title,
        body=body,
        source=metadata(document.sitename),
        author=metadata(document.author),
        url=metadata(document.url),
        published=parse_date(document.date),
        language=metadata(language),
        origin=origin,
        origin_format="html",
    )
