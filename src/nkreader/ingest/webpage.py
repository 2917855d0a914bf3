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

import contextlib
import copy
import re
import signal
import threading
from collections.abc import Iterator
from typing import Any

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


PRECISE: dict[str, Any] = {"fast": True, "favor_precision": True}
"""trafilatura favouring precision, without its fallback extractors: what nkreader used first."""
DEFAULTS: dict[str, Any] = {"fast": False}
"""trafilatura's own defaults (its fallback extractors included)."""
RECALL: dict[str, Any] = {"fast": False, "favor_recall": True}
"""trafilatura favouring recall, fallback extractors included: the first pass."""
LITTLE = 500
"""Characters of main text below which the first pass is taken to have missed the article."""
STRATEGIES = ("default", "precise", "recall", "recall-then-default")
CHOSEN = "recall-then-default"


def extract(tree: lxml_html.HtmlElement, strategy: str = CHOSEN) -> Any:
    """trafilatura's document for a parsed page, by `strategy`.

    Measured by `tools/html_extraction.py` on 30 real pages (mozilla/readability's test pages:
    news sites, blogs, reference pages in seven languages), mean token recall / precision of the
    stored body against the expected main text:

    - "default", trafilatura's defaults: 0.952 / 0.912;
    - "precise" (`favor_precision`, no fallback; nkreader's first choice): 0.898 / 0.926, and it
      finds nothing at all on one page and 37-70% of the text on others;
    - "recall" (`favor_recall`): 0.935 / 0.947, but on one page (nytimes-5) it keeps one
      paragraph (263 characters) where the defaults find the article;
    - "recall-then-default", the one used: the recall pass, and when it finds little (under
      `LITTLE` characters) the defaults' result if that is longer: 0.953 / 0.947, both at least
      trafilatura's defaults. The second pass runs only on such pages.
    """
    if strategy == "default":
        return _bare(tree, DEFAULTS)
    if strategy == "precise":
        return _bare(tree, PRECISE)
    first = _bare(tree, RECALL)
    if strategy == "recall":
        return first
    found = len(_text(first.body)) if first is not None and first.body is not None else 0
    if found >= LITTLE:
        return first
    second = _bare(tree, DEFAULTS)
    if second is not None and second.body is not None and len(_text(second.body)) > found:
        return second
    return first


def _text(body: etree._Element) -> str:
    return " ".join("".join(body.itertext()).split())


def _bare(tree: lxml_html.HtmlElement, settings: dict[str, Any]) -> Any:
    return trafilatura.bare_extraction(
        copy.deepcopy(tree),
        **settings,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def parse_page(data: bytes) -> lxml_html.HtmlElement:
    """The page's element tree, bounded (`MAX_ELEMENTS`) and checked for depth."""
    text = decode(data, declared_charset(data))
    parser = html_parser()
    try:
        tree = lxml_html.document_fromstring(_XML_DECLARATION.sub("", text).encode(), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise IngestError(f"malformed HTML: {error}") from None
    raise_if_too_deep(parser)
    _limit_elements(tree)
    return _unwrap_crowded_blocks(tree)


MAX_INLINE_PER_BLOCK = 200
"""Inline elements (links, spans, emphasis ...) one block may hold before they are unwrapped.

trafilatura's time grows with the square of the inline elements inside one block: 12,000 links
in one paragraph took 14 s, 24,900 took 53 s, far past the 5 s a file may take, though under
`MAX_ELEMENTS`. A real paragraph holds a few dozen; one holding more than this is a link farm
or generated markup. Its inline tags are unwrapped (their text kept, in place), which makes the
cost linear again and leaves every other block as it was."""

_INLINE = (
    "br",
    "img",
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "cite",
    "code",
    "data",
    "del",
    "dfn",
    "em",
    "font",
    "i",
    "ins",
    "kbd",
    "mark",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
)
_INLINE_SET = frozenset(_INLINE)


def _unwrap_crowded_blocks(tree: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """Unwrap the inline elements of every block holding more than `MAX_INLINE_PER_BLOCK`.

    The tree is then parsed again from its serialization: `strip_tags` leaves the text of a
    block as thousands of adjacent text nodes, and every `.text` read joins them all again (as
    slow as the links were). Returns the tree to use."""
    counts: dict[Any, int] = {}
    for element in tree.iter(*_INLINE):
        block = element.getparent()
        while block is not None and block.tag in _INLINE_SET:
            block = block.getparent()
        if block is not None:
            counts[block] = counts.get(block, 0) + 1
    crowded = [block for block, count in counts.items() if count > MAX_INLINE_PER_BLOCK]
    if not crowded:
        return tree
    for block in crowded:
        etree.strip_tags(block, *_INLINE)
    return lxml_html.document_fromstring(etree.tostring(tree, encoding="unicode"), parser=html_parser())


MAX_SECONDS = 5.0
"""Extraction stops after this long (on the main thread, where a timer can interrupt it): the
unwrapping above removes the known quadratic cases; this bounds whatever is left."""


class _TookTooLong(Exception):
    pass


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise `_TookTooLong` inside the block after `seconds` (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _TookTooLong

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_html(data: bytes, origin: str, fallback_title: str, *, strategy: str = CHOSEN) -> ArticleDraft:
    tree = parse_page(data)
    language = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not language:
        for meta in tree.iterfind(".//meta[@http-equiv]"):
            if meta.get("http-equiv", "").lower() == "content-language":
                language = meta.get("content")
    try:
        with _deadline(MAX_SECONDS):
            document = extract(tree, strategy)
    except _TookTooLong:
        raise IngestError(
            f"finding the article took longer than {MAX_SECONDS:g} s (too much markup); the page was left out"
        ) from None
    if document is None or document.body is None:
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
