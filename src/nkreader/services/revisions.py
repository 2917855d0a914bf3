"""Revisions as evidence (issue 17): what an update changed under the analyst's annotations.

`import --update` keeps the replaced text as a revision and re-anchors every annotation; when an
annotation's words change (a fuzzy re-anchoring: "seven" became "eight"), the words it was made
on are kept (`store.instruments.record_wording_change`) and shown as "was: …". An annotation
whose status had been set on the old words is flagged for review until the analyst clears it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nkreader.analysis import WordingChange
from nkreader.domain import Annotation, Article, ArticleRevision
from nkreader.services.library import Library

__all__ = ["Flagged", "article_revisions", "clear_review", "flagged", "wording_changes"]


def wording_changes(library: Library, uuids: Sequence[str] | None = None) -> dict[str, WordingChange]:
    from nkreader.store import instruments

    with library.database.reading() as session:
        return instruments.wording_changes(session, uuids)


@dataclass(slots=True)
class Flagged:
    annotation: Annotation
    article_title: str
    change: WordingChange


def flagged(library: Library) -> list[Flagged]:
    """Annotations whose words changed after their status was set, not yet reviewed, newest first."""
    from nkreader.store import annotations as _annotations
    from nkreader.store import articles as _articles
    from nkreader.store import instruments

    with library.database.reading() as session:
        changes = {u: c for u, c in instruments.wording_changes(session).items() if c.needs_review}
        found = []
        titles: dict[int, str] = {}
        for uuid, change in changes.items():
            annotation = _annotations.find_annotation(session, uuid)
            if annotation is None:
                continue
            if annotation.article_id not in titles:
                titles[annotation.article_id] = _articles.get_article(session, annotation.article_id).title
            found.append(Flagged(annotation, titles[annotation.article_id], change))
    return sorted(found, key=lambda f: f.change.changed_at, reverse=True)


def clear_review(library: Library, uuid: str, *, needs_review: bool = False) -> bool:
    """Clear the review flag (`needs_review=True` sets it again: undo of the clearing)."""
    from nkreader.store import instruments

    with library.database.writing() as session:
        return instruments.clear_review(session, uuid, needs_review=needs_review)


def article_revisions(library: Library, article_id: int) -> tuple[Article, list[ArticleRevision]]:
    """The article as it is now and the texts updates replaced, oldest first (one reading)."""
    from nkreader.store import articles as _articles

    with library.database.reading() as session:
        return _articles.get_article(session, article_id), _articles.revisions_for(session, article_id)
