"""HTML fragments and element trees to plain paragraphs (not yet normalized).

Used for feed entry content and for the XML tree trafilatura extracts from a page. Walks the tree
iteratively (no recursion), so deep nesting cannot exhaust the stack; libxml2 itself refuses trees
deeper than 256 levels unless `huge_tree` is set, which we never do.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from nkreader.ingest.base import IngestError

__all__ = ["fragment_paragraphs", "html_parser", "raise_if_too_deep", "tree_paragraphs"]

# Tag names of HTML and of trafilatura's XML output (head = heading, list/item, quote, row/cell ...).
_BLOCK = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "address",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "li",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "center",
        "details",
        "summary",
        "head",
        "list",
        "item",
        "quote",
        "row",
        "code-block",
    ]
)
_LISTS = frozenset({"ul", "ol", "list"})
_ITEMS = frozenset({"li", "item"})
_ROWS = frozenset({"tr", "row"})
_CELLS = frozenset({"td", "th", "cell"})
_BREAKS = frozenset({"br", "lb"})
_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "canvas",
        "img",
        "picture",
        "video",
        "audio",
        "source",
        "track",
        "map",
        "area",
        "graphic",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "option",
        "label",
        "nav",
        "title",
        "meta",
        "link",
        "base",
    ]
)


def html_parser() -> lxml_html.HTMLParser:
    """A fresh parser: no network, no comments or processing instructions, no huge trees."""
    return lxml_html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )


def raise_if_too_deep(parser: lxml_html.HTMLParser) -> None:
    for entry in parser.error_log:
        if "depth" in entry.message.lower():
            raise IngestError("HTML is nested too deeply (more than 256 levels)")


def fragment_paragraphs(fragment: str) -> list[str]:
    """The paragraphs of an HTML fragment, e.g. a feed entry's content."""
    if "<" not in fragment and "&" not in fragment:
        return [fragment]
    parser = html_parser()
    try:
        root = lxml_html.document_fromstring(
            f"<html><body><div>{fragment}</div></body></html>".encode(), parser=parser
        )
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return []
    raise_if_too_deep(parser)
    body = root.find("body")
    return tree_paragraphs(body if body is not None else root)


def tree_paragraphs(root: etree._Element) -> list[str]:
    """Text of the tree, one string per block element; list items are prefixed "• " or "N. "."""
    paragraphs: list[str] = []
    buffer: list[str] = []
    lists: list[list[int]] = []  # per open list: [ordered (0/1), items seen]
    pending_prefix = ""

    def add(text: str | None) -> None:
        nonlocal pending_prefix
        if not text:
            return
        if pending_prefix and text.strip():
            buffer.append(pending_prefix)
            pending_prefix = ""
        buffer.append(text)

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        if text.strip():
            paragraphs.append(text)

    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else None
        if closing:
            if tag in _BLOCK:
                flush()
            if tag in _LISTS and lists:
                lists.pop()
            if tag in _ITEMS:
                pending_prefix = ""
            if element is not root:
                add(element.tail)
            continue
        if tag is None or tag in _SKIP:  # comments, processing instructions, non-text elements
            if element is not root:
                add(element.tail)
            continue
        if tag in _BLOCK:
            flush()
        if tag in _LISTS:
            lists.append([int(tag == "ol" or element.get("rend") == "ol"), 0])
        if tag in _ITEMS:
            if lists:
                lists[-1][1] += 1
                pending_prefix = f"{lists[-1][1]}. " if lists[-1][0] else "• "
            else:
                pending_prefix = "• "
        elif tag in _BREAKS:
            add("\n")
        elif tag in _CELLS and "".join(buffer).strip():
            add(" | ")
        add(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    flush()
    return paragraphs
