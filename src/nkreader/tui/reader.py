"""The article reader: wrapped text with a cursor, a selection and annotation highlights.

`ReaderView` is a Line-API `ScrollView` (DESIGN §7): it keeps its own wrap table of visual
lines, renders each one as a `Strip` of `Segment`s (never markup: article text is untrusted),
caches the strips that the cursor and selection do not touch, and refreshes only the lines a
keystroke changes. Every position is a code-point offset into the stored body, the same
offsets the annotations are stored with.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, Literal

import regex
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from nkreader.domain import Kind
from nkreader.text import segment
from nkreader.text.wrap import cell_width, is_single_cell, wrap_offsets

__all__ = ["Highlight", "ReaderView"]

GUTTER = 2
"""Cells left of the text: the kind letter of the highlights on the line, then a space."""
MIN_WRAP_WIDTH = 8
"""Narrower panes still wrap at this width (and crop): a 1 MB body at width 1 would not."""

# Terminal controls must never reach the terminal: drawn as U+FFFD (a tab as a space).
# The body is sanitized at import; this is the last line of defence.
# Bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069) would let a body reorder
# what the analyst sees on the terminal: they are shown as U+FFFD, like the controls.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_DISPLAY_TABLE = {
    c: "\ufffd"
    for c in (
        *range(0x00, 0x20),
        *range(0x7F, 0xA0),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
}
_DISPLAY_TABLE[0x09] = " "
del _DISPLAY_TABLE[0x0A]

_GRAPHEME = regex.compile(r"\X")
_KIND_ORDER = (Kind.CLAIM, Kind.QUOTE, Kind.POLICY)

Direction = Literal[
    "left",
    "right",
    "up",
    "down",
    "word_next",
    "word_prev",
    "sentence_next",
    "sentence_prev",
    "paragraph_next",
    "paragraph_prev",
    "top",
    "bottom",
    "page_up",
    "page_down",
    "line_start",
    "line_end",
]


@dataclass(frozen=True)
class Highlight:
    """One annotation as the reader draws it: a span of the body and its kind."""

    start: int
    end: int
    kind: Kind
    key: str
    """The annotation's uuid."""


@lru_cache(maxsize=32)
def _find_pattern(needle: str) -> regex.Pattern[str] | None:
    words = unicodedata.normalize("NFC", needle).split()
    if not words:
        return None
    # Case-insensitive with full case folding ("STRASSE" finds "Straße"); runs of whitespace
    # in the needle match any whitespace (a line break, a paragraph break).
    return regex.compile(r"\s+".join(map(regex.escape, words)), regex.IGNORECASE | regex.FULLCASE)


class ReaderView(ScrollView, can_focus=True, inherit_bindings=False):
    """A read-only article view with a grapheme cursor, a selection and kind highlights.

    Call `load` with a body (paragraphs separated by a blank line), the highlights to draw and
    a cursor offset. The view posts `CursorMoved` and `SelectionChanged`; the app binds the
    tagging keys and asks `target_span()` what to tag.
    """

    ALLOW_SELECT = False  # our own mouse selection; not the screen's text selection

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move('left')", "Left", show=False, id="reader.left"),
        Binding("right,l", "move('right')", "Right", show=False, id="reader.right"),
        Binding("up,k", "move('up')", "Up", show=False, id="reader.up"),
        Binding("down,j", "move('down')", "Down", show=False, id="reader.down"),
        Binding("w,ctrl+right", "move('word_next')", "Next word", show=False, id="reader.word_next"),
        Binding("b,ctrl+left", "move('word_prev')", "Previous word", show=False, id="reader.word_prev"),
        Binding(")", "move('sentence_next')", "Next sentence", show=False, id="reader.sentence_next"),
        Binding("(", "move('sentence_prev')", "Previous sentence", show=False, id="reader.sentence_prev"),
        Binding("}", "move('paragraph_next')", "Next paragraph", show=False, id="reader.paragraph_next"),
        Binding("{", "move('paragraph_prev')", "Previous paragraph", show=False, id="reader.paragraph_prev"),
        Binding("g,ctrl+home", "move('top')", "Top", show=False, id="reader.top"),
        Binding("G,ctrl+end", "move('bottom')", "Bottom", show=False, id="reader.bottom"),
        Binding("pageup,ctrl+u", "move('page_up')", "Page up", show=False, id="reader.page_up"),
        Binding("pagedown,ctrl+d", "move('page_down')", "Page down", show=False, id="reader.page_down"),
        Binding("home", "move('line_start')", "Line start", show=False, id="reader.line_start"),
        Binding("end", "move('line_end')", "Line end", show=False, id="reader.line_end"),
        Binding("shift+left", "extend('left')", "Extend left", show=False, id="reader.extend_left"),
        Binding("shift+right", "extend('right')", "Extend right", show=False, id="reader.extend_right"),
        Binding("shift+up", "extend('up')", "Extend up", show=False, id="reader.extend_up"),
        Binding("shift+down", "extend('down')", "Extend down", show=False, id="reader.extend_down"),
        Binding(
            "shift+home", "extend('line_start')", "Extend to line start", show=False, id="reader.extend_home"
        ),
        Binding("shift+end", "extend('line_end')", "Extend to line end", show=False, id="reader.extend_end"),
        Binding("v", "select_toggle", "Select", id="reader.select_toggle"),
        Binding("s", "select_sentence", "Sentence", id="reader.select_sentence"),
        Binding("S", "select_paragraph", "Paragraph", show=False, id="reader.select_paragraph"),
        Binding("escape", "clear_selection", "Clear selection", show=False, id="reader.select_clear"),
    ]
    """
    | Key(s) | Binding id | Description |
    | :- | :- | :- |
    | left, h / right, l | reader.left / reader.right | Previous / next grapheme. |
    | up, k / down, j | reader.up / reader.down | Previous / next visual line (sticky column). |
    | w, ctrl+right / b, ctrl+left | reader.word_next / reader.word_prev | Next word / start of word. |
    | ) / ( | reader.sentence_next / reader.sentence_prev | Next sentence / start of sentence. |
    | } / { | reader.paragraph_next / reader.paragraph_prev | Next / previous paragraph. |
    | g, ctrl+home / G, ctrl+end | reader.top / reader.bottom | Start / end of the article. |
    | pageup, ctrl+u / pagedown, ctrl+d | reader.page_up / reader.page_down | One page up / down. |
    | home / end | reader.line_start / reader.line_end | Start / end of the visual line. |
    | shift+arrows, shift+home/end | reader.extend_* | Extend the selection. |
    | v | reader.select_toggle | Start selecting (movement extends); again: stop, keep it. |
    | s / S | reader.select_sentence / reader.select_paragraph | Select the sentence / paragraph. |
    | escape | reader.select_clear | Clear the selection. |
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--claim",
        "reader--quote",
        "reader--policy",
        "reader--overlap",
        "reader--selection",
        "reader--cursor",
        "reader--gutter",
    }
    """
    | Class | Description |
    | :- | :- |
    | `reader--claim`, `reader--quote`, `reader--policy` | A highlight of that kind. |
    | `reader--overlap` | Text under two or more highlights (violet; the gutter shows `*`). |
    | `reader--selection` | The selection (drawn over highlights). |
    | `reader--cursor` | The cursor (drawn over everything). |
    | `reader--gutter` | The kind letters left of the text. |
    """

    DEFAULT_CSS = """
    ReaderView {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        /* Opaque colours, one set per light/dark theme, chosen so that the kinds stay four
           different colours when a 256-colour terminal rounds them (xterm 24/22/94/54 dark,
           110/151/222/183 light) and the theme's text keeps its contrast on them. */
        & > .reader--claim { background: #1a4a80; text-style: underline; }
        & > .reader--quote { background: #1f5a2a; text-style: italic; }
        & > .reader--policy { background: #765014; text-style: bold; }
        & > .reader--overlap { background: #5a2a8a; }
        &:light > .reader--claim { background: #8fb4dc; }
        &:light > .reader--quote { background: #a8d5b0; }
        &:light > .reader--policy { background: #f5d08a; }
        &:light > .reader--overlap { background: #cfb0f0; }
        & > .reader--selection { background: $foreground 30%; }
        & > .reader--cursor { text-style: reverse; }
        & > .reader--gutter { color: $foreground-muted; text-style: bold; }
    }
    """

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
        self._body = ""
        self._display = ""  # the body as drawn: controls replaced, same length
        self._line_starts: list[int] = [0]
        self._vl_start: list[int] = []  # visual line -> offset of its first character
        self._vl_end: list[int] = []  # visual line -> offset after its last character
        self._wrap_width = 0
        self._scroll_pending = False  # load() came before the first wrap: scroll to the cursor then
        self._top_anchor: tuple[int, int] | None = None  # (offset, line) kept on top by the last re-wrap
        self._cursor = 0
        self._anchor: int | None = None
        self._selecting = False
        self._goal_x: int | None = None  # sticky column (cells) for up/down
        self._highlights: tuple[Highlight, ...] = ()
        self._rows_highlights: dict[int, list[Highlight]] = {}
        self._generation = 0  # bumped when the highlights change
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
        self._styles_key: Style | None = None
        self._base = Style()
        self._kind_styles: dict[Kind, Style] = {}
        self._overlap_style = self._selection_style = self._cursor_style = self._gutter_style = Style()
        self._frame_cursor_line = -1
        self._frame_selection: tuple[int, int] | None = None
        self._frame_width = 0
        self._dragging = False
        self._drag_x = 0
        self._autoscroll_step = 0
        self._autoscroll_timer: Timer | None = None

    # ------------------------------------------------------------------ public API

    @property
    def body(self) -> str:
        """The text shown (offsets refer to it)."""
        return self._body

    @property
    def highlights(self) -> tuple[Highlight, ...]:
        return self._highlights

    @property
    def cursor(self) -> int:
        """Cursor offset, always on a grapheme boundary."""
        return self._cursor

    @cursor.setter
    def cursor(self, offset: int) -> None:
        self._update(self._snap(offset), self._anchor)

    @property
    def anchor(self) -> int | None:
        """Where the selection started (the cursor is its other end), or None."""
        return self._anchor

    @anchor.setter
    def anchor(self, offset: int | None) -> None:
        self._update(self._cursor, None if offset is None else self._snap(offset))

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
        """The selected span, trimmed of surrounding whitespace, or None."""
        if self._anchor is None or self._anchor == self._cursor:
            return None
        start, end = segment.trim_span(self._body, *sorted((self._anchor, self._cursor)))
        return (start, end) if start < end else None

    def target_span(self) -> tuple[int, int] | None:
        """What a tagging key applies to: the selection, else the sentence under the cursor."""
        selection = self.selection
        if selection is not None:
            return selection
        start, end = segment.sentence_at(self._body, self._cursor)
        return (start, end) if start < end else None

    def load(self, body: str, highlights: Sequence[Highlight] = (), cursor: int = 0) -> None:
        """Show `body` with `highlights`, the cursor at `cursor` (scrolled into view)."""
        had_selection = self.selection is not None
        self._body = body
        self._display = body.translate(_DISPLAY_TABLE) if _UNSAFE.search(body) else body
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", body))]
        self._vl_start, self._vl_end, self._wrap_width = [], [], 0
        self._top_anchor = None
        self._anchor, self._selecting, self._goal_x = None, False, None
        self._cursor = self._snap(cursor)
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
        """Replace the highlights and redraw (the wrap is kept)."""
        self._index_highlights(highlights)
        self._strips.clear()
        self.refresh()

    def move_to(self, offset: int, *, select: bool = False, center: bool = True) -> None:
        """Put the cursor at `offset`, extending the selection if `select`, else clearing it.

        The view scrolls so the cursor is visible: centred if it was off screen and `center`.
        """
        if select:
            self._update(self._snap(offset), self._extend_from(), scroll="center" if center else "nearest")
        else:
            self._update(self._snap(offset), None, selecting=False, scroll="center" if center else "nearest")

    def select_span(self, start: int, end: int) -> None:
        """Select `[start, end)`: the anchor at `start`, the cursor at `end`."""
        self._update(self._snap(end), self._snap(start))

    def clear_selection(self) -> None:
        """Drop the selection and leave selecting mode."""
        self._update(self._cursor, None, selecting=False)

    def find(self, needle: str, start: int) -> int | None:
        """Offset of the first match of `needle` at or after `start`, wrapping around.

        Case-insensitive with full case folding (Latin); Korean matches exactly.
        """
        pattern = _find_pattern(needle)
        if pattern is None:
            return None
        start = max(0, min(start, len(self._body)))
        match = pattern.search(self._body, start) or pattern.search(self._body, 0)
        return None if match is None else match.start()

    def visible_span(self) -> tuple[int, int]:
        """Offsets of the first and past the last character on screen."""
        if not self._vl_start:
            return 0, 0
        top = min(self._top, len(self._vl_start) - 1)
        bottom = min(top + max(1, self._height), len(self._vl_start)) - 1
        return self._vl_start[top], self._vl_end[bottom]

    def position_label(self) -> str:
        """Where the cursor is, for a status line: ``"ln 12/340 · 3%"``."""
        row = bisect_right(self._line_starts, self._cursor)
        percent = 100 * self._cursor // len(self._body) if self._body else 0
        return f"ln {row}/{len(self._line_starts)} · {percent}%"

    def vline_of(self, offset: int) -> int:
        """The visual line that shows `offset` (0 before the first wrap)."""
        return max(0, bisect_right(self._vl_start, offset) - 1)

    # --------------------------------------------------------------------- actions

    def action_move(self, direction: Direction) -> None:
        """Move the cursor; in selecting mode the selection follows, otherwise it is cleared."""
        if direction in ("page_up", "page_down"):
            self._page(direction, extend=self._selecting)
            return
        target, vertical = self._target(direction)
        anchor = self._anchor if self._selecting else None
        self._update(target, anchor, keep_goal=vertical)

    def action_extend(self, direction: Direction) -> None:
        """Move the cursor and extend the selection (starting one at the cursor)."""
        if direction in ("page_up", "page_down"):
            self._page(direction, extend=True)
            return
        target, vertical = self._target(direction)
        self._update(target, self._extend_from(), keep_goal=vertical)

    def action_select_toggle(self) -> None:
        """Start selecting at the cursor (keeping a selection there is); again: stop selecting."""
        if self._selecting:
            anchor = None if self.selection is None else self._anchor
            self._update(self._cursor, anchor, selecting=False)
        else:
            anchor = self._cursor if self.selection is None else self._anchor
            self._update(self._cursor, anchor, selecting=True)

    def action_select_sentence(self) -> None:
        """Select the sentence under the cursor, or grow the selection to whole sentences."""
        self._select_units(segment.sentence_at)

    def action_select_paragraph(self) -> None:
        """Select the paragraph under the cursor, or grow the selection to whole paragraphs."""
        self._select_units(segment.paragraph_at)

    def action_clear_selection(self) -> None:
        if self._anchor is None and not self._selecting:
            raise SkipAction()  # nothing to clear: let the app have escape
        self.clear_selection()

    # ------------------------------------------------------------------ movement

    def _snap(self, offset: int) -> int:
        return segment.grapheme_floor(self._body, max(0, min(offset, len(self._body))))

    def _extend_from(self) -> int:
        """The anchor a selection extends from: the current one, else the cursor."""
        return self._cursor if self._anchor is None else self._anchor

    def _select_units(self, unit_at: Callable[[str, int], tuple[int, int]]) -> None:
        selection = self.selection
        if selection is None:
            start, end = unit_at(self._body, self._cursor)
        else:
            start = unit_at(self._body, selection[0])[0]
            end = unit_at(self._body, max(selection[0], selection[1] - 1))[1]
            start, end = min(start, selection[0]), max(end, selection[1])
        if start >= end:
            self.app.bell()
            return
        self._update(end, start)

    def _target(self, direction: Direction) -> tuple[int, bool]:
        """Where `direction` takes the cursor, and whether the move is vertical."""
        body, cursor = self._body, self._cursor
        if direction in ("up", "down"):
            return self._vertical(-1 if direction == "up" else 1), True
        match direction:
            case "left":
                target = segment.prev_grapheme(body, cursor)
            case "right":
                target = segment.next_grapheme(body, cursor)
            case "word_next":
                target = segment.next_word_start(body, cursor)
            case "word_prev":
                target = segment.prev_word_start(body, cursor)
            case "sentence_next":
                target = segment.next_sentence_start(body, cursor)
            case "sentence_prev":
                target = segment.prev_sentence_start(body, cursor)
            case "paragraph_next":
                target = segment.next_paragraph_start(body, cursor)
            case "paragraph_prev":
                target = segment.prev_paragraph_start(body, cursor)
            case "top":
                target = 0
            case "bottom":
                target = len(body)
            case "line_start":
                target = self._vl_start[self.vline_of(cursor)] if self._vl_start else cursor
            case "line_end":
                target = self._line_end(self.vline_of(cursor)) if self._vl_start else cursor
            case _:
                target = cursor
        return self._snap(target), False

    def _vertical(self, lines: int) -> int:
        if not self._vl_start:
            return self._cursor
        line = self.vline_of(self._cursor)
        if self._goal_x is None:
            self._goal_x = self._x_of(self._cursor, line)
        target = max(0, min(len(self._vl_start) - 1, line + lines))
        return self._offset_at(target, self._goal_x)

    def _page(self, direction: Direction, *, extend: bool) -> None:
        if not self._vl_start:
            return
        step = max(1, self._height - 1) * (-1 if direction == "page_up" else 1)
        target = self._vertical(step)
        if direction == "page_up" and self.vline_of(target) == self.vline_of(self._cursor):
            target = 0
        elif direction == "page_down" and self.vline_of(target) == self.vline_of(self._cursor):
            target = len(self._body)
        self.scroll_to(y=self._top + step, animate=False, force=True)
        anchor = self._extend_from() if extend else None
        self._update(target, anchor, keep_goal=True)

    def _is_last_of_row(self, line: int) -> bool:
        return line + 1 >= len(self._vl_start) or self._vl_start[line + 1] != self._vl_end[line]

    def _line_end(self, line: int) -> int:
        """The last cursor position on a visual line (a wrapped line's end shows on the next)."""
        end = self._vl_end[line]
        if self._is_last_of_row(line):
            return end
        return segment.prev_grapheme(self._body, end)

    def _x_of(self, offset: int, line: int) -> int:
        return cell_width(self._display[self._vl_start[line] : offset])

    def _offset_at(self, line: int, x: int) -> int:
        """The offset drawn at cell `x` of visual line `line` (clamped to the line)."""
        line = max(0, min(line, len(self._vl_start) - 1))
        start, end = self._vl_start[line], self._vl_end[line]
        limit = self._line_end(line)
        if x <= 0 or start == end:
            return start
        text = self._display[start:end]
        if is_single_cell(text):
            return min(start + x, limit)
        cells = 0
        for m in _GRAPHEME.finditer(self._display, start, end):
            cells += cell_width(m.group())
            if cells > x:
                return self._snap(min(m.start(), limit))
        return limit

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

    @property
    def _top(self) -> int:
        return int(self.scroll_offset.y)

    @property
    def _height(self) -> int:
        return self.scrollable_content_region.height

    def _scroll_into_view(self, how: Literal["nearest", "center"]) -> bool:
        """Scroll so the cursor's line is on screen; True if the view moved."""
        if not self._vl_start or self._height <= 0:
            return False
        line, top, height = self.vline_of(self._cursor), self._top, self._height
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

    def _refresh_offsets(self, start: int, end: int) -> None:
        """Redraw the on-screen visual lines from the one showing `start` to `end`'s."""
        if not self._vl_start:
            return
        top = self._top
        first = max(self.vline_of(start), top)
        last = min(self.vline_of(end), top + self._height - 1)
        if last >= first:
            self.refresh_lines(first, last - first + 1)

    # ------------------------------------------------------------------- layout

    def _index_highlights(self, highlights: Sequence[Highlight]) -> None:
        self._highlights = tuple(highlights)
        rows: dict[int, list[Highlight]] = {}
        starts, size = self._line_starts, len(self._body)
        for highlight in self._highlights:
            start, end = max(0, highlight.start), min(size, highlight.end)
            if start >= end:
                continue
            first = bisect_right(starts, start) - 1
            last = bisect_right(starts, end - 1) - 1
            for row in range(first, last + 1):
                rows.setdefault(row, []).append(highlight)
        self._rows_highlights = rows
        self._generation += 1

    def _rewrap(self, *, keep_top: bool = True) -> bool:
        """Wrap to the current width if it changed; False while the width is unknown."""
        region_width = self.scrollable_content_region.width
        if region_width <= 0:
            return False
        width = max(MIN_WRAP_WIDTH, region_width - GUTTER - 1)  # 1 spare cell for the cursor
        if width == self._wrap_width and self._vl_start:
            return True
        top_offset = None
        if keep_top and self._vl_start:
            top_offset = self._vl_start[min(self._top, len(self._vl_start) - 1)]
            if self._top_anchor is not None and self._top_anchor[1] == self._top:
                top_offset = self._top_anchor[0]  # not scrolled since the last re-wrap: no drift
        starts: list[int] = []
        ends: list[int] = []
        for base, line in zip(self._line_starts, self._display.split("\n"), strict=True):
            start = base
            for cut in wrap_offsets(line, width):
                starts.append(start)
                ends.append(base + cut)
                start = base + cut
            starts.append(start)
            ends.append(base + len(line))
        self._vl_start, self._vl_end, self._wrap_width = starts, ends, width
        self._strips.clear()
        self.virtual_size = Size(region_width, len(starts))
        if top_offset is not None:
            top = self.vline_of(top_offset)
            self.scroll_to(y=top, animate=False, force=True)
            self._top_anchor = (top_offset, top)
        return True

    def _scroll_after_load(self) -> None:
        self._scroll_pending = False
        self.scroll_to(0, 0, animate=False, force=True)
        self._scroll_into_view("center")

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()  # strips are as wide as the view
        if self._rewrap() and self._scroll_pending:
            self._scroll_after_load()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles_key = None
        self._strips.clear()

    # ------------------------------------------------------------------- render

    def _component_style(self, name: str) -> Style:
        """A component's own style, its translucent colours blended over our background."""
        styles = self.get_component_styles(name)
        background = self.background_colors[1]
        style = Style()
        if styles.has_rule("background"):
            style += Style(bgcolor=(background + styles.background).rich_color)
        if styles.has_rule("color"):
            style += Style(color=(background + styles.color).rich_color)
        return style + styles.text_style

    def _prepare_styles(self) -> None:
        base = self.rich_style
        if base == self._styles_key:
            return
        self._styles_key = self._base = base
        self._kind_styles = {kind: self._component_style(f"reader--{kind.value}") for kind in Kind}
        self._overlap_style = self._component_style("reader--overlap")
        self._selection_style = self._component_style("reader--selection")
        self._cursor_style = self._component_style("reader--cursor")
        self._gutter_style = self._component_style("reader--gutter")
        self._strips.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._prepare_styles()
        self._frame_cursor_line = self.vline_of(self._cursor) if self.has_focus else -1
        self._frame_selection = self.selection
        self._frame_width = self.scrollable_content_region.width
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._frame_width
        line = self._top + y
        if not 0 <= line < len(self._vl_start):
            return Strip.blank(width, self._base)
        start, end = self._vl_start[line], self._vl_end[line]
        selection = self._frame_selection
        dynamic = line == self._frame_cursor_line or (
            selection is not None and selection[0] < end and selection[1] > start
        )
        if not dynamic and (strip := self._strips.get(line)) is not None:
            return strip
        strip = self._render_visual_line(line, start, end, width, dynamic)
        if not dynamic:
            self._strips[line] = strip
        return strip

    def _render_visual_line(self, line: int, start: int, end: int, width: int, dynamic: bool) -> Strip:
        base = self._base
        text = self._display[start:end]
        marks: list[tuple[int, int, Style]] = []  # (from, to, style) relative to `start`

        row = bisect_right(self._line_starts, start) - 1
        here = [h for h in self._rows_highlights.get(row, ()) if h.start < end and h.end > start]
        kinds = {h.kind for h in here}
        if here:
            here.sort(key=lambda h: _KIND_ORDER.index(h.kind))
            spans = [(max(h.start, start) - start, min(h.end, end) - start) for h in here]
            for (a, b), h in zip(spans, here, strict=True):
                if a < b:
                    marks.append((a, b, self._kind_styles[h.kind]))
            if len(here) > 1:
                points = sorted({p for span in spans for p in span})
                for a, b in itertools.pairwise(points):
                    if sum(1 for s, e in spans if s <= a and e >= b) > 1:
                        marks.append((a, b, self._overlap_style))

        if dynamic:
            selection = self._frame_selection
            if selection is not None:
                a, b = max(selection[0], start) - start, min(selection[1], end) - start
                if a < b:
                    marks.append((a, b, self._selection_style))
            if line == self._frame_cursor_line:
                at = self._cursor - start
                if at >= len(text):
                    text += " "  # the cursor after the last character
                    marks.append((len(text) - 1, len(text), self._cursor_style))
                else:
                    after = min(segment.next_grapheme(self._display, self._cursor) - start, len(text))
                    marks.append((at, after, self._cursor_style))

        if not kinds:
            letter, letter_style = " ", base
        elif len(kinds) == 1:
            (kind,) = kinds
            letter, letter_style = kind.letter, base + self._kind_styles[kind] + self._gutter_style
        else:
            letter, letter_style = "*", base + self._overlap_style + self._gutter_style
        segments = [Segment(letter, letter_style), Segment(" ", base)]
        if not marks:
            segments.append(Segment(text, base))
        else:
            points = sorted({0, len(text), *(p for a, b, _ in marks for p in (a, b))})
            for a, b in itertools.pairwise(points):
                style = base
                for s, e, mark in marks:
                    if s <= a and e >= b:
                        style += mark
                segments.append(Segment(text[a:b], style))
        # Pieces cut inside a cluster (a highlight ending mid-emoji) may not add up: let Rich
        # measure those; single-cell text (the common case) is measured here, cheaply.
        known = not marks or is_single_cell(text)
        strip = Strip(segments, GUTTER + cell_width(text) if known else None)
        if strip.cell_length > width:
            return strip.crop(0, width)
        return strip.extend_cell_length(width, base)

    # -------------------------------------------------------------------- focus

    def on_focus(self) -> None:
        self._refresh_offsets(self._cursor, self._cursor)

    def on_blur(self) -> None:
        self._refresh_offsets(self._cursor, self._cursor)

    # -------------------------------------------------------------------- mouse

    def _offset_at_cell(self, x: int, y: int) -> int:
        line = self._top + y
        if line < 0:
            return 0
        if line >= len(self._vl_start):
            return len(self._body)
        return self._offset_at(line, x - GUTTER)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or not self._vl_start:
            return
        self.focus()
        x, y = event.get_content_offset_capture(self)
        offset = self._offset_at_cell(x, y)
        anchor = self._extend_from() if event.shift else offset
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
        if self._anchor == self._cursor:
            self._update(self._cursor, None)

    def on_click(self, event: events.Click) -> None:
        if event.chain < 2 or not self._vl_start:
            return
        x, y = event.get_content_offset_capture(self)
        offset = self._offset_at_cell(x, y)
        unit = segment.word_at if event.chain == 2 else segment.sentence_at
        start, end = unit(self._body, offset)
        if start < end:
            self._update(end, start, selecting=False)

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
        self.scroll_to(y=self._top + self._autoscroll_step, animate=False, force=True)
        edge = 0 if self._autoscroll_step < 0 else self._height - 1
        self._update(self._offset_at_cell(self._drag_x, edge), self._anchor)
