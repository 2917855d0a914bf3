"""Moving through the annotation panel's rows: keys (up, down, home, end, pages), the mouse, and
which row is on which line.

A base class of `AnnotationList` (tui/annotation_list.py), as `ReaderMouse` is of the reader, so the
widget file reads as layout, state and drawing. Rows are 1–3 lines: a page moves by the lines shown
and lands on the row there.
"""

from __future__ import annotations

from bisect import bisect_right

from textual import events
from textual.geometry import Size
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
        index = bisect_right(self._tops, line) - 1
        if index < 0 or index >= len(self._rows) or line >= self._tops[index] + self._rows[index].lines:
            return None
        return index

    def _refresh_row(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self._rows):
            self.refresh_lines(self._tops[index], self._rows[index].lines)

    def _set_virtual_size(self, size: Size) -> None:
        """Set how tall the rows are, without laying the whole screen out again.

        Assigning ``virtual_size`` (a ``layout=True`` reactive) makes Textual reflow and repaint
        every widget of the screen — the library, reader, footer — for one new row: the largest part
        of drawing a ``c`` on 1,000 marks. The list's own size never depends on its rows (``height:
        1fr``), so only its scrollbar has to follow; a scrollbar that appears or goes still lays
        the screen out (``show_vertical_scrollbar`` is itself a layout reactive)."""
        if size == self.virtual_size:
            return
        if not self.is_mounted or not self.container_size:
            self.virtual_size = size
            return
        self.set_reactive(RowNavigation.virtual_size, size)
        self._scroll_update(size)  # scrollbar window and visibility; scroll offset kept in range

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
