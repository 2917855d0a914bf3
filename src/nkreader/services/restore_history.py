"""Restoring what a native export holds besides articles and annotations (issue 16 item 4): each
article's earlier texts (kept by `import --update`) and the speakers' aliases. Merged like the
rest: what the library already holds is left as it is, so importing a file twice changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from nkreader.domain import Article
from nkreader.export.native_reader import NativeArticle
from nkreader.services.library import Library, content_hash
from nkreader.store.articles import add_revision, revisions_for
from nkreader.store.speakers import add_speaker_alias, canonical_speaker
from nkreader.text.normalize import normalize_line, normalize_text

if TYPE_CHECKING:
    from nkreader.services.annotation_import import AnnotationImportReport

__all__ = ["merge_revisions", "merge_speakers"]


def merge_speakers(
    library: Library, speakers: list[tuple[str, list[str]]], report: AnnotationImportReport
) -> None:
    """Each alias of the file, made an alias of its speaker here unless it already is."""
    with library.database.writing() as session:
        for raw_name, raw_aliases in speakers:
            name = normalize_line(raw_name)
            for raw_alias in raw_aliases:
                alias = normalize_line(raw_alias)
                if not name or not alias or alias == name:
                    continue
                if canonical_speaker(session, alias) == canonical_speaker(session, name):
                    continue
                try:
                    add_speaker_alias(session, name, alias)
                except ValueError as exc:
                    report.skipped.append(f"speaker alias {alias!r} of {name!r}: {exc}")
                else:
                    report.aliases_added += 1


def merge_revisions(
    session: Any, article: Article, item: NativeArticle, report: AnnotationImportReport
) -> None:
    """The article's earlier texts from the file that the library does not hold yet."""
    if not item.revisions:
        return
    assert article.id is not None
    known = {(r.content_hash, r.replaced_at) for r in revisions_for(session, article.id)}
    for revision in item.revisions:
        body = normalize_text(revision.body)
        cleaned = replace(
            revision,
            article_id=article.id,
            title=normalize_line(revision.title) or "Untitled",
            body=body,
            content_hash=content_hash(body),
            url=normalize_line(revision.url) or None if revision.url is not None else None,
            origin=normalize_line(revision.origin) or None if revision.origin is not None else None,
        )
        if (cleaned.content_hash, cleaned.replaced_at) in known:
            continue
        add_revision(session, cleaned)
        known.add((cleaned.content_hash, cleaned.replaced_at))
        report.revisions_added += 1
