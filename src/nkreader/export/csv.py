"""CSV export: one row per annotation, safe to open in a spreadsheet.

Columns (`COLUMNS`, in this order):

| column | value |
|---|---|
| `article_uuid`, `article_title`, `article_source`, `article_published`, `article_url` | the article |
| `annotation_uuid` | the annotation |
| `kind` | `claim`, `quote` or `policy` |
| `exact` | the marked text |
| `speaker` | who said it (empty if none) |
| `status` | `unverified`, `corroborated`, `disputed` or `refuted` |
| `tags` | the tags, separated by `; ` |
| `note` | the note (may hold line breaks) |
| `start`, `end` | code point offsets into the article's stored text, end exclusive |
| `anchor_state` | `anchored`, `moved`, `fuzzy` or `orphaned` |
| `author` | the annotator (empty if none) |
| `created_at`, `updated_at` | UTC, `2026-11-28T15:04:05.123Z` |

The file is UTF-8 with a byte-order mark (so spreadsheet programs read Korean text right),
comma-separated, every field quoted when needed (RFC 4180), lines ending in CRLF. A cell that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so no spreadsheet
takes text from an article for a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from nkreader.export.native import ArticleExport, format_datetime

COLUMNS = (
    "article_uuid",
    "article_title",
    "article_source",
    "article_published",
    "article_url",
    "annotation_uuid",
    "kind",
    "exact",
    "speaker",
    "status",
    "tags",
    "note",
    "start",
    "end",
    "anchor_state",
    "author",
    "created_at",
    "updated_at",
)

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: str) -> str:
    """A cell a spreadsheet will show as text, never evaluate."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def rows(items: Iterable[ArticleExport]) -> Iterable[list[str]]:
    for item in items:
        article = item.article
        for a in item.annotations:
            yield [
                neutralize(cell)
                for cell in (
                    article.uuid,
                    article.title,
                    article.source or "",
                    article.published.isoformat() if article.published else "",
                    article.url or "",
                    a.uuid,
                    a.kind.value,
                    a.exact,
                    a.speaker or "",
                    a.status.value,
                    "; ".join(a.tags),
                    a.note,
                    str(a.start),
                    str(a.end),
                    a.anchor_state.value,
                    a.author or "",
                    format_datetime(a.created_at),
                    format_datetime(a.updated_at),
                )
            ]


def render(items: Sequence[ArticleExport]) -> str:
    """The whole CSV file as text (byte-order mark first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    writer.writerows(rows(items))
    return BOM + buffer.getvalue()
