"""The reader's scrolling over a lazily wrapped article: the scroll height, the text kept at the top of
the view when lines are renumbered, and the idle steps that wrap the rest.

`text/layout.py` wraps an article chunk by chunk as its lines are asked for, and counts a chunk not
wrapped yet by an estimate. Wrapping a chunk *above* the view corrects its estimate and so gives the
lines on screen new numbers (the layout's `version` moves on). The scroll offset is a line number, so
this base class of `ReaderView` keeps the offset of the text at the top of the view and, whenever the
version moved, scrolls to that text's new line (`_reanchor`): the user sees the same text; only the
scrollbar thumb moves. A short scroll up (wheel, drag, PgUp) first wraps what it uncovers and moves
relative to the text on top, so it shows the lines just above it, not an estimate's guess.
The scroll height is set before a scroll that needs it (a scroll is clamped to it) and when the idle
steps have wrapped the text after the view, not on each step: a new height costs a layout of the
whole screen.
"""

from __future__ import annotations

import time

from textual.geometry import Size
from textual.scroll_view import ScrollView

from nkreader.text.layout import WrapLayout

__all__ = ["WRAP_STEP_PAUSE", "WRAP_STEP_SECONDS", "ReaderScroll"]

WRAP_STEP_SECONDS = 0.004
"""How long one idle step after a load wraps (a key that comes meanwhile waits at most that long)."""
WRAP_STEP_PAUSE = 0.02
"""Seconds between idle steps, so keys and frames go first."""


class ReaderScroll(ScrollView):
    """Scroll state over `_layout` (set by `ReaderView`)."""

    _layout: WrapLayout

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._top_offset: int | None = None  # where the text at the top of the view starts
        self._seen_version = -1
        self._anchoring = False
        self._wrap_scheduled = False

    @property
    def _top(self) -> int:
        return int(self.scroll_offset.y)

    @property
    def _height(self) -> int:
        return self.scrollable_content_region.height

    def _sync_height(self) -> None:
        """The scroll height is the layout's line count (exact lines + an estimate of the rest)."""
        size = Size(self.scrollable_content_region.width, self._layout.line_count)
        if self.virtual_size != size:
            self.virtual_size = size

    def _note_top(self) -> None:
        """Remember the text at the top of the view (its lines are wrapped: they are on screen)."""
        layout = self._layout
        self._seen_version = layout.version
        self._top_offset = layout.span_of_lines(self._top, 1)[0] if layout.wrapped else None

    def _scroll_quietly(self, y: int) -> None:
        self._anchoring = True
        try:
            self.scroll_to(y=y, animate=False, force=True)
        finally:
            self._anchoring = False
        self._note_top()

    def _reanchor(self) -> None:
        """After lines were renumbered, scroll so the same text is at the top again."""
        layout = self._layout
        if layout.version == self._seen_version or not layout.wrapped:
            return
        if self._top_offset is None:  # nothing on screen yet: nothing to keep (and nothing to wrap for it)
            self._seen_version = layout.version
            return
        y = layout.vline_of(self._top_offset)  # its chunk is wrapped: nothing is renumbered
        if y > self.max_scroll_y:
            self._sync_height()  # (not otherwise: a new height is a layout of the whole screen)
        if y != self._top:
            self._scroll_quietly(y)
        else:
            self._note_top()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        layout = self._layout
        if self._anchoring or not layout.wrapped:
            return
        delta = int(old_value) - int(new_value)
        if self._top_offset is not None and 0 < delta <= 2 * max(1, self._height):
            # a short scroll up: wrap what it uncovers, then show the lines just above the old top
            line = layout.cover_around(self._top_offset, delta, 0)
            y = max(0, line - delta)
            if y != self._top:
                self._sync_height()
                self._scroll_quietly(y)
                return
        self._note_top()

    # ------------------------------------------------------------------ idle wrapping

    def _wrap_rest_later(self) -> None:
        """Wrap the text after the view in small steps while the app is idle (after the first paint).

        Not the text before it: that would renumber the lines on screen at every step (a repaint
        each, while the user starts reading); it is wrapped when the view goes there."""
        if not self._layout.complete and not self._wrap_scheduled:
            self._wrap_scheduled = True
            self.set_timer(WRAP_STEP_PAUSE, self._wrap_step)

    def _wrap_step(self) -> None:
        self._wrap_scheduled = False
        layout = self._layout
        if not layout.wrapped or layout.complete:
            return
        deadline = time.perf_counter() + WRAP_STEP_SECONDS
        near = self._top_offset or 0
        while not (done := layout.wrap_more(near)) and time.perf_counter() < deadline:
            pass
        self._reanchor()
        if done:
            self._sync_height()  # exact from the view to the end
        else:
            self._wrap_rest_later()
