"""The annotations as the reader draws them: spans with a kind, indexed by body line (pure).

The open-article session builds `Highlight`s from its annotations; the reader draws them. An
index by body line lets a visual line find its own highlights without scanning them all.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from nkreader.domain import Kind
from nkreader.text.layout import WrapLayout

__all__ = ["Highlight", "HighlightIndex"]


@dataclass(frozen=True)
class Highlight:
    """One annotation as the reader draws it: a span of the body and its kind."""

    start: int
    end: int
    kind: Kind
    key: str
    """The annotation's uuid."""
    current: bool = False
    """The annotation the edit keys act on: drawn outlined so it is seen before a key acts."""
    suggested: bool = False
    """A suggestion, not a mark: drawn faded with a lowercase gutter letter, under any mark."""
    mention: bool = False
    """A mention of the entity the reader highlights (issue 17): its own text style, over any mark,
    no gutter letter (its `kind` means nothing)."""


class HighlightIndex:
    """The highlights by body line (split at "\\n") of one layout."""

    def __init__(self, highlights: Sequence[Highlight] = (), layout: WrapLayout | None = None) -> None:
        self.highlights: tuple[Highlight, ...] = tuple(highlights)
        self._rows: dict[int, list[Highlight]] = {}
        if layout is None:
            return
        starts, size = layout.line_starts, len(layout.body)
        for highlight in self.highlights:
            start, end = max(0, highlight.start), min(size, highlight.end)
            if start >= end:
                continue
            first = bisect_right(starts, start) - 1
            last = bisect_right(starts, end - 1) - 1
            for row in range(first, last + 1):
                self._rows.setdefault(row, []).append(highlight)

    def on_row(self, row: int) -> list[Highlight]:
        return self._rows.get(row, [])
