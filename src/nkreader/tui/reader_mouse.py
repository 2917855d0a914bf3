"""The reader's mouse: click to move, drag to select (scrolling at the edges), double / triple click.

A base class of `ReaderView` (tui/reader.py) so the widget file reads as keys, state and
drawing; the state it changes (`_update`, the layout, the cursor) is the widget's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual import events
from textual.message import Message
from textual.timer import Timer

from nkreader.text import segment
from nkreader.text.highlights import Highlight
from nkreader.text.layout import WrapLayout
from nkreader.tui.reader_render import GUTTER
from nkreader.tui.reader_scroll import ReaderScroll

__all__ = ["ReaderMouse"]


class ReaderMouse(ReaderScroll):
    """Mouse selection over a `WrapLayout`; `ReaderView` provides the state below."""

    _layout: WrapLayout
    _cursor: int
    _anchor: int | None

    @dataclass
    class EdgeDragged(Message):
        """The current annotation's start or end was dragged: `key` (its uuid) should cover the span."""

        key: str
        start: int
        end: int

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._edge_key: str | None = None  # the annotation whose edge is being dragged
        self._dragging = False
        self._drag_x = 0
        self._autoscroll_step = 0
        self._autoscroll_timer: Timer | None = None

    # ------------------------------------------------------------------ provided by ReaderView

    @property
    def body(self) -> str:
        raise NotImplementedError

    @property
    def highlights(self) -> tuple[Highlight, ...]:
        raise NotImplementedError

    @property
    def selection(self) -> tuple[int, int] | None:
        raise NotImplementedError

    def _extend_from(self) -> int:
        raise NotImplementedError

    def _update(
        self,
        cursor: int,
        anchor: int | None,
        *,
        selecting: bool | None = None,
        keep_goal: bool = False,
        scroll: Literal["nearest", "center"] = "nearest",
    ) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ handlers

    def _offset_at_cell(self, x: int, y: int) -> int:
        line = self._top + y
        if line < 0:
            return 0
        if not self._layout.has_line(line):
            return len(self.body)
        return self._layout.offset_at(line, x - GUTTER)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or not self._layout.wrapped:
            return
        self.focus()
        x, y = event.get_content_offset_capture(self)
        offset = self._offset_at_cell(x, y)
        anchor = self._extend_from() if event.shift else offset
        self._edge_key = None
        edge = None if event.shift else self._edge_at(offset)
        if edge is not None:
            # Pressed on the first or last character of the current annotation: drag that edge, the
            # other one stays put (the selection runs from it to the pointer).
            self._edge_key, anchor = edge
        self._update(offset, anchor, selecting=False)
        self._dragging = True
        self._drag_x = x
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        x, y = event.get_content_offset_capture(self)
        self._drag_x = x
        step = -1 if y < 0 else 1 if y >= self._height else 0
        self._set_autoscroll(step)
        y = max(0, min(y, self._height - 1))
        self._update(self._offset_at_cell(x, y), self._anchor)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self._set_autoscroll(0)
        self.release_mouse()
        key, self._edge_key = self._edge_key, None
        if key is not None and self._anchor != self._cursor and self.selection is not None:
            self.post_message(self.EdgeDragged(key, *self.selection))
            return
        if self._anchor == self._cursor:
            self._update(self._cursor, None)

    def _edge_at(self, offset: int) -> tuple[str, int] | None:
        """(uuid, the other edge's offset) when `offset` is on the current annotation's first or last
        character, else None."""
        for highlight in self.highlights:
            if not highlight.current or highlight.end <= highlight.start:
                continue
            last = segment.prev_grapheme(self.body, highlight.end)
            if offset == highlight.start and last > highlight.start:
                return highlight.key, last
            if offset == last and last > highlight.start:
                return highlight.key, highlight.start
        return None

    def on_click(self, event: events.Click) -> None:
        if event.chain < 2 or not self._layout.wrapped:
            return
        x, y = event.get_content_offset_capture(self)
        offset = self._offset_at_cell(x, y)
        unit = segment.word_at if event.chain == 2 else segment.sentence_at
        start, end = unit(self.body, offset)
        if start < end:
            self.select_span(start, end)  # type: ignore[attr-defined]

    def _set_autoscroll(self, step: int) -> None:
        self._autoscroll_step = step
        if step and self._autoscroll_timer is None:
            self._autoscroll_timer = self.set_interval(0.05, self._autoscroll)
        elif not step and self._autoscroll_timer is not None:
            self._autoscroll_timer.stop()
            self._autoscroll_timer = None

    def _autoscroll(self) -> None:
        if not self._dragging or not self._autoscroll_step:
            self._set_autoscroll(0)
            return
        self._sync_height()
        self.scroll_to(y=self._top + self._autoscroll_step, animate=False, force=True)
        edge = 0 if self._autoscroll_step < 0 else self._height - 1
        self._update(self._offset_at_cell(self._drag_x, edge), self._anchor)
