"""Markdown export: a brief per article, for a report.

Each article: its title as a heading, then source, date and link; then the sections **Claims**,
**Quotes** and **Policy statements** (those that have passages), each passage as a block quote
in text order followed by its speaker, status (always for claims; for other kinds only when
set), note and tags. A passage re-attached approximately after an update, or orphaned (no longer
in the article's text), says so. Text from articles is escaped so it renders as written, never as
Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from nkreader.domain import AnchorState, Annotation, Kind, Status
from nkreader.export.native import ArticleExport, format_datetime

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])(?=\s|$)", re.MULTILINE)


def escape(text: str) -> str:
    """Markdown-inert text: special characters and list/heading markers at line starts escaped."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _block_quote(text: str) -> str:
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append(">")
        lines.extend("> " + escape(line) if line else ">" for line in paragraph.split("\n"))
    return "\n".join(lines)


def _passage(annotation: Annotation) -> str:
    parts = [_block_quote(annotation.exact)]
    details: list[str] = []
    if annotation.speaker:
        details.append(f"- Speaker: {escape(annotation.speaker)}")
    if annotation.kind is Kind.CLAIM or annotation.status is not Status.UNVERIFIED:
        details.append(f"- Status: {annotation.status.value}")
    if annotation.note:
        note = escape(annotation.note).replace("\n", "  \n  ")
        details.append(f"- Note: {note}")
    if annotation.tags:
        details.append("- Tags: " + ", ".join(escape(t) for t in annotation.tags))
    if annotation.anchor_state is AnchorState.FUZZY:
        details.append("- Anchor: re-attached approximately after the article was updated; check it")
    elif annotation.anchor_state is AnchorState.ORPHANED:
        details.append("- Anchor: orphaned — this passage is no longer in the current text of the article")
    if details:
        parts.append("\n".join(details))
    return "\n\n".join(parts)


def article_brief(item: ArticleExport) -> str:
    article = item.article
    lines = [f"# {escape(article.title)}", ""]
    meta = []
    if article.source:
        meta.append(f"- Source: {escape(article.source)}")
    if article.author:
        meta.append(f"- Author: {escape(article.author)}")
    if article.published:
        meta.append(f"- Date: {article.published.isoformat()}")
    if article.url:
        meta.append(f"- Link: <{article.url.replace('>', '%3E').replace(' ', '%20')}>")
    lines.extend(meta or ["- Source: unknown"])
    by_kind: dict[Kind, list[Annotation]] = {k: [] for k in Kind}
    for annotation in item.annotations:
        by_kind[annotation.kind].append(annotation)
    if not item.annotations:
        lines += ["", "No passages marked."]
    for kind in Kind:
        if by_kind[kind]:
            lines += ["", f"## {kind.plural}"]
            for annotation in by_kind[kind]:
                lines += ["", _passage(annotation)]
    return "\n".join(lines) + "\n"


def render(items: Sequence[ArticleExport], *, exported_at: datetime, include_empty: bool = False) -> str:
    """The briefs of every article with passages (or of every article, with `include_empty`)."""
    briefs = [article_brief(item) for item in items if include_empty or item.annotations]
    header = f"<!-- nkreader brief, exported {format_datetime(exported_at)} -->\n"
    if not briefs:
        return header + "\nNo passages marked.\n"
    return header + "\n" + "\n---\n\n".join(briefs)
