"""The use cases the app and the command line share: read the library, mark passages.

Every method is one transaction; a method that returns has committed. The app
shows a change as done only after the call returns, so nothing on screen is
ahead of what is stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from nkreader.domain import (
    CONTEXT_CHARS,
    AnchorState,
    Annotation,
    Article,
    ArticleSummary,
    Kind,
    Status,
    new_uuid,
    utcnow,
)
from nkreader.store.annotations import (
    add_annotation,
    annotations_for,
    delete_annotation,
    get_annotation,
    known_tags,
    update_annotation,
)
from nkreader.store.articles import get_article, quote_at, reading_position, set_reading_position
from nkreader.store.browse import list_summaries, summary_of
from nkreader.store.database import Database
from nkreader.store.speakers import speaker_completions
from nkreader.store.stats import count_articles


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class InvalidSpan(ValueError):
    """An annotation span that does not fit the article text."""


class Library:
    """One open library. Thread-safe as long as each call runs to completion on one thread."""

    def __init__(self, database: Database, *, annotator: str | None = None) -> None:
        self.database = database
        self.annotator = annotator

    @classmethod
    def open(cls, db: str | None = None, *, annotator: str | None = None) -> Library:
        return cls(Database.open(db), annotator=annotator)

    def close(self) -> None:
        self.database.close()

    @property
    def location(self) -> str:
        return self.database.label

    # ------------------------------------------------------------------ reading

    def summaries(self) -> list[ArticleSummary]:
        with self.database.reading() as session:
            return list_summaries(session)

    def summary(self, article_id: int) -> ArticleSummary:
        with self.database.reading() as session:
            return summary_of(session, article_id)

    def article(self, article_id: int) -> Article:
        with self.database.reading() as session:
            return get_article(session, article_id)

    def is_empty(self) -> bool:
        with self.database.reading() as session:
            return count_articles(session) == 0

    def annotations(self, article_id: int) -> list[Annotation]:
        with self.database.reading() as session:
            return annotations_for(session, article_id)

    def open_article(self, article_id: int) -> tuple[Article, list[Annotation], int]:
        """Article, its annotations and the saved cursor, read in one consistent snapshot."""
        with self.database.reading() as session:
            article = get_article(session, article_id)
            annotations = annotations_for(session, article_id)
            position = min(reading_position(session, article_id), len(article.body))
            return article, annotations, position

    def known_speakers(self) -> list[str]:
        """Speakers for completion: canonical names, each followed by its aliases, most used first."""
        with self.database.reading() as session:
            return speaker_completions(session)

    def known_tags(self) -> list[str]:
        with self.database.reading() as session:
            return known_tags(session)

    def change_token(self) -> int | None:
        """A value that changes whenever another process (a second app, a CLI import) commits.

        Cheap, no transaction and no table read: poll it on a timer or on focus and re-read what
        is shown when it differs from the last value seen. It also moves after this process's
        own changes (at worst one refresh too many, never one too few). None means it cannot
        tell (a server database): refresh on a timer instead. Every other method already sees
        everything committed before it was called; this only says when to call them again.
        """
        return self.database.data_version()

    # ------------------------------------------------------------------ writing

    def save_position(self, article_id: int, offset: int) -> None:
        with self.database.writing() as session:
            set_reading_position(session, article_id, offset)

    def annotate(
        self,
        article_id: int,
        kind: Kind,
        start: int,
        end: int,
        *,
        speaker: str | None = None,
        note: str = "",
        tags: Sequence[str] = (),
    ) -> Annotation:
        """Mark body[start:end] (code point offsets) as `kind`; returns the stored annotation."""
        with self.database.writing() as session:
            exact, prefix, suffix = _quote(session, article_id, start, end)
            if not exact.strip():
                raise InvalidSpan("cannot mark blank text")
            now = utcnow()
            annotation = Annotation(
                id=None,
                uuid=new_uuid(),
                article_id=article_id,
                kind=kind,
                start=start,
                end=end,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                note=note,
                tags=list(tags),
                speaker=speaker or None,
                status=Status.UNVERIFIED,
                author=self.annotator,
                created_at=now,
                updated_at=now,
            )
            return add_annotation(session, annotation)

    def edit(self, annotation: Annotation, **changes: object) -> Annotation:
        """Store `annotation` with `changes` applied; `updated_at` moves on."""
        updated = replace(annotation, **changes, updated_at=utcnow())  # type: ignore[arg-type]
        with self.database.writing() as session:
            return update_annotation(session, updated)

    def reattach(self, uuid: str, start: int, end: int) -> Annotation:
        """Put an annotation (an orphan, a doubtful fuzzy match) on body[start:end] of its article.

        Its exact text, prefix and suffix are taken from there and it is `anchored` again; note,
        tags, speaker and the rest stay. Returns the stored annotation (record it for undo).
        """
        with self.database.writing() as session:
            annotation = get_annotation(session, uuid)
            exact, prefix, suffix = _quote(session, annotation.article_id, start, end)
            if not exact.strip():
                raise InvalidSpan("cannot attach an annotation to blank text")
            moved = replace(
                annotation,
                start=start,
                end=end,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                anchor_state=AnchorState.ANCHORED,
                updated_at=utcnow(),
            )
            return update_annotation(session, moved)

    def put(self, annotation: Annotation) -> Annotation:
        """Store exactly this state of an annotation (undo and redo restore old states)."""
        with self.database.writing() as session:
            return update_annotation(session, annotation)

    def delete(self, uuid: str) -> Annotation:
        with self.database.writing() as session:
            return delete_annotation(session, uuid)

    def restore(self, annotation: Annotation) -> Annotation:
        """Bring back a deleted annotation with its uuid, times and fields unchanged."""
        with self.database.writing() as session:
            return add_annotation(session, replace(annotation, id=None))


def _quote(session: Any, article_id: int, start: int, end: int) -> tuple[str, str, str]:
    """The quote selector of body[start:end], refusing spans outside the body."""
    length, prefix, exact, suffix = quote_at(session, article_id, start, end, CONTEXT_CHARS)
    if not (0 <= start < end <= length):
        raise InvalidSpan(f"span {start}..{end} is outside the article (length {length})")
    return exact, prefix, suffix
