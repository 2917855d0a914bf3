"""The open article's state and rules, outside any widget: `ArticleSession`.

One object holds what the main screen shows of the open article (its text, its annotations,
their links, the annotation the edit keys act on, the annotation marked as a link source) and
applies every change through the services, so the rules (which annotation a key acts on, what
is a duplicate mark, the counts, how a stored change updates the link cache) are plain Python,
tested without a terminal. The screen composes widgets, routes messages, and shows the session.

Nothing here imports Textual.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import replace

from nkreader.domain import (
    AnchorState,
    Annotation,
    Article,
    ArticleSummary,
    Kind,
    Link,
    LinkType,
    LinkView,
    Status,
)
from nkreader.services import StoreError
from nkreader.services.edits import EditOutcome
from nkreader.services.history import Change, History
from nkreader.services.library import Library
from nkreader.services.links import links_of_many
from nkreader.services.register import set_status
from nkreader.text.highlights import Highlight
from nkreader.tui.annotator_filter import AnnotatorFilter

__all__ = ["ArticleSession", "TextMoved", "follow_offset", "read_links"]


def follow_offset(old: str, new: str, offset: int) -> int:
    """Where `offset` of text `old` is in text `new`: the nearest place the text after it (up to
    40 characters) is found again, else the same offset (clamped)."""
    for size in (40, 12):
        probe = old[offset : offset + size]
        if not probe.strip():
            break
        found = [i for i in (new.find(probe), new.rfind(probe)) if i >= 0]
        if found:
            return min(found, key=lambda i: abs(i - offset))
    return min(offset, len(new))


def _text_order(annotation: Annotation) -> tuple[int, int, int]:
    return (annotation.start, annotation.end, annotation.id or 0)


def _orphaned(annotation: Annotation) -> bool:
    # An orphan's offsets are placeholders: it is listed, with its text, but not drawn or under a cursor.
    return annotation.anchor_state is AnchorState.ORPHANED


def read_links(library: Library, annotations: list[Annotation]) -> dict[str, list[LinkView]]:
    """The links (both directions) of `annotations`, by annotation uuid (safe in a thread), read
    in one go (three queries, not three per annotation)."""
    try:
        return links_of_many(library, [a.uuid for a in annotations])
    except StoreError:
        return {}


class TextMoved(StoreError):
    """The stored text of the open article is no longer the one on screen: nothing was written."""


class ArticleSession:
    """The open article (if any), its annotations and links, and the edits made on them."""

    def __init__(self, library: Library, history: History | None = None) -> None:
        self.library = library
        self.history = history if history is not None else History(library)
        self.article: Article | None = None
        self.annotations: list[Annotation] = []
        self.links: dict[str, list[LinkView]] = {}
        """The open article's annotations' links (both directions), by annotation uuid."""
        self.current_uuid: str | None = None
        """The annotation the edit keys act on: under the cursor (or highlighted in the list)."""
        self.chosen_uuid: str | None = None
        """The annotation last chosen in the list or with n/N: the one `R` re-attaches (an
        orphan is not drawn, so the cursor is never on it)."""
        self.link_source: Annotation | None = None
        """The annotation marked with `m`: the source of the next link made with `L`."""
        self.adjusting_uuid: str | None = None
        """The annotation whose bounds are being moved (`E` … `Enter`), or None."""
        self.saved_position: int | None = None
        self._plain: tuple[list[Annotation], list[Highlight], dict[str, int]] | None = None
        """The plain highlights of `annotations` (that very list), and each uuid's place in them."""
        self._current_twin: Highlight | None = None
        self.annotator_filter = AnnotatorFilter(me=getattr(library, "annotator", None))
        """Whose marks are listed and drawn (`tui/annotator_filter.py`); kept across articles."""
        self._plain_filter: AnnotatorFilter | None = None
        """The filter `_plain` was built with (other filter: other highlights)."""
        self._plain_count = 0
        """How many annotations `_plain` was built from."""
        self._tallied: tuple[list[Annotation], int, dict[Kind, int], dict[str | None, int]] | None = None

    # ------------------------------------------------------------------ opening

    @property
    def article_id(self) -> int | None:
        return self.article.id if self.article is not None else None

    @property
    def body(self) -> str:
        return self.article.body if self.article is not None else ""

    def open(self, article_id: int) -> int:
        """Open an article; returns the reading position saved for it. Raises StoreError."""
        article, annotations, position = self.library.open_article(article_id)
        self.article = article
        self.annotations = annotations
        self.current_uuid = self.chosen_uuid = None
        self.adjusting_uuid = None
        self.saved_position = position
        self.links = {}
        return position

    def stored_text_if_changed(self) -> Article | None:
        """The open article as the store holds it now, if its text is no longer the one shown
        (another process ran `import --update`); None while it is the same. Raises StoreError."""
        if self.article is None or self.article.id is None:
            return None
        stored = self.library.article(self.article.id)
        return stored if stored.content_hash != self.article.content_hash else None

    def reload_article(self, article: Article, annotations: list[Annotation]) -> None:
        """Show `article`'s new text with its (re-anchored) annotations; the link cache is re-read."""
        self.article = article
        self.annotations = annotations
        self.links = {}
        if self.link_source is not None and all(a.uuid != self.link_source.uuid for a in annotations):
            self.link_source = None

    def save_position(self, position: int) -> None:
        """Remember where the reader is (only when it moved). Raises StoreError."""
        if self.article is None or self.article.id is None or position == self.saved_position:
            return
        self.library.save_position(self.article.id, position)
        self.saved_position = position

    def reload_annotations(self) -> None:
        """Re-read the open article's annotations from the store (after undo or redo)."""
        if self.article is not None and self.article.id is not None:
            self.set_annotations(self.library.annotations(self.article.id))

    def set_annotations(self, annotations: list[Annotation]) -> None:
        self.annotations = annotations

    # ------------------------------------------------------------------ what is shown

    def find(self, uuid: str | None) -> Annotation | None:
        return next((a for a in self.annotations if a.uuid == uuid), None) if uuid else None

    @property
    def visible(self) -> list[Annotation]:
        """The annotations the annotator filter admits: the ones listed, drawn and stepped through
        (`annotations` holds them all; the counts are of all)."""
        return self.annotator_filter.shown(self.annotations)

    def set_filter(self, annotator_filter: AnnotatorFilter) -> None:
        """Show other marks; the current annotation goes if it is no longer shown."""
        self.annotator_filter = annotator_filter
        current = self.find(self.current_uuid)
        if current is not None and not annotator_filter.admits(current):
            self.current_uuid = None

    def by_author(self) -> dict[str | None, int]:
        """How many of the open article's marks each annotator made."""
        return dict(self._tally()[1])

    def _tally(self) -> tuple[dict[Kind, int], dict[str | None, int]]:
        """Marks per kind and per annotator, counted once per list of annotations: the status
        line asks after every key, and 1,000 marks are not counted again for a cursor move."""
        annotations = self.annotations
        kept = self._tallied
        if kept is not None and kept[0] is annotations and kept[1] == len(annotations):
            return kept[2], kept[3]
        kinds = {k: 0 for k in Kind}
        authors: dict[str | None, int] = {}
        for annotation in annotations:
            kinds[annotation.kind] += 1
            authors[annotation.author] = authors.get(annotation.author, 0) + 1
        self._tallied = (annotations, len(annotations), kinds, authors)
        return kinds, authors

    def highlights(self) -> list[Highlight]:
        """What the reader draws: every placed annotation, the current one outlined.

        An orphan's offsets are placeholders: it is listed, with its text, but not drawn. The
        current annotation is drawn outlined: the analyst sees what a key will act on. The plain
        highlights are built once per list of annotations and the same objects come back, the
        current one swapped for its outlined twin, so the reader redraws only what changed (a
        new mark; the current one moving) and a key costs a list copy, not 1,000 new objects.
        """
        annotations = self.annotations
        whose = self.annotator_filter
        if (
            self._plain is None
            or self._plain[0] is not annotations
            or self._plain_filter != whose
            or self._plain_count != len(annotations)  # the same list, grown or shrunk in place
        ):
            # last time's highlight of each mark, found by uuid in last time's list, is kept when
            # it still fits (no dict of 1,000 made for it: the old index is the lookup)
            old_plain, old_where = (self._plain[1], self._plain[2]) if self._plain is not None else ([], {})
            plain: list[Highlight] = []
            where: dict[str, int] = {}
            orphaned = AnchorState.ORPHANED
            compare = not whose.shows_all
            for a in whose.shown(annotations):  # the annotator filter: only the marks it admits
                if a.anchor_state is orphaned:
                    continue
                at = old_where.get(a.uuid)
                found = old_plain[at] if at is not None else None
                other = compare and whose.is_other(a)  # compare mode: the other's, in their style
                if (
                    found is None
                    or found.start != a.start
                    or found.end != a.end
                    or found.kind is not a.kind
                    or found.other != other
                ):
                    found = Highlight(a.start, a.end, a.kind, a.uuid, other=other)
                where[a.uuid] = len(plain)
                plain.append(found)
            self._plain = (annotations, plain, where)
            self._plain_filter, self._plain_count = whose, len(annotations)
        _, plain, where = self._plain
        out = list(plain)
        current = self.current_uuid
        at = where.get(current) if current is not None else None
        if at is not None:
            h = out[at]
            twin = self._current_twin
            if (
                twin is None
                or twin.key != h.key
                or twin.start != h.start
                or twin.end != h.end
                or twin.kind is not h.kind
                or twin.other != h.other
            ):
                twin = self._current_twin = Highlight(
                    h.start, h.end, h.kind, h.key, current=True, other=h.other
                )
            out[at] = twin
        return out

    def counts(self) -> dict[Kind, int]:
        return dict(self._tally()[0])

    def summary(self) -> ArticleSummary | None:
        """The library row of the open article, with counts as the session holds them."""
        article = self.article
        if article is None or article.id is None:
            return None
        return ArticleSummary(
            id=article.id,
            uuid=article.uuid,
            title=article.title,
            source=article.source,
            published=article.published,
            imported_at=article.imported_at,
            counts=self.counts(),
            language=article.language,
        )

    # ------------------------------------------------------------------ which annotation a key acts on

    def annotation_at(self, cursor: int) -> Annotation | None:
        """The annotation an edit key acts on from the reader, the cursor at `cursor`.

        Only an annotation the cursor is on: `start <= cursor < end`. Where several overlap,
        the current one (just made, jumped to, chosen) while the cursor stays on it, else the
        innermost, and among marks of the same length this app's annotator's own (a colleague
        who marked the same words must not get my note). Just past a mark, or on the blank line
        between paragraphs, there is none: the key says so rather than act on a mark the analyst
        is not looking at.
        """
        here = [a for a in self.visible if a.start <= cursor < a.end and not _orphaned(a)]
        if not here:
            return None
        current = self.find(self.current_uuid)
        if current is not None and current in here:
            return current
        me = self.annotator_filter.me
        return min(
            here, key=lambda a: (a.end - a.start, a.author != me, -a.created_at.timestamp())
        )

    def follow_cursor(self, cursor: int) -> bool:
        """Make the annotation under `cursor` the current one; True if that changed it."""
        found = self.annotation_at(cursor)
        uuid = found.uuid if found is not None else None
        if uuid == self.current_uuid:
            return False
        self.current_uuid = uuid
        return True

    def choose(self, annotation: Annotation | None) -> None:
        """Make `annotation` current (chosen in the list, jumped to with n/N, just stored)."""
        self.current_uuid = annotation.uuid if annotation is not None else None
        if annotation is not None:
            self.chosen_uuid = annotation.uuid

    def duplicate_of(self, kind: Kind, start: int, end: int) -> Annotation | None:
        """An annotation of `kind` on exactly `[start, end)` made by this app's annotator, if there
        is one (a colleague's mark on the same words is not a duplicate: agreement compares them)."""
        me = self.annotator_filter.me
        return next(
            (
                a
                for a in self.annotations
                if a.kind is kind and a.start == start and a.end == end and a.author == me
            ),
            None,
        )

    def step_from(self, current: Annotation | None, cursor: int, step: int) -> Annotation | None:
        """The annotation `n` (step 1) or `N` (step -1) goes to, in list (text) order, wrapping.

        From the current annotation, the next in the list, so several marks starting at the same
        place are each visited; with none current, the first one past (before) the cursor.
        """
        annotations = self.visible
        if not annotations:
            return None
        uuids = [a.uuid for a in annotations]
        if current is not None and current.uuid in uuids:
            index = (uuids.index(current.uuid) + step) % len(annotations)
        elif step > 0:
            index = next((i for i, a in enumerate(annotations) if a.start > cursor), 0)
        else:
            index = next(
                (i for i in range(len(annotations) - 1, -1, -1) if annotations[i].start < cursor), -1
            )
        return annotations[index]

    # ------------------------------------------------------------------ the link cache

    def read_links(self) -> dict[str, list[LinkView]]:
        return read_links(self.library, list(self.annotations))

    def apply_stored(self, annotation: Annotation, *, gone: bool = False) -> None:
        """Hold one annotation as the store now does (created, edited or deleted), without
        re-reading the article's other annotations; the link cache follows."""
        # The list is in text order (start, end, id): the stored one is put in its place by
        # bisection, not by sorting 1,000 marks again (a key tuple each: young objects to collect).
        others = [a for a in self.annotations if a.uuid != annotation.uuid]
        if not gone:
            insort(others, annotation, key=_text_order)
        if gone:
            # Its links went with it: drop them here and under the annotations they pointed at.
            self.links.pop(annotation.uuid, None)
            for uuid, views in list(self.links.items()):
                kept = [v for v in views if v.other.uuid != annotation.uuid]
                if kept:
                    self.links[uuid] = kept
                else:
                    del self.links[uuid]
            if self.current_uuid == annotation.uuid:
                self.current_uuid = None
            if self.chosen_uuid == annotation.uuid:
                self.chosen_uuid = None
        else:
            self.links = {
                uuid: [replace(v, other=annotation) if v.other.uuid == annotation.uuid else v for v in views]
                for uuid, views in self.links.items()
            }
            self.current_uuid = annotation.uuid
        self.annotations = others

    # ------------------------------------------------------------------ changes (each stored first)

    def mark(self, kind: Kind, start: int, end: int) -> Annotation:
        """Store a new annotation on the open article. Raises StoreError, InvalidSpan, TextMoved.

        The offsets are those of the text on screen: if the stored text is another one by the
        time the mark is written (an update committed between the check and the write), the
        mark is taken back at once and TextMoved says so.
        """
        assert self.article is not None and self.article.id is not None
        article = self.article
        created = self.library.annotate(
            self.article.id, kind, start, end, shown=(article.content_hash, article.body)
        )
        if created.exact != self.body[start:end]:
            self.library.delete(created.uuid)
            raise TextMoved("the article's text changed before the mark was stored")
        self.history.created(created, f"mark {kind.label.lower()}")
        self.apply_stored(created)
        return created

    def edit(self, before: Annotation, label: str, **changes: object) -> EditOutcome:
        """Store `changes` to the annotation as the editor saw it (`before`, with its version).

        Only the changed fields are written. If another window changed the annotation since,
        the edit is merged field by field and the outcome's message says what happened; undo
        takes back only the fields this edit stored.
        """
        outcome = self.library.update_fields(before.uuid, before.version, changes, seen=before)
        after = outcome.annotation
        mine = tuple(
            name
            for name, value in changes.items()
            if getattr(before, name) != value and getattr(after, name) == value
        )
        if mine:
            undone = replace(after, **{name: getattr(before, name) for name in mine})
            self.history.record(Change(undone, after, label, fields=mine))
        self.apply_stored(after)
        return outcome

    def delete(self, annotation: Annotation) -> Annotation:
        """Delete an annotation and its links; undo brings back both."""
        change = self.history.delete(annotation.uuid)
        assert change.before is not None
        self.apply_stored(change.before, gone=True)
        return change.before

    def reattach(
        self, annotation: Annotation, start: int, end: int, *, label: str = "re-attach"
    ) -> Annotation:
        """Put `annotation` on body[start:end] (an orphan re-attached, or its bounds moved), over
        the version the analyst saw (EditConflict if another window moved it meanwhile)."""
        after = self.library.reattach(annotation.uuid, start, end, expected_version=annotation.version)
        self.history.edited(annotation, after, label)
        self.apply_stored(after)
        return after

    def set_status(self, before: Annotation, status: Status) -> Annotation:
        after = set_status(self.library, before.uuid, status, seen=before)
        self.history.edited(before, after, "set status")
        self.apply_stored(after)
        return after

    def link(self, source: Annotation, target: Annotation, kind: LinkType) -> Link:
        """Link two annotations (undoable)."""
        made = self.history.link(source.uuid, target.uuid, kind)
        self.link_source = None
        return made

    def unlink(self, view: LinkView) -> Link:
        """Remove a link (undoable)."""
        return self.history.unlink(view.link.uuid)

    def undo(self) -> Change | None:
        return self.history.undo()

    def redo(self) -> Change | None:
        return self.history.redo()

    @property
    def step_message(self) -> str:
        """What the last undo or redo could not do exactly as recorded (empty when all of it)."""
        return self.history.message
