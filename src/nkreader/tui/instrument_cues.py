"""What the analyst's instruments add to a row (issue 17): the source's reliability beside the
speaker, the passage's credibility, the review flag and the words an update replaced.

Why a separate lookup: an `Annotation` carries none of these (they live in their own tables, set
from the register, the `C` key or an update), so the annotations pane and the browser ask for
them once per redraw of a list (`extras_for`: two queries, whatever the number of rows) and
draw them with the same words (`head_cues`, `was_line`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from nkreader.analysis import CREDIBILITY, RELIABILITY
from nkreader.services import StoreError
from nkreader.services import revisions as revision_service
from nkreader.services import sources as source_service
from nkreader.services.library import Library
from nkreader.tui.safe import excerpt

__all__ = [
    "REVIEW_FLAG",
    "ExtrasCache",
    "RowExtras",
    "extras_for",
    "grade_label",
    "grade_words",
    "head_cues",
    "was_line",
]

REVIEW_FLAG = "⚑ review"
"""The words an update changed after the claim's status was set: look at it again."""


@dataclass(frozen=True, slots=True)
class RowExtras:
    """The instruments' part of one annotation's row; every field may be missing."""

    reliability: str | None = None
    """The speaker's grade as a source, A–F."""
    credibility: int | None = None
    """This passage's grade, 1–6."""
    was: str | None = None
    """The words it was made on, when an update changed them."""
    needs_review: bool = False


class _Row(Protocol):
    """An annotation or a browser row: what the extras are looked up by."""

    @property
    def uuid(self) -> str: ...
    @property
    def speaker(self) -> str | None: ...


_FEW = 50
"""Up to this many rows, their extras are asked for by uuid."""


def extras_for(library: Library, annotations: Sequence[_Row]) -> dict[str, RowExtras]:
    """The extras of `annotations` (or browser rows) by uuid (only those that have some). A library opened below the
    instruments' migration, or a store error, shows the rows without them rather than failing."""
    if not annotations:
        return {}
    # Many rows (an article's 1,000 marks, asked again after every mark): read every grade and
    # wording change instead — those tables hold only graded or changed marks, and 1,000 bound
    # uuids cost 60 ms a `c` in SQL compiling alone (issue 14).
    uuids = None if len(annotations) > _FEW else [a.uuid for a in annotations]
    try:
        grades = source_service.grades_for(library, uuids)
        changes = revision_service.wording_changes(library, uuids)
    except StoreError:
        return {}
    found: dict[str, RowExtras] = {}
    for annotation in annotations:
        reliability, credibility = grades.of(annotation.speaker, annotation.uuid)
        change = changes.get(annotation.uuid)
        if reliability or credibility or change:
            found[annotation.uuid] = RowExtras(
                reliability=reliability,
                credibility=credibility,
                was=change.original if change else None,
                needs_review=bool(change and change.needs_review),
            )
    return found


class ExtrasCache:
    """`extras_for` kept until the store changes: the annotations pane asks after every change to
    the list (a `c` on 1,000 marks), and the grades and wording changes of the other 999 rows are
    the same as a moment ago unless something was committed since.

    Kept by the library's change token, which moves on every commit, this app's or another's.
    A new mark (`own_mark`) is the one commit known to leave the others' extras as they were: the
    token is taken on and only the new row is asked for. A server library's token follows
    notifications that arrive after the commit, so there nothing is kept.
    """

    def __init__(self, library: Library) -> None:
        self._library = library
        self._token: int | None = None
        self._found: dict[str, RowExtras] = {}
        self._asked: set[str] = set()
        self.reads = 0
        """How many times the store was asked (tests)."""

    def _current(self) -> int | None:
        if getattr(self._library, "shared", False):
            return None
        try:
            return self._library.change_token()
        except StoreError:
            return None

    def __call__(self, annotations: Sequence[_Row]) -> dict[str, RowExtras]:
        """The extras of `annotations` by uuid, as `extras_for` gives them."""
        token = self._current()
        if token is None or token != self._token:
            self._token, self._found, self._asked = token, {}, set()
        missing = [a for a in annotations if a.uuid not in self._asked]
        if missing:
            self.reads += 1
            self._found.update(extras_for(self._library, missing))
            self._asked.update(a.uuid for a in missing)
        return self._found

    def own_mark(self, before: int | None, made: _Row) -> None:
        """A new mark `made` was stored, at token `before` (read just before the write): if the
        extras were kept at that token, they still hold. The new mark itself has none: no
        passage grade or wording history yet, and without a speaker no source grade either
        (with one, it is asked for when it is listed)."""
        if before is None or before != self._token:
            return
        self._token = self._current()
        if made.speaker is None:
            self._asked.add(made.uuid)


def head_cues(extras: RowExtras | None) -> list[str | tuple[str, str]]:
    """Pieces for the start of a row's first line, after its kind badge: `` ⚑ review`` and the
    Admiralty grade `` B2`` (`grade_label`)."""
    if extras is None:
        return []
    pieces: list[str | tuple[str, str]] = []
    if extras.needs_review:
        pieces += [" ", (REVIEW_FLAG, "bold $text-warning")]
    label = grade_label(extras)
    if label:
        pieces += [" ", (label, "bold $text-accent")]
    return pieces


def was_line(extras: RowExtras | None, cells: int) -> list[str | tuple[str, str]]:
    """``was: ‹old words›`` (struck through, dim), or nothing when the words never changed."""
    if extras is None or extras.was is None:
        return []
    return [("was: ", "dim"), (excerpt(extras.was, cells) or "…", "dim strike")]


def grade_words(extras: RowExtras | None) -> str:
    """The grades in words, for a detail line: "source B (usually reliable) · 2 (probably true)"."""
    if extras is None:
        return ""
    parts = []
    if extras.reliability:
        parts.append(f"source {extras.reliability} ({RELIABILITY.get(extras.reliability, '?')})")
    if extras.credibility:
        parts.append(f"credibility {extras.credibility} ({CREDIBILITY.get(extras.credibility, '?')})")
    return " · ".join(parts)


def grade_label(extras: RowExtras | None) -> str:
    """The Admiralty pair in a table cell: ``B2``, ``B–`` (source only), ``–2`` (passage only)."""
    if extras is None or not (extras.reliability or extras.credibility):
        return ""
    return f"{extras.reliability or '–'}{extras.credibility or '–'}"
