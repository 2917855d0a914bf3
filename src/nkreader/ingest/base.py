"""What every reader shares: the error, the result, metadata clean-up and date parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from nkreader.domain import ArticleDraft
from nkreader.text.normalize import TextDecodeError, decode_bytes, normalize_line, normalize_text

__all__ = [
    "IngestError",
    "ReadResult",
    "decode",
    "metadata",
    "parse_date",
    "require_body",
]


class IngestError(Exception):
    """A file (or an entry of one) cannot be imported; `str(error)` is a one-line reason for people."""

    def __init__(self, reason: str, path: str | None = None) -> None:
        reason = " ".join(str(reason).split()) or "cannot be imported"
        super().__init__(reason)
        self.reason = reason
        self.path = path


@dataclass(slots=True)
class ReadResult:
    """The articles read from one file, and a one-line reason for each entry that was refused.

    `errors` name the entry like the origin does (`#3: no "title"`); whole-file failures are not
    here: `read_file` raises `IngestError` for those.
    """

    drafts: list[ArticleDraft] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: dict[int, list[str]] = field(default_factory=dict)
    """Per draft (by index): what was left out of an article that was still imported."""


def decode(data: bytes, declared: str | None = None) -> str:
    """`decode_bytes`, with refusals as `IngestError` and empty files named as such."""
    if not data:
        raise IngestError("file is empty")
    try:
        text = decode_bytes(data, declared)
    except TextDecodeError as error:
        raise IngestError(str(error)) from None
    if not text.strip():
        raise IngestError("file contains only whitespace")
    return text


def metadata(value: object) -> str | None:
    """A metadata string as shown in the UI: one line, controls stripped; None if empty or not text."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = normalize_line(str(value))
    return text or None


def require_body(text: str) -> str:
    body = normalize_text(text)
    if not body:
        raise IngestError("no text left after extraction")
    return body


_DATE_PREFIX = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?=$|[T\s])")


def parse_date(value: object) -> date | None:
    """A `date` from a date, a datetime or an ISO 8601 string (date or datetime); else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    match = _DATE_PREFIX.match(text)  # "2024-03-05 10:00:00 +0900" and friends
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None
