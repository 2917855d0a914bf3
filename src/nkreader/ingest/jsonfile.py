"""JSON files (.json): one article, a list of articles, or `{"articles": [...]}`.

A JSON file holds one article object, a list of them, or an object whose `"articles"` key holds
the list (the shape of an nkreader export, whose articles carry `body`; their annotations and
other fields are not read here). Fields of an article:

| field | required | type | notes |
|---|---|---|---|
| `title` | yes | string | shown on one line; must keep some text once control characters are removed |
| `body` / `text` / `content` | yes (one of them) | string | plain text, first present wins; blank lines separate paragraphs |
| `source` | no | string | the publication, e.g. "Daily NK" |
| `author` | no | string | the byline |
| `url` | no | string | where the article was published |
| `published` | no | string | ISO 8601 date or date-time (`2024-03-05`, `2024-03-05T09:30:00+09:00`); only the date is kept |
| `language` | no | string | e.g. `en`, `ko` |

Other fields are ignored; `null` counts as absent. In a list, a bad entry is skipped and
reported with its 1-based position (`#3: missing "title"`) while the good ones are imported;
the file is refused as a whole only when it is not valid JSON, has no entries, or none of its
entries is usable. The file must be UTF-8 (UTF-16/32 with a BOM also works).
"""

from __future__ import annotations

import json
from typing import Any

from nkreader.domain import ArticleDraft
from nkreader.ingest.base import IngestError, ReadResult, decode, metadata, parse_date, require_body
from nkreader.text.normalize import normalize_line

__all__ = ["read_json"]

_BODY_FIELDS = ("body", "text", "content")
_TEXT_FIELDS = ("source", "author", "url", "language")


def read_json(data: bytes, origin: str) -> ReadResult:
    text = decode(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(f"malformed JSON: line {error.lineno} column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise IngestError("malformed JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer with too many digits
        raise IngestError(f"malformed JSON: {error}") from None
    if isinstance(document, dict) and "articles" in document:
        document = document["articles"]
        if not isinstance(document, list):
            raise IngestError('"articles" must be a list of article objects')
    if isinstance(document, dict):
        return ReadResult([_article(document, origin)], [])
    if not isinstance(document, list):
        raise IngestError('expected an article object, a list of them, or {"articles": [...]}')
    if not document:
        raise IngestError("no articles in the file (the list is empty)")
    result = ReadResult()
    for number, entry in enumerate(document, start=1):
        try:
            result.drafts.append(_article(entry, f"{origin}#{number}"))
        except IngestError as error:
            result.errors.append(f"#{number}: {error}")
    if not result.drafts:
        raise IngestError(f"none of the {len(document)} entries is a usable article; {result.errors[0]}")
    return result


def _article(entry: Any, origin: str) -> ArticleDraft:
    if not isinstance(entry, dict):
        raise IngestError(f"an article must be a JSON object, not {_json_type(entry)}")
    title = entry.get("title")
    if title is None:
        raise IngestError('missing "title"')
    if not isinstance(title, str):
        raise IngestError(f'"title" must be a string, not {_json_type(title)}')
    title = normalize_line(title)
    if not title:
        raise IngestError('"title" is empty')
    body_field = next((name for name in _BODY_FIELDS if entry.get(name) is not None), None)
    if body_field is None:
        raise IngestError('missing "body" (or "text" or "content")')
    raw_body = entry[body_field]
    if not isinstance(raw_body, str):
        raise IngestError(f'"{body_field}" must be a string, not {_json_type(raw_body)}')
    try:
        body = require_body(raw_body)
    except IngestError:
        raise IngestError(f'"{body_field}" has no text') from None
    fields: dict[str, str | None] = {}
    for name in _TEXT_FIELDS:
        value = entry.get(name)
        if value is not None and not isinstance(value, str):
            raise IngestError(f'"{name}" must be a string, not {_json_type(value)}')
        fields[name] = metadata(value)
    published = entry.get("published")
    if published is not None and not isinstance(published, str):
        raise IngestError(f'"published" must be an ISO 8601 date string, not {_json_type(published)}')
    published_date = parse_date(published)
    if published and published_date is None:
        raise IngestError(f'"published" is not an ISO 8601 date: {normalize_line(published)[:40]!r}')
    return ArticleDraft(
        title=title,
        body=body,
        published=published_date,
        origin=origin,
        origin_format="json",
        **fields,
    )


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a string" if isinstance(value, str) else "null"
