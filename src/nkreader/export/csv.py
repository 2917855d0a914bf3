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
| `author` | the annotator who made it (empty if none) |
| `created_at`, `updated_at` | UTC, `2026-11-28T15:04:05.123Z` |
| `prefix`, `suffix` | up to 32 characters of the text before and after the passage (its context) |
| `links` | the annotation's links, `; `-separated, each `RELATION UUID` where RELATION is `corroborates`, `corroborated-by`, `contradicts`, `contradicted-by`, `same-as`, `cites` or `cited-by` and UUID the other annotation |
| `linked_passages` | the same links for a reader, one a line: `Corroborated by: “…” — Title (outlet, date)` |
| `source_reliability` | the speaker's reliability as a source, `A`–`F` (empty if not graded) |
| `credibility` | the passage's credibility, `1`–`6` (empty if not graded) |
| `was` | the words the passage was made on, when an update of the article changed them (else empty) |
| `needs_review` | `yes` when those words changed after its status was set and nobody has reviewed it |
| `updated_by` | the annotator who last changed it (empty if unknown) |

An undated article has an empty `article_published` (never its import date). New columns
are added at the end, so programs that read columns by position keep working.

The file is UTF-8 with a byte-order mark (so spreadsheet programs read Korean text right),
comma-separated, every field quoted when needed (RFC 4180), lines ending in CRLF. A cell that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so no spreadsheet
takes text from an article for a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from nkreader.analysis import NO_GRADES, Grades, WordingChange
from nkreader.export.evidence import LinkedPassage, date_text
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
    "prefix",
    "suffix",
    "links",
    "linked_passages",
    "source_reliability",
    "credibility",
    "was",
    "needs_review",
    "updated_by",
)

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: str) -> str:
    """A cell a spreadsheet will show as text, never evaluate."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _linked(other: LinkedPassage) -> str:
    where = ", ".join(v for v in (other.article_source, date_text(other.article_published)) if v)
    return f"{other.label}: “{' '.join(other.exact.split())}” — {other.article_title} ({where})"


def rows(
    items: Iterable[ArticleExport],
    evidence: Mapping[str, Sequence[LinkedPassage]] | None = None,
    grades: Grades = NO_GRADES,
    wording: Mapping[str, WordingChange] | None = None,
) -> Iterable[list[str]]:
    for item in items:
        article = item.article
        for a in item.annotations:
            linked = (evidence or {}).get(a.uuid, ())
            reliability, credibility = grades.of(a.speaker, a.uuid)
            change = (wording or {}).get(a.uuid)
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
                    a.prefix,
                    a.suffix,
                    "; ".join(f"{other.relation} {other.uuid}" for other in linked),
                    "\n".join(_linked(other) for other in linked),
                    reliability or "",
                    str(credibility) if credibility else "",
                    change.original if change else "",
                    "yes" if change and change.needs_review else "",
                    a.updated_by or "",
                )
            ]


def render(
    items: Sequence[ArticleExport],
    evidence: Mapping[str, Sequence[LinkedPassage]] | None = None,
    grades: Grades = NO_GRADES,
    wording: Mapping[str, WordingChange] | None = None,
) -> str:
    """The whole CSV file as text (byte-order mark first); `evidence`: the linked passages."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    writer.writerows(rows(items, evidence, grades, wording))
    return BOM + buffer.getvalue()
