"""The use cases the app and the command line share: read the library, mark passages.

Every method is one transaction; a method that returns has committed. The app
shows a change as done only after the call returns, so nothing on screen is
ahead of what is stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

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
from nkreader.store.errors import NotFound, StoreError

if TYPE_CHECKING:
    from nkreader.store.database import Database
    from nkreader.store.first_read import FirstRead

# The store modules (SQLAlchemy, its ORM and the table models: ~0.3 s of import) are imported by
# the methods that use them, so the app can paint its first screen before any of them is loaded:
# see `Library.deferred` and `store/first_read.py` (issue 14).


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class InvalidSpan(ValueError):
    """An annotation span that does not fit the article text."""


class Library:
    """One open library. Thread-safe as long as each call runs to completion on one thread."""

    def __init__(self, database: Database | None, *, annotator: str | None = None) -> None:
        self._database = database
        self._first: FirstRead | None = None
        self._opening = threading.Lock()
        self.annotator = annotator

    @classmethod
    def open(cls, db: str | None = None, *, annotator: str | None = None) -> Library:
        from nkreader.store.database import Database

        return cls(Database.open(db), annotator=annotator)

    @classmethod
    def deferred(cls, db: str | None = None, *, annotator: str | None = None) -> Library:
        """The library, with the store (SQLAlchemy) opened at its first use rather than now.

        For the app's start: an SQLite library that is ready as it is answers the first screen's
        reads (`summaries`, `unread_ids`, `change_token`) with plain sqlite3 (`FirstRead`), and
        the store is opened when anything else is asked, or by `open_store` once the list is
        painted. Any other library is opened now, as `open` does (same checks, same errors).
        """
        from nkreader.store.engine import resolve_db_url
        from nkreader.store.first_read import FirstRead

        first = FirstRead.try_open(resolve_db_url(db))
        if first is None:
            return cls.open(db, annotator=annotator)
        library = cls(None, annotator=annotator)
        library._first = first
        return library

    @property
    def database(self) -> Database:
        database = self._database
        if database is None:
            database = self.open_store()
        return database

    @property
    def opened(self) -> bool:
        """Whether the store (SQLAlchemy) is open; a deferred library's is not until first needed."""
        return self._database is not None

    def open_store(self) -> Database:
        """Open the store now (a deferred library; otherwise it is open already)."""
        with self._opening:
            if self._database is None:
                from nkreader.store.database import Database

                first = self._first
                assert first is not None, "a library is opened by Library.open or Library.deferred"
                database = Database.open(first.url)
                database.adopt_version_connection(first.hand_over())
                self._database, self._first = database, None
            return self._database

    def warm_reading(self) -> None:
        """Import and compile what opening an article reads (the table models, the article,
        annotation, link, speaker and instrument queries), for the thread that opens the store: the
        first open paid ~100-200 ms for it, the models being defined on first use."""
        import nkreader.store.instruments
        import nkreader.store.links
        import nkreader.store.speakers
        import nkreader.store.suggestion_rejections  # noqa: F401
        from nkreader.store.articles import reading_position

        self.annotations(-1)  # no such article: nothing read, the statement compiled and cached
        with self.database.reading() as session:
            reading_position(session, -1)

    def check_writable(self) -> None:
        """StoreReadOnly or StoreLocked now rather than at the first change (`Database.check_writable`);
        a deferred library was found writable when it was opened."""
        if self._first is None:
            self.database.check_writable()

    def close(self) -> None:
        with self._opening:
            first, self._first = self._first, None
        if first is not None:
            first.close()
        if self._database is not None:
            self._database.close()

    @property
    def location(self) -> str:
        first = self._first
        return str(first.path) if first is not None else self.database.label

    @property
    def shared(self) -> bool:
        """A server library (PostgreSQL), where a team works at once: the app looks for others'
        changes more often (a notification count, no query), so a colleague's mark shows within
        2 seconds, not up to 2 seconds after a 2-second poll."""
        return self._first is None and self.database.engine.dialect.name != "sqlite"

    # ------------------------------------------------------------------ reading

    def summaries(self) -> list[ArticleSummary]:
        first = self._first
        if first is not None:
            with contextlib.suppress(sqlite3.Error, ValueError, RuntimeError):  # else: the store says why
                return first.summaries()
        from nkreader.store.browse import list_summaries

        with self.database.reading() as session:
            return list_summaries(session)

    def summary(self, article_id: int) -> ArticleSummary:
        from nkreader.store.browse import summary_of

        with self.database.reading() as session:
            return summary_of(session, article_id)

    def article(self, article_id: int) -> Article:
        from nkreader.store.articles import get_article

        with self.database.reading() as session:
            return get_article(session, article_id)

    def is_empty(self) -> bool:
        from nkreader.store.stats import count_articles

        with self.database.reading() as session:
            return count_articles(session) == 0

    def annotations(self, article_id: int) -> list[Annotation]:
        from nkreader.store.annotations import annotations_for

        with self.database.reading() as session:
            return annotations_for(session, article_id)

    def find(self, uuid: str) -> Annotation | None:
        """The annotation `uuid` as stored now, or None (deleted)."""
        from nkreader.store.annotations import find_annotation

        with self.database.reading() as session:
            return find_annotation(session, uuid)

    def open_article(self, article_id: int) -> tuple[Article, list[Annotation], int]:
        """Article, its annotations and the saved cursor, read in one consistent snapshot."""
        from nkreader.store.annotations import annotations_for
        from nkreader.store.articles import get_article, reading_position

        with self.database.reading() as session:
            article = get_article(session, article_id)
            annotations = annotations_for(session, article_id)
            position = min(reading_position(session, article_id), len(article.body))
            return article, annotations, position

    def known_speakers(self) -> list[str]:
        """Speakers for completion: canonical names, each followed by its aliases, most used first."""
        from nkreader.store.speakers import speaker_completions

        with self.database.reading() as session:
            return speaker_completions(session)

    def known_tags(self) -> list[str]:
        from nkreader.store.annotations import known_tags

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
        first = self._first
        if first is not None:
            with contextlib.suppress(sqlite3.Error, RuntimeError):
                return first.data_version()
        return self.database.data_version()

    def version_before_last_write(self) -> int | None:
        """`change_token` as this process's last write began (None: no write yet, or the store
        cannot say). Differing from the token last seen, another process committed before that
        write: showing the write does not show that change."""
        if self._first is not None:
            return None  # the store is not open yet: nothing was written through it
        return self.database.version_before_last_write

    def unread_ids(self) -> set[int]:
        """Articles not read yet (`services.feeds.ReadState` is the use case; this is its read)."""
        first = self._first
        if first is not None:
            with contextlib.suppress(sqlite3.Error, RuntimeError):
                return first.unread_ids()
        from nkreader.store.feeds import unread_ids

        with self.database.reading() as session:
            return unread_ids(session)

    # ------------------------------------------------------------------ writing

    def save_position(self, article_id: int, offset: int) -> None:
        from nkreader.store.articles import set_reading_position

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
        shown: tuple[str, str] | None = None,
    ) -> Annotation:
        """Mark body[start:end] (code point offsets) as `kind`; returns the stored annotation.

        `shown`: (content hash, body) of the text the caller shows. When the stored article still
        has that hash (checked in this transaction), the quote is cut from it rather than read
        from the store: a `substr` 500,000 characters into a 1 MB body walks the UTF-8 text from
        its start (1–2 ms of each mark); the stored text is read when the hashes differ."""
        from nkreader.store.annotations import add_annotation
        from nkreader.store.articles import article_hash

        with self.database.writing() as session:
            if shown is not None and article_hash(session, article_id) == shown[0]:
                exact, prefix, suffix = _quote_of(shown[1], start, end)
            else:
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
        from nkreader.store.annotations import get_annotation

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
        from nkreader.store.annotations import annotation_id, delete_annotation
        from nkreader.store.links import links_for

        with self.database.writing() as session:
            row_id = annotation_id(session, uuid)
            links = links_for(session, [row_id]) if row_id is not None else []
            return Removal(delete_annotation(session, uuid), tuple(links))

    def restore(self, annotation: Annotation, links: Sequence[Link] = ()) -> Restored:
        """Bring back a deleted annotation with its uuid, times and fields unchanged, and those
        of its `links` whose other annotation still exists (in one transaction)."""
        from nkreader.store.annotations import add_annotation
        from nkreader.store.links import add_link, find_link

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
    from nkreader.store.annotations import find_annotation, get_annotation, write_fields

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


def _quote_of(body: str, start: int, end: int) -> tuple[str, str, str]:
    """`_quote` of a text in hand (the same selector `quote_at` reads from the store)."""
    if not (0 <= start < end <= len(body)):
        raise InvalidSpan(f"span {start}..{end} is outside the article (length {len(body)})")
    return body[start:end], body[max(0, start - CONTEXT_CHARS) : start], body[end : end + CONTEXT_CHARS]


def _quote(session: Any, article_id: int, start: int, end: int) -> tuple[str, str, str]:
    """The quote selector of body[start:end], refusing spans outside the body."""
    from nkreader.store.articles import quote_at

    length, prefix, exact, suffix = quote_at(session, article_id, start, end, CONTEXT_CHARS)
    if not (0 <= start < end <= length):
        raise InvalidSpan(f"span {start}..{end} is outside the article (length {length})")
    return exact, prefix, suffix
