"""Plain text files (.txt): the first non-empty line is the title, the rest the body.

Hard-wrapped lines flow into paragraphs; blank lines separate paragraphs.
"""

from __future__ import annotations

from nkreader.domain import ArticleDraft
from nkreader.ingest.base import IngestError, decode, require_body
from nkreader.text.normalize import normalize_line

__all__ = ["read_text"]


def read_text(data: bytes, origin: str) -> ArticleDraft:
    text = decode(data)
    lines = text.splitlines()
    found = next(((n, title) for n, line in enumerate(lines) if (title := normalize_line(line))), None)
    if found is None:
        raise IngestError("no text left after removing control characters")
    number, title = found
    try:
        body = require_body("\n".join(lines[number + 1 :]))
    except IngestError:
        raise IngestError("no text after the title (the first line is the title)") from None
    return ArticleDraft(title=title, body=body, origin=origin, origin_format="text")
