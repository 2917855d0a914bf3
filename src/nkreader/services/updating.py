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
    quote_context,
    utcnow,
)
from nkreader.services.edits import changed_fields
from nkreader.store.annotations import annotations_for, write_fields
from nkreader.store.articles import add_revision, replace_article_text
from nkreader.text.anchoring import Quote, TextIndex


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
    """Each annotation placed on `body`: new offsets, quote and anchor state.

    An orphan keeps its exact text, prefix and suffix (what it was made on) and its offsets,
    clamped to the body. A `fuzzy` annotation stays `fuzzy` until someone re-attaches it, even
    if a later text holds its passage exactly: nobody has checked the approximate match yet.
    `updated_at` moves on for the annotations that changed.
    """
    index = TextIndex(body)
    placed: dict[str, Annotation] = {}
    for annotation in sorted(annotations, key=lambda a: (a.start, a.end)):
        anchor = index.locate(
            Quote(annotation.start, annotation.end, annotation.exact, annotation.prefix, annotation.suffix)
        )
        if anchor.orphaned:
            moved = replace(annotation, start=anchor.start, end=anchor.end, anchor_state=AnchorState.ORPHANED)
        else:
            exact, prefix, suffix = quote_context(body, anchor.start, anchor.end)
            state = anchor.state
            if annotation.anchor_state is AnchorState.FUZZY and state is not AnchorState.FUZZY:
                state = AnchorState.FUZZY
            moved = replace(
                annotation,
                start=anchor.start,
                end=anchor.end,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                anchor_state=state,
            )
        if moved != annotation:
            moved = replace(moved, updated_at=now)
        placed[annotation.uuid] = moved
    return [placed[a.uuid] for a in annotations]


def update_article(session: Any, existing: Article, draft: ArticleDraft, digest: str) -> UpdateResult:
    """Replace `existing`'s text by `draft`'s, keep the old one as a revision, re-anchor its annotations.

    `session` is the store session of the caller's write transaction (`Database.writing()`).
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
            write_fields(
                session, old.uuid, old.version, {**changed_fields(old, new), "updated_at": new.updated_at}
            )
    return result
