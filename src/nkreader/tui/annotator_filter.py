"""Whose marks the app shows (issue 11): everyone's, mine, one person's, or two side by side.

On a team library several analysts mark the same articles. To read one's own work, check a
colleague's, or see where two of them differ, the annotations pane and the reader's
highlights show the marks this filter admits; in compare mode the second person's marks are
drawn in a style of their own (`Highlight.other`), so the two sets are told apart on the
text. The filter belongs to the open-article session (`ArticleSession.annotator_filter`),
not to a widget: it outlives article changes while the app runs, and the rules are plain
Python, tested without a terminal.

"Mine" is the marks whose maker (`author`) is the app's annotator (`--as`, config, OS user).

Nothing here imports Textual.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from nkreader.domain import Annotation

__all__ = ["AnnotatorFilter", "Whose"]


class Whose(enum.StrEnum):
    EVERYONE = "everyone"
    MINE = "mine"
    ONLY = "only"
    """One person's marks (`person`)."""
    COMPARE = "compare"
    """`base`'s marks drawn as usual and `person`'s beside them, in the other style."""


@dataclass(frozen=True, slots=True)
class AnnotatorFilter:
    whose: Whose = Whose.EVERYONE
    person: str | None = None
    """ONLY: whose marks; COMPARE: whose marks are drawn in the other style."""
    base: str | None = None
    """COMPARE: whose marks are drawn as usual (the app's annotator, unless the agreement
    screen compares two others)."""
    me: str | None = None
    """The app's annotator: who "mine" is."""

    # ------------------------------------------------------------------ making one

    def everyone(self) -> AnnotatorFilter:
        return AnnotatorFilter(me=self.me)

    def mine(self) -> AnnotatorFilter:
        return AnnotatorFilter(Whose.MINE, me=self.me)

    def only(self, person: str) -> AnnotatorFilter:
        if person == self.me:
            return self.mine()
        return AnnotatorFilter(Whose.ONLY, person=person, me=self.me)

    def compare(self, person: str, base: str | None = None) -> AnnotatorFilter:
        """`person`'s marks beside `base`'s (default: mine)."""
        return AnnotatorFilter(
            Whose.COMPARE, person=person, base=self.me if base is None else base, me=self.me
        )

    # ------------------------------------------------------------------ applying it

    @property
    def shows_all(self) -> bool:
        return self.whose is Whose.EVERYONE

    def admits(self, annotation: Annotation) -> bool:
        """Whether `annotation` is shown (listed and drawn)."""
        who = annotation.author
        if self.whose is Whose.EVERYONE:
            return True
        if self.whose is Whose.MINE:
            return who == self.me
        if self.whose is Whose.ONLY:
            return who == self.person
        return who == self.base or who == self.person

    def is_other(self, annotation: Annotation) -> bool:
        """Drawn in the other style: the compared person's mark (compare mode only)."""
        return self.whose is Whose.COMPARE and annotation.author == self.person and self.person != self.base

    def shown(self, annotations: list[Annotation]) -> list[Annotation]:
        return annotations if self.shows_all else [a for a in annotations if self.admits(a)]

    def hides_mine(self) -> bool:
        """A mark made now (its maker is `me`) would not be shown."""
        return self.whose is Whose.ONLY or (
            self.whose is Whose.COMPARE and self.me not in (self.base, self.person)
        )

    # ------------------------------------------------------------------ saying what is shown

    def label(self) -> str:
        """What the status line says: ``everyone``, ``mine``, ``ben only``, ``mine beside ben``."""
        if self.whose is Whose.EVERYONE:
            return "everyone"
        if self.whose is Whose.MINE:
            return "mine"
        if self.whose is Whose.ONLY:
            return f"{_name(self.person)} only"
        base = "mine" if self.base == self.me else _name(self.base)
        return f"{base} beside {_name(self.person)}"


def _name(person: str | None) -> str:
    return person if person else "(nobody named)"
