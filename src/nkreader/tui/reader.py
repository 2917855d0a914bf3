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

from collections.abc import Callable, Sequence
from typing import ClassVar, Literal

from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.keys import key_to_character
from textual.message import Message
from textual.strip import Strip

from nkreader.text import motions, navigation, segment
from nkreader.text.highlights import Highlight, HighlightIndex
from nkreader.text.layout import WrapLayout
from nkreader.text.navigation import Direction
from nkreader.tui.reader_mouse import ReaderMouse
from nkreader.tui.reader_render import GUTTER, LineStyles, line_styles, render_visual_line

__all__ = ["GUTTER", "Direction", "Highlight", "ReaderView"]


_UNIT_MOVES: dict[str, tuple[str, bool]] = {
    "sentence_next": ("sentence", True),
    "sentence_prev": ("sentence", False),
    "paragraph_next": ("paragraph", True),
    "paragraph_prev": ("paragraph", False),
}
"""Moves that, while a selection grows forward, land on a unit's last character (`motions.extending_target`)."""


class ReaderView(ReaderMouse, can_focus=True, inherit_bindings=False):
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
        Binding("f", "find_char('f')", "To char", show=False, id="reader.to_char"),
        Binding("F", "find_char('F')", "Back to char", show=False, id="reader.back_to_char"),
        Binding("t", "find_char('t')", "Till char", show=False, id="reader.till_char"),
        Binding("T", "find_char('T')", "Back till char", show=False, id="reader.back_till_char"),
        Binding("semicolon", "repeat_find_char(False)", "Repeat f/t", show=False, id="reader.repeat_char"),
        Binding("comma", "repeat_find_char(True)", "Repeat f/t back", show=False, id="reader.repeat_char_back"),
        Binding("e", "move_to_end('word')", "Word end", show=False, id="reader.word_end"),
        Binding("right_square_bracket", "move_to_end('clause')", "Clause end", show=False, id="reader.clause_end"),
        Binding(
            "left_square_bracket", "move_to_end('clause_start')", "Clause start", show=False,
            id="reader.clause_start",
        ),
        Binding("o", "swap_ends", "Other end", show=False, id="reader.swap_ends"),
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
    | f / F, t / T (selecting) | reader.to_char … | To / back to (till: just before) the next typed character. |
    | ; / , | reader.repeat_char / reader.repeat_char_back | Repeat the last f/t/F/T, the same / other way. |
    | e (selecting) | reader.word_end | End of the word. |
    | ] / [ | reader.clause_end / reader.clause_start | End of the clause (comma, semicolon, dash) / its start. |
    | o | reader.swap_ends | Move the other end of the selection. |
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
        "reader--current",
        "reader--suggestion",
    }
    """
    | Class | Description |
    | :- | :- |
    | `reader--claim`, `reader--quote`, `reader--policy` | A highlight of that kind. |
    | `reader--overlap` | Text under two or more highlights (violet; the gutter shows `*`). |
    | `reader--selection` | The selection (drawn over highlights). |
    | `reader--cursor` | The cursor (drawn over everything). |
    | `reader--gutter` | The kind letters left of the text. |
    | `reader--current` | The annotation the edit keys act on (drawn over its kind). |
    | `reader--suggestion` | A suggested span: faded text, no background (never taken for a mark). |
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
        & > .reader--current { text-style: bold underline; }
        & > .reader--suggestion { color: $foreground 50%; text-style: dim; }
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
        self._layout = WrapLayout()
        self._scroll_pending = False  # load() came before the first wrap: scroll to the cursor then
        self._top_anchor: tuple[int, int] | None = None  # (offset, line) kept on top by the last re-wrap
        self._cursor = 0
        self._anchor: int | None = None
        self._selecting = False
        self._goal_x: int | None = None  # sticky column (cells) for up/down
        self._pending_char: str | None = None  # "f", "F", "t" or "T" waiting for its character
        self._last_char_find: tuple[str, str] | None = None  # (motion, character) for ; and ,
        self._index = HighlightIndex()
        self._generation = 0  # bumped when the highlights change
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
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
        """Replace the highlights and redraw (the wrap is kept)."""
        self._index_highlights(highlights)
        self._strips.clear()
        self.refresh()

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

    def action_move(self, direction: Direction) -> None:
        """Move the cursor; in selecting mode the selection follows, otherwise it is cleared."""
        if direction in ("page_up", "page_down"):
            self._page(direction, extend=self._selecting)
            return
        if self._selecting and self._anchor is not None and direction in _UNIT_MOVES:
            unit, forward = _UNIT_MOVES[direction]
            target = motions.extending_target(self.body, self._anchor, self._cursor, unit, forward)
            if target is not None:
                self._update(self._layout.snap(target), self._anchor)
                return
        moved = navigation.move(self._layout, self._cursor, direction, self._goal_x)
        anchor = self._anchor if self._selecting else None
        self._goal_x = moved.goal_x
        self._update(moved.offset, anchor, keep_goal=moved.goal_x is not None)

    def action_extend(self, direction: Direction) -> None:
        """Move the cursor and extend the selection (starting one at the cursor)."""
        if direction in ("page_up", "page_down"):
            self._page(direction, extend=True)
            return
        moved = navigation.move(self._layout, self._cursor, direction, self._goal_x)
        self._goal_x = moved.goal_x
        self._update(moved.offset, self._extend_from(), keep_goal=moved.goal_x is not None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``t`` and ``e`` are motions only while selecting; reading, they are the Tags and Note keys."""
        if (action, parameters) in (("find_char", ("t",)), ("move_to_end", ("word",))):
            return self._selecting
        if action == "swap_ends":
            return self._anchor is not None
        return True

    def action_find_char(self, motion: str) -> None:
        """Wait for a character, then go to it (``f``), just before it (``t``), or back (``F``, ``T``)."""
        if motion == "t" and not self._selecting:
            raise SkipAction()
        self._pending_char = motion

    def action_repeat_find_char(self, reverse: bool) -> None:
        """``;`` repeats the last ``f``/``t``/``F``/``T``; ``,`` repeats it the other way."""
        if self._last_char_find is None:
            self.app.bell()
            return
        motion, char = self._last_char_find
        if reverse:
            motion = motion.swapcase()
        self._go_to_char(motion, char, repeat=True)

    def action_move_to_end(self, unit: str) -> None:
        """To the end of the word (selecting), to the end or start of the clause."""
        body, cursor = self.body, self._cursor
        if unit == "word":
            if not self._selecting:
                raise SkipAction()
            target = motions.word_end(body, cursor)
        elif unit == "clause":
            target = motions.clause_end(body, cursor)
        else:
            target = motions.clause_start(body, cursor)
        anchor = self._anchor if self._selecting else None
        self._update(self._layout.snap(target), anchor)

    def action_swap_ends(self) -> None:
        """Make the other end of the selection the one that moves."""
        if self._anchor is None:
            raise SkipAction()
        self._update(self._anchor, self._cursor, selecting=True if self._selecting else None)

    def on_key(self, event: events.Key) -> None:
        motion, self._pending_char = self._pending_char, None
        if motion is None:
            return
        event.stop()
        event.prevent_default()
        char = event.character or key_to_character(event.key)
        if event.key == "escape" or not char or not char.isprintable():
            return
        self._last_char_find = (motion, char)
        self._go_to_char(motion, char, repeat=False)

    def _go_to_char(self, motion: str, char: str, *, repeat: bool) -> None:
        target = motions.find_char(
            self.body, self._cursor, char, forward=motion in ("f", "t"), till=motion in ("t", "T"), repeat=repeat
        )
        if target is None:
            self.app.bell()
            return
        anchor = self._anchor if self._selecting else None
        self._update(self._layout.snap(target), anchor)

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

    def _extend_from(self) -> int:
        """The anchor a selection extends from: the current one, else the cursor."""
        return self._cursor if self._anchor is None else self._anchor

    def _select_units(self, unit_at: Callable[[str, int], tuple[int, int]]) -> None:
        span = navigation.grow_to_units(self.body, self._cursor, self.selection, unit_at)
        if span is None:
            self.app.bell()
            return
        # Selecting goes on: `s )` grows the sentence by the next one, `o` moves its start.
        self.select_span(*span, selecting=True)

    def _page(self, direction: Direction, *, extend: bool) -> None:
        if not self._layout.wrapped:
            return
        moved, step = navigation.page(
            self._layout, self._cursor, direction == "page_up", self._height, self._goal_x
        )
        self._goal_x = moved.goal_x
        self.scroll_to(y=self._top + step, animate=False, force=True)
        anchor = self._extend_from() if extend else None
        self._update(moved.offset, anchor, keep_goal=True)

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
        if not self._layout.wrapped or self._height <= 0:
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
        if not self._layout.wrapped:
            return
        top = self._top
        first = max(self.vline_of(start), top)
        last = min(self.vline_of(end), top + self._height - 1)
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
            top_offset = layout.vl_start[min(self._top, layout.line_count - 1)]
            if self._top_anchor is not None and self._top_anchor[1] == self._top:
                top_offset = self._top_anchor[0]  # not scrolled since the last re-wrap: no drift
        if not layout.wrap(region_width - GUTTER - 1):  # 1 spare cell for the cursor
            return True
        self._strips.clear()
        self.virtual_size = Size(region_width, layout.line_count)
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

    def _prepare_styles(self) -> None:
        base = self.rich_style
        if base == self._styles_key:
            return
        self._styles_key = base
        self._styles = line_styles(self, base)
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
        layout = self._layout
        if not 0 <= line < layout.line_count:
            return Strip.blank(width, self._styles.base)
        start, end = layout.vl_start[line], layout.vl_end[line]
        selection = self._frame_selection
        on_selection = selection is not None and selection[0] < end and selection[1] > start
        on_cursor = line == self._frame_cursor_line
        dynamic = on_cursor or on_selection
        if not dynamic and (strip := self._strips.get(line)) is not None:
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
            self._strips[line] = strip
        return strip

    # -------------------------------------------------------------------- focus

    def on_focus(self) -> None:
        self._refresh_offsets(self._cursor, self._cursor)

    def on_blur(self) -> None:
        self._refresh_offsets(self._cursor, self._cursor)
