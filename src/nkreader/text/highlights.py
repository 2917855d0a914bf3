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
    other: bool = False
    """Another annotator's mark beside one's own (compare mode, `tui/annotator_filter.py`):
    drawn as coloured, underlined text without a background, over one's own marks, so where
    the two differ shows on the text."""


class HighlightIndex:
    """The highlights by body line (split at "\\n") of one layout."""

    def __init__(self, highlights: Sequence[Highlight] = (), layout: WrapLayout | None = None) -> None:
        self.highlights: tuple[Highlight, ...] = tuple(highlights)
        self._rows: dict[int, list[Highlight]] = {}
        self._layout = layout
        for highlight in self.highlights:
            self._place(highlight, add=True)

    def _place(self, highlight: Highlight, *, add: bool) -> None:
        layout = self._layout
        if layout is None:
            return
        starts = layout.line_starts
        start, end = max(0, highlight.start), min(len(layout.body), highlight.end)
        if start >= end:
            return
        first = bisect_right(starts, start) - 1
        last = bisect_right(starts, end - 1) - 1
        rows = self._rows
        for row in range(first, last + 1):
            if add:
                rows.setdefault(row, []).append(highlight)
            elif (here := rows.get(row)) is not None:
                here.remove(highlight)
                if not here:
                    del rows[row]

    def update(self, highlights: Sequence[Highlight], most: int = 64) -> list[Highlight] | None:
        """Become the index of `highlights` by changing only what differs; returns the highlights
        removed and added (their text must be drawn again), or None, unchanged, when more than
        `most` differ (build a new index then).

        Why: one new mark, or the current mark moving with the cursor, changes one or two of an
        article's 1,000 highlights; indexing them all again per key was most of a key's time.
        Highlights are compared by identity, so callers that keep their objects (the session
        does) get a diff of a few; rebuilt objects only make it fall back.
        """
        new = tuple(highlights)
        old = self.highlights
        # Skip the common head and tail (by identity): what is left is the few that changed.
        head, most_head = 0, min(len(old), len(new))
        while head < most_head and old[head] is new[head]:
            head += 1
        tail = 0
        while tail < most_head - head and old[-1 - tail] is new[-1 - tail]:
            tail += 1
        old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
        old_ids = {id(h) for h in old_mid}
        new_ids = {id(h) for h in new_mid}
        removed = [h for h in old_mid if id(h) not in new_ids]
        added = [h for h in new_mid if id(h) not in old_ids]
        if len(removed) + len(added) > most:
            return None
        for highlight in removed:
            self._place(highlight, add=False)
        for highlight in added:
            self._place(highlight, add=True)
        self.highlights = new
        return removed + added

    def on_row(self, row: int) -> list[Highlight]:
        return self._rows.get(row, [])
