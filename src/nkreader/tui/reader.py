"""The article reader: wrapped text with a cursor, a selection and annotation highlights.

`ReaderView` is a Line-API `ScrollView` (docs/ARCHITECTURE.md §7). Like Textual's `TextArea` over
`WrappedDocument` and `DocumentNavigator`, the maths lives in pure modules: the wrap table and
offset ↔ cell conversions in `nkreader.text.layout`, the target of each movement in
`nkreader.text.navigation`, the drawing of one line in `nkreader.tui.reader_render`. The widget
keeps the cursor, the selection, input, scrolling, a cache of the strips that the cursor and
selection do not touch, and the messages it posts. Every position is a code-point offset into
the stored body, the same offsets the annotations are stored with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip

from nkreader.text import motions, navigation, segment
from nkreader.text.highlights import Highlight, HighlightIndex
from nkreader.text.layout import WrapLayout
from nkreader.text.navigation import Direction
from nkreader.tui.reader_bindings import READER_BINDINGS
from nkreader.tui.reader_motions import ReaderMotions
from nkreader.tui.reader_render import (
    GUTTER,
    READER_COMPONENT_CLASSES,
    READER_CSS,
    LineStyles,
    line_styles,
    render_visual_line,
)
from nkreader.tui.steady_scrollbar import SteadyScrollbars  # a scrolled line redraws no scrollbar

__all__ = ["GUTTER", "Direction", "Highlight", "ReaderView"]



class ReaderView(SteadyScrollbars, ReaderMotions, can_focus=True, inherit_bindings=False):
    """A read-only article view with a grapheme cursor, a selection and kind highlights.

    Call `load` with a body (paragraphs separated by a blank line), the highlights to draw and
    a cursor offset. The view posts `CursorMoved` and `SelectionChanged`; the app binds the
    tagging keys and asks `target_span()` what to tag.
    """

    ALLOW_SELECT = False  # our own mouse selection; not the screen's text selection

    BINDINGS: ClassVar[list[BindingType]] = READER_BINDINGS
    """The keys: `tui/reader_bindings.py` (a table there lists them with their ids)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = READER_COMPONENT_CLASSES
    """The styles a theme can set: `tui/reader_render.py` lists them."""

    DEFAULT_CSS = READER_CSS

    class CursorMoved(Message):
        """The cursor moved to `offset`."""

        def __init__(self, reader: ReaderView, offset: int) -> None:
            super().__init__()
            self.reader = reader
            self.offset = offset

        @property
        def control(self) -> ReaderView:
            return self.reader

    class SelectionChanged(Message):
        """The selection is now `span` (trimmed, half-open, None if empty) or the mode changed."""

        def __init__(self, reader: ReaderView, span: tuple[int, int] | None) -> None:
            super().__init__()
            self.reader = reader
            self.span = span

        @property
        def control(self) -> ReaderView:
            return self.reader

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._layout = WrapLayout()
        self._scroll_pending = False  # load() came before the first wrap: scroll to the cursor then
        self._top_anchor: tuple[int, int] | None = None  # (offset, line) kept on top by the last re-wrap
        self._cursor = 0
        self._anchor: int | None = None
        self._selecting = False
        self._goal_x: int | None = None  # sticky column (cells) for up/down
        self._index = HighlightIndex()
        self._generation = 0  # bumped when the highlights change
        self._strips: LRUCache[int, Strip] = LRUCache(1024)  # by the offset a line starts at: line numbers may change
        self._styles_key: Style | None = None
        self._styles = LineStyles()
        self._frame_cursor_line = -1
        self._frame_selection: tuple[int, int] | None = None
        self._frame_width = 0

    # ------------------------------------------------------------------ public API

    @property
    def body(self) -> str:
        """The text shown (offsets refer to it)."""
        return self._layout.body

    @property
    def wrap_layout(self) -> WrapLayout:
        """The wrap table of the text shown (read-only for callers)."""
        return self._layout

    @property
    def highlights(self) -> tuple[Highlight, ...]:
        return self._index.highlights

    @property
    def cursor(self) -> int:
        """Cursor offset, always on a grapheme boundary."""
        return self._cursor

    @cursor.setter
    def cursor(self, offset: int) -> None:
        self._update(self._layout.snap(offset), self._anchor)

    @property
    def selection_anchor(self) -> int | None:
        """Where the selection started (the cursor is its other end), or None."""
        return self._anchor

    @selection_anchor.setter
    def selection_anchor(self, offset: int | None) -> None:
        self._update(self._cursor, None if offset is None else self._layout.snap(offset))

    @property
    def mode(self) -> Literal["reading", "selecting", "selected"]:
        """What movement does now, as the status line names it.

        "selecting" after `v`: movement extends the selection. "selected": a selection exists
        but movement no longer extends it (after `s`/`S`, a mouse drag or a second `v`); a
        tagging key applies to it. "reading": no selection.
        """
        if self._selecting:
            return "selecting"
        return "selected" if self.selection is not None else "reading"

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected span, or None: inclusive of the grapheme under the cursor, trimmed of
        surrounding whitespace and of a trailing clause mark (see `motions.selected_span`)."""
        return motions.selected_span(self.body, self._anchor, self._cursor, self._selecting)

    def target_span(self) -> tuple[int, int] | None:
        """What a tagging key applies to: the selection, else the sentence under the cursor."""
        selection = self.selection
        if selection is not None:
            return selection
        start, end = segment.sentence_at(self.body, self._cursor)
        return (start, end) if start < end else None

    def load(self, body: str, highlights: Sequence[Highlight] = (), cursor: int = 0) -> None:
        """Show `body` with `highlights`, the cursor at `cursor` (scrolled into view)."""
        had_selection = self.selection is not None
        self._layout = WrapLayout(body)
        self._top_anchor = None
        self._top_offset = None
        self._anchor, self._selecting, self._goal_x = None, False, None
        self._cursor = self._layout.snap(cursor)
        self._index_highlights(highlights)
        self._strips.clear()
        self._scroll_pending = True
        if self._rewrap(keep_top=False):
            self._scroll_after_load()
        self.refresh()
        self.post_message(self.CursorMoved(self, self._cursor))
        if had_selection:
            self.post_message(self.SelectionChanged(self, None))

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Replace the highlights and redraw what changed (the wrap is kept): for a few changed
        highlights (the same objects otherwise), only their lines."""
        changed = self._index.update(highlights) if self._layout.wrapped else None
        if changed is None:
            self._index_highlights(highlights)
            self._strips.clear()
            self.refresh()
            return
        self._generation += 1
        for highlight in changed:
            self._redraw_span(highlight.start, highlight.end)

    def move_to(self, offset: int, *, select: bool = False, center: bool = True) -> None:
        """Put the cursor at `offset`, extending the selection if `select`, else clearing it.

        The view scrolls so the cursor is visible: centred if it was off screen and `center`.
        """
        scroll: Literal["nearest", "center"] = "center" if center else "nearest"
        if select:
            self._update(self._layout.snap(offset), self._extend_from(), scroll=scroll)
        else:
            self._update(self._layout.snap(offset), None, selecting=False, scroll=scroll)

    def select_span(self, start: int, end: int, *, selecting: bool = False) -> None:
        """Select `[start, end)`: the anchor at `start`, the cursor on its last grapheme.

        With `selecting`, movement goes on extending it (the moving end is the cursor)."""
        start, end = self._layout.snap(start), self._layout.snap(end)
        self._update(motions.cursor_for_end(self.body, start, end), start, selecting=selecting)

    def extend_to(self, start: int, end: int) -> None:
        """Grow the selection so it reaches the match `[start, end)` (find while selecting)."""
        anchor = self._extend_from()
        cursor = start if start < anchor else motions.cursor_for_end(self.body, start, end)
        self._update(self._layout.snap(cursor), anchor, selecting=True, scroll="center")

    def clear_selection(self) -> None:
        """Drop the selection and leave selecting mode."""
        self._update(self._cursor, None, selecting=False)

    def find(self, needle: str, start: int) -> int | None:
        """Offset of the first match of `needle` at or after `start`, wrapping around."""
        return navigation.find(self.body, needle, start)

    def find_span(self, needle: str, start: int) -> tuple[int, int] | None:
        """The first match of `needle` at or after `start` (wrapping around) as a span."""
        return navigation.find_span(self.body, needle, start)

    def visible_span(self) -> tuple[int, int]:
        """Offsets of the first and past the last character on screen."""
        return self._layout.span_of_lines(self._top, self._height)

    def position_label(self) -> str:
        """Where the cursor is, for a status line: ``"ln 12/340 · 3%"``."""
        return self._layout.position_label(self._cursor)

    def vline_of(self, offset: int) -> int:
        """The visual line that shows `offset` (0 before the first wrap)."""
        return self._layout.vline_of(offset)

    # --------------------------------------------------------------------- actions

    # ---------------------------------------------------------------- state update

    def _update(
        self,
        cursor: int,
        anchor: int | None,
        *,
        selecting: bool | None = None,
        keep_goal: bool = False,
        scroll: Literal["nearest", "center"] = "nearest",
    ) -> None:
        """Set cursor, anchor and mode; scroll; refresh the changed lines; post messages."""
        old_cursor, old_selection, old_mode = self._cursor, self.selection, self._selecting
        self._cursor = cursor
        self._anchor = anchor
        if selecting is not None:
            self._selecting = selecting
        if self._selecting and self._anchor is None:
            self._anchor = cursor
        if not keep_goal:
            self._goal_x = None
        selection = self.selection
        if not self._scroll_into_view(scroll):
            self._refresh_offsets(old_cursor, old_cursor)
            self._refresh_offsets(cursor, cursor)
            if selection != old_selection:
                if selection is None or old_selection is None:
                    for span in (selection, old_selection):
                        if span is not None:
                            self._refresh_offsets(*span)
                else:
                    for a, b in zip(selection, old_selection, strict=True):
                        if a != b:
                            self._refresh_offsets(min(a, b), max(a, b))
        if cursor != old_cursor:
            self.post_message(self.CursorMoved(self, cursor))
        if selection != old_selection or self._selecting != old_mode:
            self.post_message(self.SelectionChanged(self, selection))

    def _scroll_into_view(self, how: Literal["nearest", "center"]) -> bool:
        """Scroll so the cursor's line is on screen; True if the view moved."""
        if not self._layout.wrapped or self._height <= 0:
            return False
        height = self._height
        self._reanchor()
        line = self._layout.cover_around(self._cursor, height, height)  # the lines it may scroll to
        self._reanchor()  # (the text on top is wrapped: this renumbers nothing, `line` holds)
        self._sync_height()
        top = self._top
        if top <= line < top + height:
            return False
        if how == "center":
            y = line - height // 2
        elif line < top:
            y = line
        else:
            y = line - height + 1
        y = max(0, min(y, self.max_scroll_y))
        if y == top:
            return False
        self.scroll_to(y=y, animate=False, force=True)
        return True

    def _redraw_span(self, start: int, end: int) -> None:
        """Drop the kept lines of `[start, end)` and redraw those on screen.

        Only lines already wrapped can be kept or shown: a span elsewhere wraps nothing."""
        last_offset = max(start, end - 1)
        for line_start in self._layout.wrapped_line_starts(start, last_offset):
            self._strips.discard(line_start)
        self._refresh_offsets(start, last_offset)

    def _refresh_offsets(self, start: int, end: int) -> None:
        """Redraw the on-screen visual lines from the one showing `start` to `end`'s."""
        if not self._layout.wrapped:
            return
        top = self._top
        shown_start, shown_end = self.visible_span()
        if start > shown_end or end < shown_start:
            return  # off screen: asking for its lines would wrap text nobody looks at
        first = max(self.vline_of(max(start, shown_start)), top)
        last = min(self.vline_of(min(end, shown_end)), top + self._height - 1)
        if last >= first:
            self.refresh_lines(first, last - first + 1)

    # ------------------------------------------------------------------- layout

    def _index_highlights(self, highlights: Sequence[Highlight]) -> None:
        self._index = HighlightIndex(highlights, self._layout)
        self._generation += 1

    def _rewrap(self, *, keep_top: bool = True) -> bool:
        """Wrap to the current width if it changed; False while the width is unknown."""
        region_width = self.scrollable_content_region.width
        if region_width <= 0:
            return False
        layout = self._layout
        top_offset = None
        if keep_top and layout.wrapped:
            top_offset = layout.span_of_lines(self._top, 1)[0]
            if self._top_anchor is not None and self._top_anchor[1] == self._top:
                top_offset = self._top_anchor[0]  # not scrolled since the last re-wrap: no drift
        if not layout.wrap(region_width - GUTTER - 1):  # 1 spare cell for the cursor
            return True
        self._strips.clear()
        self._sync_height()
        if top_offset is not None:
            top = layout.cover_around(top_offset, 0, self._height)
            self._sync_height()
            self._scroll_quietly(top)
            self._top_anchor = (top_offset, top)
        self._wrap_rest_later()
        return True

    def _scroll_after_load(self) -> None:
        self._scroll_pending = False
        self._anchoring = True  # (no text to keep on top yet: nothing wrapped at the top for it)
        try:
            self.scroll_to(0, 0, animate=False, force=True)
        finally:
            self._anchoring = False
        if not self._scroll_into_view("center"):
            self._note_top()

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()  # strips are as wide as the view
        if self._rewrap() and self._scroll_pending:
            self._scroll_after_load()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles_key = None
        self._strips.clear()

    # ------------------------------------------------------------------- render

    def _prepare_styles(self) -> None:
        base = self.rich_style
        if base == self._styles_key:
            return
        self._styles_key = base
        self._styles = line_styles(self, base)
        self._strips.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._prepare_styles()
        self._reanchor()
        layout = self._layout
        if layout.wrapped:
            layout.span_of_lines(self._top, self._height)  # the view's lines (from the top down: no renumbering)
            if self._top_offset is None:
                self._note_top()
        cursor_line = layout.vline_if_wrapped(self._cursor) if self.has_focus else None
        self._frame_cursor_line = -1 if cursor_line is None else cursor_line
        self._frame_selection = self.selection
        self._frame_width = self.scrollable_content_region.width
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._frame_width
        line = self._top + y
        layout = self._layout
        if not layout.has_line(line):
            return Strip.blank(width, self._styles.base)
        start, end = layout.line_span(line)
        selection = self._frame_selection
        on_selection = selection is not None and selection[0] < end and selection[1] > start
        on_cursor = line == self._frame_cursor_line
        dynamic = on_cursor or on_selection
        if not dynamic and (strip := self._strips.get(start)) is not None:
            return strip
        strip = render_visual_line(
            layout,
            self._index,
            self._styles,
            line,
            width,
            cursor=self._cursor if on_cursor else None,
            selection=selection if on_selection else None,
        )
        if not dynamic:
            self._strips[start] = strip
        return strip

    # -------------------------------------------------------------------- focus

    def watch_has_focus(self, has_focus: bool) -> None:
        """Nothing of the reader's CSS depends on its focus (the cursor is drawn by `render_line`, the
        pane's title by the screen's `:focus-within`), so its styles are not re-applied: with its 13
        component classes that was ~30 ms of every focus change, opening an article included."""

    def on_focus(self) -> None:
        self._refresh_offsets(self._cursor, self._cursor)

    def on_blur(self) -> None:
        self._refresh_offsets(self._cursor, self._cursor)
