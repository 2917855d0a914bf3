"""Moving through the annotation panel's rows: keys (up, down, home, end, pages) and the mouse.

A base class of `AnnotationList` (tui/annotation_list.py), as `ReaderMouse` is of the reader, so the
widget file reads as layout, state and drawing. Rows are 1–3 lines: a page moves by the lines shown
and lands on the row there.
"""

from __future__ import annotations

from textual import events
from textual.scroll_view import ScrollView

from nkreader.tui.annotation_rows import Row

__all__ = ["RowNavigation"]


class RowNavigation(ScrollView):
    """Keys and mouse over rows laid out by `AnnotationList` (which provides the attributes below)."""

    _rows: list[Row]
    _tops: list[int]
    _highlighted: int | None
    _hover: int | None
    highlighted: int | None

    def _row_at_line(self, line: int) -> int | None:
        raise NotImplementedError

    def _refresh_row(self, index: int | None) -> None:
        raise NotImplementedError

    def action_select(self) -> None:
        raise NotImplementedError

    # ---------------------------------------------------------------- keys
    def action_cursor_up(self) -> None:
        if self._rows:
            current = self._highlighted
            self.highlighted = len(self._rows) - 1 if current is None else max(0, current - 1)

    def action_cursor_down(self) -> None:
        if self._rows:
            current = self._highlighted
            self.highlighted = 0 if current is None else min(len(self._rows) - 1, current + 1)

    def action_first(self) -> None:
        if self._rows:
            self.highlighted = 0

    def action_last(self) -> None:
        if self._rows:
            self.highlighted = len(self._rows) - 1

    def _move_page(self, direction: int) -> None:
        if not self._rows:
            return
        if self._highlighted is None:
            self.highlighted = 0 if direction < 0 else len(self._rows) - 1
            return
        total = self._tops[-1] + self._rows[-1].lines
        line = self._tops[self._highlighted] + direction * self.scrollable_content_region.height
        index = self._row_at_line(max(0, min(line, total - 1)))
        self.highlighted = index if index is not None else self._highlighted

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_page_down(self) -> None:
        self._move_page(1)

    # ---------------------------------------------------------------- mouse
    def _index_under(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        return self._row_at_line(self.scroll_offset.y + offset.y)

    def on_click(self, event: events.Click) -> None:
        index = self._index_under(event)
        if index is not None:
            event.stop()
            self.highlighted = index
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._index_under(event)
        if index != self._hover:
            old, self._hover = self._hover, index
            self._refresh_row(old)
            self._refresh_row(index)

    def on_leave(self, _: events.Leave) -> None:
        if self._hover is not None:
            old, self._hover = self._hover, None
            self._refresh_row(old)
