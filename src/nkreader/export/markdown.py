"""Markdown export: a brief per article, for a report an analyst files.

Each article: its title as a heading; source, author, date ("no date" when the article has
none — never its import date) and link; then **Claims**, grouped by status (corroborated,
disputed, refuted, unverified: the heading says the status, so a claim does not repeat it),
**Quotes** and **Policy statements**, each passage as a block quote in text order followed by
its speaker (with its source identity, S3), its grade (source reliability A–F and
credibility 1–6, e.g. `B2`), the words it was made on when an update changed them ("Was: …",
and **Review** when its status was set on the old words), the passages linked to it ("Corroborated by: “…” — *other article* (outlet,
date)"), note, tags, a flag when it was re-attached or orphaned by an update, and a citation
line (title, outlet, date, and the article's URL with a `#:~:text=` fragment that takes a
browser to the passage). Last, **Sources**: who said what in the article, counted per kind.

Text from articles is escaped so it renders as written, never as Markdown or HTML: special
characters, list, heading and setext markers (`-`, `+`, `=`, `1.`) at line starts, leading
indentation (which would make a code block). Links are written as autolinks only for
`http`/`https` URLs; any other URL (`javascript:` …) is written as inert text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from nkreader.analysis import NO_GRADES, Grades, WordingChange
from nkreader.domain import AnchorState, Annotation, Article, Kind, Status
from nkreader.export.evidence import (
    LinkedPassage,
    citation_parts,
    date_text,
    is_web_url,
    text_fragment_url,
)
from nkreader.export.native import ArticleExport, format_datetime

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
_LINE_START = re.compile(r"^([ \t]*)(?:([-+=])|(\d+)([.)])(?=[ \t]|$))", re.MULTILINE)
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)

STATUS_ORDER = (Status.CORROBORATED, Status.DISPUTED, Status.REFUTED, Status.UNVERIFIED)

Evidence = Mapping[str, Sequence[LinkedPassage]]
"""The passages linked to each annotation, by its uuid."""
Wording = Mapping[str, WordingChange]
"""Annotations whose words an update changed, by uuid."""


def _line_start(match: re.Match[str]) -> str:
    indent, marker, number, stop = match.groups()
    return indent + ("\\" + marker if marker else number + "\\" + stop)


def escape(text: str) -> str:
    """Markdown-inert text: special characters, markers at line starts and indentation escaped."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = _LINE_START.sub(_line_start, text)
    return _INDENT.sub(lambda m: "&nbsp;" * len(m.group(0)), text)


def link(url: str) -> str:
    """An autolink for a web URL; any other URL as inert text (no `javascript:` link)."""
    if is_web_url(url):
        return "<" + url.replace(">", "%3E").replace("<", "%3C").replace(" ", "%20") + ">"
    return escape(url)


def _block_quote(text: str) -> str:
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append(">")
        lines.extend("> " + escape(line) if line else ">" for line in paragraph.split("\n"))
    return "\n".join(lines)


def _excerpt(text: str, limit: int = 160) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def linked_line(other: LinkedPassage) -> str:
    where = [f"*{escape(other.article_title)}*"]
    details = [escape(other.article_source)] if other.article_source else []
    details.append(date_text(other.article_published))
    where.append(f"({', '.join(details)})")
    return f"- {other.label}: “{escape(_excerpt(other.exact))}” — {' '.join(where)}"


def citation_line(article: Article, annotation: Annotation) -> str:
    parts = [escape(part) for part in citation_parts(article)]
    if article.url:
        placed = annotation.anchor_state is not AnchorState.ORPHANED
        url = (
            text_fragment_url(article.url, annotation.exact)
            if placed and is_web_url(article.url)
            else article.url
        )
        parts.append(link(url))
    return "- Cite: " + ", ".join(parts)


def passage(
    annotation: Annotation,
    article: Article,
    evidence: Evidence | None = None,
    *,
    status_shown: bool = False,
    grades: Grades = NO_GRADES,
    wording: Wording | None = None,
) -> str:
    """One passage: its block quote, then its details (`status_shown`: a heading says the status)."""
    parts = [_block_quote(annotation.exact)]
    details: list[str] = []
    change = (wording or {}).get(annotation.uuid)
    if change is not None:
        if change.needs_review:
            details.append(
                f"- **Review:** the article was updated and these words changed after the status "
                f"({change.status.value}) was set"
            )
        details.append(f"- Was: “{escape(' '.join(change.original.split()))}”")
    if annotation.speaker:
        label = grades.labels.get(annotation.speaker)
        details.append(f"- Speaker: {escape(annotation.speaker)}" + (f" ({label})" if label else ""))
    graded = grades.text(annotation.speaker, annotation.uuid)
    if graded:
        letter, number = grades.of(annotation.speaker, annotation.uuid)
        details.append(f"- Grade: {letter or '–'}{number or '–'} — {graded}")
    if not status_shown and (annotation.kind is Kind.CLAIM or annotation.status is not Status.UNVERIFIED):
        details.append(f"- Status: {annotation.status.value}")
    details.extend(linked_line(other) for other in (evidence or {}).get(annotation.uuid, ()))
    if annotation.note:
        note = escape(annotation.note).replace("\n", "  \n  ")
        details.append(f"- Note: {note}")
    if annotation.tags:
        details.append("- Tags: " + ", ".join(escape(t) for t in annotation.tags))
    if annotation.anchor_state is AnchorState.FUZZY:
        details.append("- Anchor: re-attached approximately after the article was updated; check it")
    elif annotation.anchor_state is AnchorState.ORPHANED:
        details.append("- Anchor: orphaned — this passage is no longer in the current text of the article")
    details.append(citation_line(article, annotation))
    parts.append("\n".join(details))
    return "\n\n".join(parts)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def sources_section(annotations: Sequence[Annotation], grades: Grades = NO_GRADES) -> list[str]:
    """Who said what: each speaker with its passages counted per kind (claims by status)."""
    by_speaker: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        if annotation.speaker:
            by_speaker.setdefault(annotation.speaker, []).append(annotation)
    if not by_speaker:
        return []
    lines = ["", "## Sources", ""]
    for speaker in sorted(by_speaker, key=lambda s: (-len(by_speaker[s]), s.casefold())):
        marks = by_speaker[speaker]
        counts = []
        claims = [a for a in marks if a.kind is Kind.CLAIM]
        if claims:
            statuses = ", ".join(
                f"{sum(a.status is s for a in claims)} {s.value}"
                for s in STATUS_ORDER
                if any(a.status is s for a in claims)
            )
            counts.append(f"{_count(len(claims), 'claim')} ({statuses})")
        for kind, word in ((Kind.QUOTE, "quote"), (Kind.POLICY, "policy statement")):
            n = sum(a.kind is kind for a in marks)
            if n:
                counts.append(_count(n, word))
        about = [grades.labels[speaker]] if speaker in grades.labels else []
        if speaker in grades.reliability:
            about.append(f"reliability {grades.reliability[speaker]}")
        shown = escape(speaker) + (f" ({', '.join(about)})" if about else "")
        lines.append(f"- {shown}: {', '.join(counts)}")
    return lines


def article_brief(
    item: ArticleExport,
    evidence: Evidence | None = None,
    grades: Grades = NO_GRADES,
    wording: Wording | None = None,
) -> str:
    article = item.article
    lines = [f"# {escape(article.title)}", ""]
    if article.source:
        lines.append(f"- Source: {escape(article.source)}")
    if article.author:
        lines.append(f"- Author: {escape(article.author)}")
    lines.append(f"- Date: {date_text(article.published)}")
    if article.url:
        lines.append(f"- Link: {link(article.url)}")
    by_kind: dict[Kind, list[Annotation]] = {k: [] for k in Kind}
    for annotation in item.annotations:
        by_kind[annotation.kind].append(annotation)
    if not item.annotations:
        lines += ["", "No passages marked."]
    if by_kind[Kind.CLAIM]:
        lines += ["", f"## {Kind.CLAIM.plural}"]
        for status in STATUS_ORDER:
            claims = [a for a in by_kind[Kind.CLAIM] if a.status is status]
            if claims:
                lines += ["", f"### {status.value.capitalize()} ({len(claims)})"]
                for annotation in claims:
                    lines += [
                        "",
                        passage(
                            annotation, article, evidence, status_shown=True, grades=grades, wording=wording
                        ),
                    ]
    for kind in (Kind.QUOTE, Kind.POLICY):
        if by_kind[kind]:
            lines += ["", f"## {kind.plural}"]
            for annotation in by_kind[kind]:
                lines += ["", passage(annotation, article, evidence, grades=grades, wording=wording)]
    lines += sources_section(item.annotations, grades)
    return "\n".join(lines) + "\n"


def render(
    items: Sequence[ArticleExport],
    *,
    exported_at: datetime,
    include_empty: bool = False,
    evidence: Evidence | None = None,
    grades: Grades = NO_GRADES,
    wording: Wording | None = None,
) -> str:
    """The briefs of every article with passages (or of every article, with `include_empty`)."""
    briefs = [
        article_brief(item, evidence, grades, wording) for item in items if include_empty or item.annotations
    ]
    header = f"<!-- nkreader brief, exported {format_datetime(exported_at)} -->\n"
    if not briefs:
        return header + "\nNo passages marked.\n"
    return header + "\n" + "\n---\n\n".join(briefs)
