"""The library-wide report (`nkreader report`): the claims that have been weighed, across articles.

Markdown, in this order:

1. a summary: how many articles (and how many of them undated), claims per status, the filters;
   then **To review**: passages whose words an update changed after their status was set;
2. **Corroborated**, **Disputed**, **Refuted** claims, then **Unverified, with linked evidence**
   (claims nobody has ruled on yet that another passage corroborates or contradicts); within
   each, article by article (newest first, undated last), each claim as the brief writes it:
   speaker, linked passages with their articles, note, tags, citation;
3. **By source**: each speaker's claims per status, and its quotes and policy statements;
4. **By outlet**: each outlet's articles and claims per status.

Unverified claims without linked evidence are counted, not listed. Text is escaped as in the
brief (`export.markdown.escape`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from nkreader.analysis import NO_GRADES, Grades
from nkreader.domain import Annotation, Kind, LinkType, Status
from nkreader.export.evidence import LinkedPassage, date_text
from nkreader.export.markdown import Evidence, Wording, escape, passage
from nkreader.export.native import ArticleExport, format_datetime

WEIGHED = (Status.CORROBORATED, Status.DISPUTED, Status.REFUTED)
_EVIDENCE_LINKS = (LinkType.CORROBORATES, LinkType.CONTRADICTS)


@dataclass(slots=True)
class ReportFilters:
    since: date | None = None
    """Articles dated on or after this day (undated articles are then left out, and counted)."""
    tag: str | None = None
    """Only claims with this tag (any case)."""

    def describe(self) -> str:
        parts = []
        if self.since:
            parts.append(f"articles dated {self.since.isoformat()} or later")
        if self.tag:
            parts.append(f"claims tagged {escape(self.tag)}")
        return "; ".join(parts) or "none"


@dataclass(slots=True)
class _Tally:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def get(self, key: str) -> int:
        return self.counts.get(key, 0)


def _has_evidence(annotation: Annotation, evidence: Evidence) -> bool:
    return any(other.type in _EVIDENCE_LINKS for other in evidence.get(annotation.uuid, ()))


def _newest_first(item: ArticleExport) -> tuple[int, int, int]:
    published = item.article.published
    return (0 if published else 1, -(published.toordinal() if published else 0), item.article.id or 0)


def _cell(text: str) -> str:
    return escape(" ".join(text.split())) or "—"


def _claim_groups(
    items: Sequence[ArticleExport], evidence: Evidence
) -> list[tuple[str, list[tuple[ArticleExport, list[Annotation]]]]]:
    groups: list[tuple[str, list[tuple[ArticleExport, list[Annotation]]]]] = []
    for status in (*WEIGHED, None):
        title = status.value.capitalize() if status else "Unverified, with linked evidence"
        per_article = []
        for item in sorted(items, key=_newest_first):
            claims = [
                a
                for a in item.annotations
                if a.kind is Kind.CLAIM
                and (
                    a.status is status
                    if status
                    else a.status is Status.UNVERIFIED and _has_evidence(a, evidence)
                )
            ]
            if claims:
                per_article.append((item, claims))
        groups.append((title, per_article))
    return groups


def _by_source(items: Sequence[ArticleExport], grades: Grades) -> list[str]:
    tallies: dict[str, _Tally] = {}
    for item in items:
        for a in item.annotations:
            if a.speaker:
                tally = tallies.setdefault(a.speaker, _Tally())
                tally.add(a.status.value if a.kind is Kind.CLAIM else a.kind.value)
    if not tallies:
        return []
    lines = [
        "",
        "## By source",
        "",
        "| Source | Reliability | Corroborated | Disputed | Refuted | Unverified | Quotes | Policy statements |",
        "|---|:---:|---:|---:|---:|---:|---:|---:|",
    ]
    for speaker in sorted(tallies, key=lambda s: (-sum(tallies[s].counts.values()), s.casefold())):
        t = tallies[speaker]
        numbers = [t.get(s.value) for s in (*WEIGHED, Status.UNVERIFIED)] + [t.get("quote"), t.get("policy")]
        label = f" ({grades.labels[speaker]})" if speaker in grades.labels else ""
        grade = grades.reliability.get(speaker, "—")
        lines.append(f"| {_cell(speaker)}{label} | {grade} | " + " | ".join(map(str, numbers)) + " |")
    return lines


def _by_outlet(items: Sequence[ArticleExport]) -> list[str]:
    articles: dict[str, int] = {}
    tallies: dict[str, _Tally] = {}
    for item in items:
        outlet = item.article.source or ""
        articles[outlet] = articles.get(outlet, 0) + 1
        tally = tallies.setdefault(outlet, _Tally())
        for a in item.annotations:
            if a.kind is Kind.CLAIM:
                tally.add(a.status.value)
    if not articles:
        return []
    lines = [
        "",
        "## By outlet",
        "",
        "| Outlet | Articles | Corroborated | Disputed | Refuted | Unverified |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for outlet in sorted(articles, key=lambda o: (-articles[o], o.casefold())):
        t = tallies[outlet]
        numbers = [articles[outlet]] + [t.get(s.value) for s in (*WEIGHED, Status.UNVERIFIED)]
        lines.append(
            f"| {_cell(outlet) if outlet else 'no outlet'} | " + " | ".join(map(str, numbers)) + " |"
        )
    return lines


def render(
    items: Sequence[ArticleExport],
    evidence: Mapping[str, Sequence[LinkedPassage]],
    *,
    generated_at: datetime,
    filters: ReportFilters,
    left_out_undated: int = 0,
    grades: Grades = NO_GRADES,
    wording: Wording | None = None,
) -> str:
    """The report over `items` (already filtered by the caller; `left_out_undated`: undated
    articles a `since` filter left out)."""
    claims = [a for item in items for a in item.annotations if a.kind is Kind.CLAIM]
    undated = sum(1 for item in items if item.article.published is None)
    per_status = {s: sum(a.status is s for a in claims) for s in Status}
    lines = [
        f"<!-- nkreader report, generated {format_datetime(generated_at)} -->",
        "",
        "# Report: claims corroborated and disputed",
        "",
        f"- Articles: {len(items)} ({undated} undated)"
        + (f"; {left_out_undated} undated articles left out by the date filter" if left_out_undated else ""),
        "- Claims: " + ", ".join(f"{per_status[s]} {s.value}" for s in (*WEIGHED, Status.UNVERIFIED)),
        f"- Filters: {filters.describe()}",
    ]
    to_review = [
        (item, a)
        for item in items
        for a in item.annotations
        if (wording or {}).get(a.uuid) is not None and (wording or {})[a.uuid].needs_review
    ]
    if to_review:
        lines += ["", f"## To review ({len(to_review)})", ""]
        lines.append("Updates changed the words of these passages after their status was set.")
        for item, annotation in to_review:
            change = (wording or {})[annotation.uuid]
            lines += [
                "",
                f"- *{escape(item.article.title)}*: {annotation.kind.label.lower()} set {change.status.value} on "
                f"“{escape(' '.join(change.original.split()))}”, now “{escape(' '.join(annotation.exact.split()))}”",
            ]
    listed = 0
    for title, per_article in _claim_groups(items, evidence):
        count = sum(len(claims) for _, claims in per_article)
        listed += count
        lines += ["", f"## {title} ({count})"]
        if not per_article:
            lines += ["", "None."]
        for item, article_claims in per_article:
            article = item.article
            when = date_text(article.published)
            where = f"{escape(article.source)}, {when}" if article.source else when
            lines += ["", f"### {escape(article.title)} — {where}"]
            for claim in article_claims:
                lines += [
                    "",
                    passage(claim, article, evidence, status_shown=True, grades=grades, wording=wording),
                ]
    unlisted = len(claims) - listed
    if unlisted:
        lines += ["", f"{unlisted} unverified claims without linked evidence are not listed."]
    lines += _by_source(items, grades)
    lines += _by_outlet(items)
    return "\n".join(lines) + "\n"
