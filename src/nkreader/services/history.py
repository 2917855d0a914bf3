"""Undo and redo of annotation and link changes, each step stored before it is reported done.

A change is kept as the states before and after it. Undoing it stores the state before:
a deleted annotation is re-created with its uuid, times and fields *and the links that went
with it*; a removed link is made again; an edit writes back the fields it changed. Redoing
stores the state after.

Several changes made by one command ("accept all suggested quotes") are one `Batch`: one `u`
takes all of them back. A rejected suggestion is a `RejectionChange`: undo forgets the rejection,
so the suggestion comes back. A credibility grade and a cleared review flag live beside the
annotation (`store/instruments.py`), and are `GradeChange` / `ReviewChange` steps.

Undo and redo of an edit are edits like any other (`Library.update_fields`): they write only
the fields the change touched, over the version this history last stored, so a change another
window made meanwhile to other fields is kept, and a clash is reported in `message`, never
silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from nkreader.domain import Annotation, Link, LinkType
from nkreader.services import links as link_service
from nkreader.services.edits import changed_fields
from nkreader.services.library import Library
from nkreader.store.errors import NotFound

if TYPE_CHECKING:
    from nkreader.suggest import Suggestion

__all__ = [
    "LIMIT",
    "Batch",
    "Change",
    "GradeChange",
    "History",
    "LinkChange",
    "RejectionChange",
    "ReviewChange",
    "Step",
]

LIMIT = 500


@dataclass(frozen=True, slots=True)
class Change:
    """A change of one annotation. `before` None: a creation; `after` None: a deletion; both: an edit."""

    before: Annotation | None
    after: Annotation | None
    label: str
    links: tuple[Link, ...] = ()
    """The links a deletion removed with the annotation (undo brings them back)."""
    fields: tuple[str, ...] = field(default=())
    """The fields an edit changed (undo and redo write only these)."""

    @property
    def annotation(self) -> Annotation:
        found = self.after or self.before
        assert found is not None
        return found

    @property
    def annotation_uuid(self) -> str | None:
        """The annotation to show after the step (None: the step has none, a rejection)."""
        return self.annotation.uuid

    @property
    def article_id(self) -> int:
        """The article the step happened in (where the app goes to show it)."""
        return self.annotation.article_id


@dataclass(frozen=True, slots=True)
class LinkChange(Change):
    """A link made (`removed` False) or removed (`removed` True). `before` and `after` are the
    link's source annotation as it was then (where the app goes to show the step)."""

    link: Link | None = None
    removed: bool = False

    @property
    def annotation_uuid(self) -> str:
        assert self.link is not None
        return self.link.source_uuid


@dataclass(frozen=True, slots=True)
class Batch(Change):
    """Changes made by one command, undone and redone together (the last one first on undo).
    `before`/`after` are the first change's, so the app shows where the batch began."""

    steps: tuple[Change, ...] = ()


@dataclass(frozen=True, slots=True)
class RejectionChange(Change):
    """A suggestion rejected for an article: undo forgets the rejection, redo makes it again."""

    suggestion: Suggestion | None = None
    rejection_article_id: int = 0

    @property
    def annotation_uuid(self) -> str | None:
        return None

    @property
    def article_id(self) -> int:
        return self.rejection_article_id


@dataclass(frozen=True, slots=True)
class GradeChange(Change):
    """A quote's or claim's credibility grade changed from `old` to `new` (None: no grade)."""

    old: int | None = None
    new: int | None = None


@dataclass(frozen=True, slots=True)
class ReviewChange(Change):
    """The review flag of a claim whose words an update changed was cleared (undo flags it again)."""


Step = Change
"""What undo and redo return: a `Change` or one of its subclasses (`LinkChange`, `Batch`,
`RejectionChange`)."""


class History:
    """The undo and redo stacks of one window. `message` tells what the last step could not do
    exactly as recorded (links whose other end is gone, an edit merged with another window's)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self.message = ""

    # ------------------------------------------------------------------ recording

    def record(self, change: Step) -> None:
        if isinstance(change, Batch):
            if not change.steps:
                return
        elif not isinstance(change, (LinkChange, RejectionChange, GradeChange, ReviewChange)) and change.before is not None and change.after is not None:
            if not change.fields:
                change = replace(change, fields=tuple(changed_fields(change.before, change.after)))
            if not change.fields:
                return  # nothing changed: nothing to undo
        self._undo.append(change)
        del self._undo[:-LIMIT]
        self._redo.clear()

    def created(self, annotation: Annotation, label: str) -> None:
        self.record(Change(None, annotation, label))

    def created_together(self, annotations: list[Annotation], label: str) -> None:
        """Record annotations made by one command as one step (one undo takes them all back)."""
        if len(annotations) == 1:
            self.created(annotations[0], label)
        elif annotations:
            steps = tuple(Change(None, a, label) for a in annotations)
            self.record(Batch(None, annotations[0], label, steps=steps))

    def rejected(self, article_id: int, suggestion: Suggestion, label: str) -> None:
        """Record a rejection done through `services.suggestions.reject`."""
        self.record(RejectionChange(None, None, label, suggestion=suggestion, rejection_article_id=article_id))

    def graded(self, annotation: Annotation, old: int | None, new: int | None, label: str) -> None:
        """Record a credibility grade set through `services.sources.set_credibility`."""
        if old != new:
            self.record(GradeChange(annotation, annotation, label, old=old, new=new))

    def reviewed(self, annotation: Annotation, label: str) -> None:
        """Record a review flag cleared through `services.revisions.clear_review`."""
        self.record(ReviewChange(annotation, annotation, label))

    def deleted(self, annotation: Annotation, label: str, links: tuple[Link, ...] = ()) -> None:
        """Record a deletion done elsewhere. Prefer `delete`, which also keeps its links."""
        self.record(Change(annotation, None, label, links=tuple(links)))

    def edited(self, before: Annotation, after: Annotation, label: str) -> None:
        self.record(Change(before, after, label))

    def linked(self, link: Link, label: str = "link") -> None:
        self.record(self._link_change(link, label, removed=False))

    def unlinked(self, link: Link, label: str = "unlink") -> None:
        self.record(self._link_change(link, label, removed=True))

    def _link_change(self, link: Link, label: str, *, removed: bool) -> LinkChange:
        source = self.library.find(link.source_uuid)
        return LinkChange(source, source, label, link=link, removed=removed)

    # ------------------------------------------------------------------ doing and recording

    def delete(self, uuid: str, label: str = "delete") -> Change:
        """Delete an annotation and its links, and record it so undo brings both back."""
        removal = self.library.remove(uuid)
        change = Change(removal.annotation, None, label, links=removal.links)
        self.record(change)
        return change

    def link(self, source_uuid: str, target_uuid: str, type: LinkType, label: str = "link") -> Link:
        """Link two annotations (`services.links.link`) and record it."""
        made = link_service.link(self.library, source_uuid, target_uuid, type)
        self.linked(made, label)
        return made

    def unlink(self, link_uuid: str, label: str = "unlink") -> Link:
        """Remove a link (`services.links.unlink`) and record it so undo makes it again."""
        gone = link_service.unlink(self.library, link_uuid)
        self.unlinked(gone, label)
        return gone

    # ------------------------------------------------------------------ undo and redo

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> Step | None:
        """Store the state before the last change; returns the change undone (None: nothing to undo)."""
        return self._step(self._undo, self._redo, undo=True)

    def redo(self) -> Step | None:
        """Store the state after the last change undone; returns it (None: nothing to redo)."""
        return self._step(self._redo, self._undo, undo=False)

    def _step(self, source: list[Step], target: list[Step], *, undo: bool) -> Step | None:
        self.message = ""
        if not source:
            return None
        change = source[-1]
        try:
            done = self._apply(change, undo=undo)
        except NotFound as exc:
            source.pop()  # it can never be applied again: do not block the steps behind it
            verb = "undo" if undo else "redo"
            raise NotFound(f"cannot {verb} {change.label}: {exc.message}") from None
        source.pop()
        target.append(done)
        return change

    def _apply(self, change: Step, *, undo: bool) -> Step:
        """Store one step; returns the step as it now stands (fresh versions, links kept)."""
        if isinstance(change, LinkChange):
            return self._apply_link(change, undo=undo)
        if isinstance(change, Batch):
            return self._apply_batch(change, undo=undo)
        if isinstance(change, RejectionChange):
            return self._apply_rejection(change, undo=undo)
        if isinstance(change, GradeChange):
            from nkreader.services import sources as source_service

            try:
                source_service.set_credibility(
                    self.library, change.annotation.uuid, change.old if undo else change.new
                )
            except source_service.SourceError as exc:  # the annotation is gone
                raise NotFound(str(exc)) from None
            return change
        if isinstance(change, ReviewChange):
            from nkreader.services import revisions as revision_service

            revision_service.clear_review(self.library, change.annotation.uuid, needs_review=undo)
            return change
        current, wanted = (change.after, change.before) if undo else (change.before, change.after)
        if wanted is None:  # undo a creation / redo a deletion: delete, keeping its links
            assert current is not None
            removal = self.library.remove(current.uuid)
            gone = removal.annotation
            if undo:
                return replace(change, after=gone, links=removal.links)
            return replace(change, before=gone, links=removal.links)
        if current is None:  # undo a deletion / redo a creation: bring it back with its links
            restored = self.library.restore(wanted, change.links)
            self.message = restored.message
            back = restored.annotation
            if undo:
                return replace(change, before=back, links=restored.links)
            return replace(change, after=back, links=restored.links)
        values = {name: getattr(wanted, name) for name in change.fields}
        outcome = self.library.update_fields(current.uuid, current.version, values, seen=current)
        self.message = outcome.message
        now = outcome.annotation
        other = replace(now, **{name: getattr(current, name) for name in change.fields})
        return replace(change, before=now, after=other) if undo else replace(change, before=other, after=now)

    def _apply_batch(self, batch: Batch, *, undo: bool) -> Batch:
        """Apply every step of a batch; a step whose annotation is gone is skipped and named in
        `message`, the others are still applied (nothing else is lost)."""
        done: list[Change] = []
        missing: list[str] = []
        for step in reversed(batch.steps) if undo else batch.steps:
            try:
                done.append(self._apply(step, undo=undo))
            except NotFound as exc:
                missing.append(exc.message)
        if not done:
            raise NotFound("; ".join(missing) or "nothing left of it")
        if undo:
            done.reverse()
        self.message = f"{len(missing)} of {len(batch.steps)} could not be: {missing[0]}" if missing else ""
        first = done[0]
        return replace(batch, before=first.before, after=first.after, steps=tuple(done))

    def _apply_rejection(self, change: RejectionChange, *, undo: bool) -> RejectionChange:
        from nkreader.services import suggestions as suggestion_service

        assert change.suggestion is not None
        if undo:
            suggestion_service.unreject(self.library, change.article_id, change.suggestion)
        else:
            suggestion_service.reject(self.library, change.article_id, change.suggestion)
        return change

    def _apply_link(self, change: LinkChange, *, undo: bool) -> LinkChange:
        make = change.removed == undo  # undo a removal, or redo a creation
        assert change.link is not None
        try:
            if make:
                link_service.restore_link(self.library, change.link)
            else:
                link_service.unlink(self.library, change.link.uuid)
        except link_service.LinkError as exc:
            raise NotFound(str(exc)) from None
        return change
