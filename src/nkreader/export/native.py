"""The native JSON export (DESIGN §6): a complete, self-checking backup of what was marked.

Each article carries its full stored text, so every annotation's offsets can be
verified against it; `format`/`version` let later versions read older files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any

from nkreader import __version__
from nkreader.domain import Annotation, Article, Link

FORMAT_NAME = "nkreader-annotations"
FORMAT_VERSION = 1


def format_datetime(value: datetime) -> str:
    """UTC, millisecond precision, `Z` suffix: one spelling, so exports compare byte for byte."""
    text = value.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    return text + "Z"


def parse_datetime(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(slots=True)
class ArticleExport:
    article: Article
    annotations: Sequence[Annotation]


def annotation_record(annotation: Annotation) -> dict[str, Any]:
    return {
        "uuid": annotation.uuid,
        "kind": annotation.kind.value,
        "start": annotation.start,
        "end": annotation.end,
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "note": annotation.note,
        "tags": list(annotation.tags),
        "speaker": annotation.speaker,
        "status": annotation.status.value,
        "anchor_state": annotation.anchor_state.value,
        "author": annotation.author,
        "created_at": format_datetime(annotation.created_at),
        "updated_at": format_datetime(annotation.updated_at),
    }


def article_record(item: ArticleExport, *, include_text: bool = True) -> dict[str, Any]:
    article = item.article
    record: dict[str, Any] = {
        "uuid": article.uuid,
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "author": article.author,
        "url": article.url,
        "published": _date(article.published),
        "language": article.language,
        "origin": article.origin,
        "origin_format": article.origin_format,
        "content_hash": article.content_hash,
        "imported_at": format_datetime(article.imported_at),
        "updated_at": format_datetime(article.updated_at),
    }
    if include_text:
        record["body"] = article.body
    record["annotations"] = [annotation_record(a) for a in item.annotations]
    return record


def link_record(link: Link) -> dict[str, Any]:
    return {
        "uuid": link.uuid,
        "source": link.source_uuid,
        "target": link.target_uuid,
        "type": link.type.value,
        "created_at": format_datetime(link.created_at),
    }


def build_document(
    items: Iterable[ArticleExport],
    *,
    exported_at: datetime,
    links: Iterable[Link] = (),
    include_text: bool = True,
    filters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generator": f"nkreader {__version__}",
        "exported_at": format_datetime(exported_at),
    }
    if filters:
        document["filters"] = dict(filters)
    document["articles"] = [article_record(item, include_text=include_text) for item in items]
    document["links"] = [link_record(link) for link in links]
    return document


def dumps(document: Mapping[str, Any]) -> str:
    """UTF-8 text without escaping non-ASCII, two-space indent, newline at the end."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def schema() -> dict[str, Any]:
    text = (
        resources.files("nkreader.export")
        .joinpath("schemas/nkreader-annotations.schema.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)
