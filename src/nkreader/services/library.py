"""The use cases the app and the command line share: read the library, mark passages.

Every method is one transaction; a method that returns has committed. The app
shows a change as done only after the call returns, so nothing on screen is
ahead of what is stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from nkreader.domain import (
    CONTEXT_CHARS,
    AnchorState,
    Annotation,
    Article,
    ArticleSummary,
    Kind,
    Link,
    Status,
    new_uuid,
    utcnow,
)
from nkreader.services import edits
from nkreader.services.edits import EditOutcome
from nkreader.store.annotations import (
    add_annotation,
    annotation_id,
    annotations_for,
    delete_annotation,
    find_annotation,
    get_annotation,
    known_tags,
    write_fields,
)
from nkreader.store.articles import get_article, quote_at, reading_position, set_reading_position
from nkreader.store.browse import list_summaries, summary_of
from nkreader.store.database import Database
from nkreader.store.errors import NotFound, StoreError
from nkreader.store.links import add_link, find_link, links_for
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

    @property
    def shared(self) -> bool:
        """A server library (PostgreSQL), where a team works at once: the app looks for others'
        changes more often (a notification count, no query), so a colleague's mark shows within
        2 seconds, not up to 2 seconds after a 2-second poll."""
        return self.database.engine.dialect.name != "sqlite"

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

    def find(self, uuid: str) -> Annotation | None:
        """The annotation `uuid` as stored now, or None (deleted)."""
        with self.database.reading() as session:
            return find_annotation(session, uuid)

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
                updated_by=self.annotator,
                created_at=now,
                updated_at=now,
            )
            return add_annotation(session, annotation)

    def update_fields(
        self,
        uuid: str,
        expected_version: int,
        changes: Mapping[str, object],
        *,
        seen: Annotation | None = None,
    ) -> EditOutcome:
        """Store the fields in `changes` (by `Annotation` field name) of the annotation `uuid`.

        `expected_version` is the version the editor showed, `seen` the annotation as it showed
        it. If the annotation still has that version only the fields that differ are written
        (and the version moves on; nothing is written when nothing differs). Otherwise another
        window changed it meanwhile: it is read again and the edit merged field by field
        (`services.edits`), and the outcome says what happened. One transaction; NotFound
        when the annotation is gone (deleted elsewhere), ValueError for a field an edit may
        not change.
        """
        wanted = edits.normalise(changes)
        with self.database.writing() as session:
            return store_fields(session, uuid, expected_version, wanted, seen, by=self.annotator)

    def edit(self, annotation: Annotation, **changes: object) -> Annotation:
        """Change fields of `annotation` as it was shown; returns the stored annotation.

        `update_fields` with `annotation` as the version seen. A change of another window is
        kept (merged in); if a change asked for here could not be stored because another
        window changed the same field first, EditConflict (a StoreError) says so; use
        `update_fields` to get the outcome instead.
        """
        outcome = self.update_fields(annotation.uuid, annotation.version, changes, seen=annotation)
        if outcome.lost:
            raise EditConflict(outcome)
        return outcome.annotation

    def reattach(self, uuid: str, start: int, end: int, *, expected_version: int | None = None) -> Annotation:
        """Put an annotation (an orphan, a doubtful fuzzy match) on body[start:end] of its article.

        Its exact text, prefix and suffix are taken from there and it is `anchored` again; note,
        tags, speaker and the rest stay. Returns the stored annotation (record it for undo).
        With `expected_version`, EditConflict when another window moved it meanwhile.
        """
        with self.database.writing() as session:
            stored = get_annotation(session, uuid)
            exact, prefix, suffix = _quote(session, stored.article_id, start, end)
            if not exact.strip():
                raise InvalidSpan("cannot attach an annotation to blank text")
            place = {
                "start": start,
                "end": end,
                "exact": exact,
                "prefix": prefix,
                "suffix": suffix,
                "anchor_state": AnchorState.ANCHORED,
            }
            version = stored.version if expected_version is None else expected_version
            outcome = store_fields(session, uuid, version, place, None, by=self.annotator)
            if outcome.lost:
                raise EditConflict(outcome)
            return outcome.annotation

    def put(self, annotation: Annotation) -> Annotation:
        """Store the editable fields of `annotation` as they are, over its version.

        A field-level edit like any other: EditConflict when another window changed one of
        those fields since that version.
        """
        wanted = {name: getattr(annotation, name) for name in edits.EDITABLE}
        outcome = self.update_fields(annotation.uuid, annotation.version, wanted)
        if outcome.lost:
            raise EditConflict(outcome)
        return outcome.annotation

    def delete(self, uuid: str) -> Annotation:
        """Delete an annotation (its links go with it); returns it as it was."""
        return self.remove(uuid).annotation

    def remove(self, uuid: str) -> Removal:
        """Delete an annotation and its links in one transaction; returns both as they were,
        so `restore` can bring back the annotation and its links (undo)."""
        with self.database.writing() as session:
            row_id = annotation_id(session, uuid)
            links = links_for(session, [row_id]) if row_id is not None else []
            return Removal(delete_annotation(session, uuid), tuple(links))

    def restore(self, annotation: Annotation, links: Sequence[Link] = ()) -> Restored:
        """Bring back a deleted annotation with its uuid, times and fields unchanged, and those
        of its `links` whose other annotation still exists (in one transaction)."""
        with self.database.writing() as session:
            stored = add_annotation(session, replace(annotation, id=None))
            back, missing = [], []
            for link in links:
                again = add_link(session, link)
                if again is not None:
                    back.append(again)
                elif find_link(session, link.uuid) is None:
                    missing.append(link)
            return Restored(stored, tuple(back), tuple(missing))


class EditConflict(StoreError):
    """An edit of which a part was not stored: another window changed the same field first.

    What was stored (the rest of the edit, the other window's changes) is in `outcome`.
    """

    def __init__(self, outcome: EditOutcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


@dataclass(frozen=True, slots=True)
class Removal:
    """A deleted annotation and the links that went with it."""

    annotation: Annotation
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Restored:
    """An annotation brought back, the links brought back with it, and those that could not be
    (their other annotation is gone too)."""

    annotation: Annotation
    links: tuple[Link, ...] = ()
    missing: tuple[Link, ...] = ()

    @property
    def message(self) -> str:
        """Empty when every link came back; otherwise what could not."""
        if not self.missing:
            return ""
        n = len(self.missing)
        return f"{n} link{'s' if n != 1 else ''} not restored: {'its' if n == 1 else 'their'} other annotation is gone"


def store_fields(
    session: Any,
    uuid: str,
    expected_version: int,
    wanted: Mapping[str, object],
    seen: Annotation | None,
    *,
    by: str | None,
) -> EditOutcome:
    """`Library.update_fields` inside the caller's write transaction (for use cases that read
    and write in one, such as `register.set_status`). `by`: the annotator writing, stored as
    `updated_by` with any change (None: not known)."""
    stored = find_annotation(session, uuid, for_update=True)
    if stored is None:
        raise NotFound(f"annotation {uuid} was deleted (in another window?); the change was not saved")
    moved = stored.version != expected_version
    if not moved:
        values = edits.differing(stored, wanted)
        saved = list(dict.fromkeys(edits.field_name(n) for n in wanted))
        merged = edits.Merge(values=values, saved=saved)
    else:
        merged = edits.merge(seen, stored, wanted)
    if merged.values:
        values = {**merged.values, "updated_at": utcnow(), "updated_by": by}
        if not write_fields(session, uuid, stored.version, values):  # pragma: no cover - row is locked
            raise StoreError("the annotation changed while it was being saved; try again")
        stored = get_annotation(session, uuid)
    message = edits.describe(merged.saved, merged.conflicts, merged.others, moved=moved)
    return EditOutcome(
        annotation=stored,
        saved=tuple(merged.saved),
        conflicts=tuple(merged.conflicts),
        merged_from_others=tuple(merged.others),
        message=message,
    )


def _quote(session: Any, article_id: int, start: int, end: int) -> tuple[str, str, str]:
    """The quote selector of body[start:end], refusing spans outside the body."""
    length, prefix, exact, suffix = quote_at(session, article_id, start, end, CONTEXT_CHARS)
    if not (0 <= start < end <= length):
        raise InvalidSpan(f"span {start}..{end} is outside the article (length {length})")
    return exact, prefix, suffix
