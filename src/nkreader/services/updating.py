"""Newer texts of articles already in the library (`nkreader import --update`).

An article whose URL or origin matches an incoming one with a different text gets the new
text; its uuid, id and import time stay, the replaced text is kept as a revision, and every
annotation is re-anchored (`nkreader.text.anchoring`). An annotation whose passage cannot be
found is *orphaned*: it keeps its original exact text and quote context (its offsets are only
clamped to the new text) and is never deleted, so the analyst can re-attach it. All of an
article's update happens in the caller's one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from nkreader.domain import (
    AnchorState,
    Annotation,
    Article,
    ArticleDraft,
    ArticleRevision,
    utcnow,
)
from nkreader.services.edits import changed_fields
from nkreader.store import instruments
from nkreader.store.annotations import annotations_for, write_fields
from nkreader.store.articles import add_revision, replace_article_text
from nkreader.text.anchoring import reanchor_many


@dataclass(slots=True)
class UpdateResult:
    article: Article
    states: dict[AnchorState, int] = field(default_factory=lambda: dict.fromkeys(AnchorState, 0))

    def describe(self) -> str:
        """`4 anchored, 1 moved, 1 fuzzy, 0 orphaned` — or `no annotations`."""
        if not any(self.states.values()):
            return "no annotations"
        return ", ".join(f"{self.states[s]} {s.value}" for s in AnchorState)


def reanchor_annotations(body: str, annotations: Sequence[Annotation], now: datetime) -> list[Annotation]:
    """Each annotation placed on `body` (`text.anchoring.reanchor_many`, the one re-anchoring
    rule); `updated_at` moves on for the annotations that changed."""
    placed = reanchor_many(body, annotations)
    return [
        new if new == old else replace(new, updated_at=now)
        for old, new in zip(annotations, placed, strict=True)
    ]


def update_article(
    session: Any, existing: Article, draft: ArticleDraft, digest: str, *, by: str | None = None
) -> UpdateResult:
    """Replace `existing`'s text by `draft`'s, keep the old one as a revision, re-anchor its annotations.

    `session` is the store session of the caller's write transaction (`Database.writing()`);
    `by`, the annotator running the update, is stored as `updated_by` of every mark it moved.
    """
    assert existing.id is not None
    now = utcnow()
    add_revision(
        session,
        ArticleRevision(
            id=None,
            article_id=existing.id,
            title=existing.title,
            body=existing.body,
            content_hash=existing.content_hash,
            url=existing.url,
            origin=existing.origin,
            stored_at=existing.updated_at,
            replaced_at=now,
        ),
    )
    article = replace_article_text(session, existing.id, draft, digest, updated_at=now)
    result = UpdateResult(article)
    before = annotations_for(session, existing.id)
    for old, new in zip(before, reanchor_annotations(article.body, before, now), strict=True):
        result.states[new.anchor_state] += 1
        if new != old:
            # a field-level write over the version read in this transaction: the version moves
            # on, so a window showing the annotation sees that it changed
            values = {**changed_fields(old, new), "updated_at": new.updated_at, "updated_by": by}
            write_fields(session, old.uuid, old.version, values)
            instruments.record_wording_change(session, old, new)  # "was: …" and the review flag (issue 17)
    return result
