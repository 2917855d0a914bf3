"""The text of a fetched document: charset from the HTTP header, then the document, then detection.

A saved file only has its own declaration to go by; a fetched one also has the server's
`Content-Type: ...; charset=`, which by the HTTP and XML rules wins (a Korean site serving EUC-KR
says so in the header more reliably than in a stale `<meta>`). `text.normalize.decode_bytes` does
the rest: a byte-order mark first, the declared charset when the bytes are valid in it, then UTF-8,
then charset-normalizer detection.

The readers in `nkreader.ingest` take bytes and look for a declaration themselves, so the text is
handed back re-encoded as UTF-8 with the declaration rewritten to say so.
"""

from __future__ import annotations

import codecs
import re

from nkreader.ingest.base import decode

__all__ = ["as_utf8", "document_text"]

_XML_DECLARATION = re.compile(r"""^\ufeff?\s*<\?xml[^>]*\?>""")
_META_CHARSET = re.compile(r"""(<meta[^>]*?charset\s*=\s*["']?\s*)[A-Za-z0-9._:-]+""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")


def _known(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset.strip()).name
    except (LookupError, ValueError):
        return None


def document_charset(data: bytes, fmt: str) -> str | None:
    """The charset the document declares: `<?xml encoding?>` for feeds, `<meta>` too for pages."""
    if fmt == "feed":
        match = _XML_ENCODING.match(data[:1024])
        return match[1].decode("ascii") if match else None
    # Imported here: the page reader loads trafilatura and lxml (half a second), and this module is
    # on the app's start path (the feeds screen); a page's charset is needed only when one is fetched.
    from nkreader.ingest.webpage import declared_charset

    return declared_charset(data)


def document_text(data: bytes, header_charset: str | None, fmt: str) -> str:
    """The document as text; `IngestError` (one line) when it is empty, binary or undecodable."""
    charset = _known(header_charset) or _known(document_charset(data, fmt))
    return decode(data, charset)


def as_utf8(data: bytes, header_charset: str | None, fmt: str) -> bytes:
    """The document re-encoded as UTF-8, declaring UTF-8, for `nkreader.ingest.read_bytes`."""
    text = _XML_DECLARATION.sub("", document_text(data, header_charset, fmt), count=1).lstrip("\ufeff")
    if fmt == "feed":
        return ('<?xml version="1.0" encoding="utf-8"?>\n' + text.lstrip()).encode("utf-8")
    if fmt == "html":
        # read_html believes the page's own <meta charset>: make every one say what is now true
        return _META_CHARSET.sub(r"\g<1>utf-8", text).encode("utf-8")
    return text.encode("utf-8")
