"""Undo and redo of annotation changes, each step stored before it is reported done.

A change is kept as the states before and after it, so undoing it is storing
the state before (re-creating a deleted annotation with its uuid, times and
fields), and redoing it is storing the state after.
"""

from __future__ import annotations

from dataclasses import dataclass

from nkreader.domain import Annotation
from nkreader.services.library import Library

LIMIT = 500


@dataclass(frozen=True, slots=True)
class Change:
    """`before` None: a creation; `after` None: a deletion; both: an edit."""

    before: Annotation | None
    after: Annotation | None
    label: str

    @property
    def annotation(self) -> Annotation:
        found = self.after or self.before
        assert found is not None
        return found


class History:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    def record(self, change: Change) -> None:
        self._undo.append(change)
        del self._undo[:-LIMIT]
        self._redo.clear()

    def created(self, annotation: Annotation, label: str) -> None:
        self.record(Change(None, annotation, label))

    def deleted(self, annotation: Annotation, label: str) -> None:
        self.record(Change(annotation, None, label))

    def edited(self, before: Annotation, after: Annotation, label: str) -> None:
        self.record(Change(before, after, label))

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> Change | None:
        """Store the state before the last change; returns the change undone."""
        if not self._undo:
            return None
        change = self._undo[-1]
        self._store(current=change.after, wanted=change.before)
        self._undo.pop()
        self._redo.append(change)
        return change

    def redo(self) -> Change | None:
        if not self._redo:
            return None
        change = self._redo[-1]
        self._store(current=change.before, wanted=change.after)
        self._redo.pop()
        self._undo.append(change)
        return change

    def _store(self, *, current: Annotation | None, wanted: Annotation | None) -> None:
        if wanted is None:
            assert current is not None
            self.library.delete(current.uuid)
        elif current is None:
            self.library.restore(wanted)
        else:
            self.library.put(wanted)
