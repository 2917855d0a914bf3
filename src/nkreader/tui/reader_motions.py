"""The reader's key actions: moving the cursor and growing a selection — arrows, words, sentences,
paragraphs, pages; ``v``, ``s``, ``S``; the character and clause motions ``f``/``t``/``F``/``T`` with
``;`` and ``,``, ``e``, ``]`` / ``[``; and ``o`` (the other end of a selection).

A base class of `ReaderView` (tui/reader.py), as `ReaderMouse` is for the mouse: the targets are the
pure functions of `nkreader.text.motions`; this class keeps the one piece of state they need (a
character motion waiting for its character, and the last one for repeating) and applies the answer
through the widget's `_update`. The movement targets come from `nkreader.text.navigation`.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.actions import SkipAction
from textual.keys import key_to_character

from nkreader.text import motions, navigation, segment
from nkreader.text.navigation import Direction
from nkreader.tui.reader_mouse import ReaderMouse

__all__ = ["ReaderMotions"]


_UNIT_MOVES: dict[str, tuple[str, bool]] = {
    "sentence_next": ("sentence", True),
    "sentence_prev": ("sentence", False),
    "paragraph_next": ("paragraph", True),
    "paragraph_prev": ("paragraph", False),
}
"""Moves that, while a selection grows forward, land on a unit's last character (`motions.extending_target`)."""


class ReaderMotions(ReaderMouse):
    """Character and clause motions over the widget's cursor and selection."""

    _selecting: bool
    _goal_x: int | None

    @property
    def selection(self) -> tuple[int, int] | None:
        raise NotImplementedError

    def select_span(self, start: int, end: int, *, selecting: bool = False) -> None:
        raise NotImplementedError

    def clear_selection(self) -> None:
        raise NotImplementedError

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._pending_char: str | None = None  # "f", "F", "t" or "T" waiting for its character
        self._last_char_find: tuple[str, str] | None = None  # (motion, character) for ; and ,

    @property
    def waiting_for_char(self) -> bool:
        """``f``/``t``/``F``/``T`` was pressed: the next key is the character to go to, not a command
        (the screen's priority keys step aside: ``fH`` goes to the next "H")."""
        return self._pending_char is not None

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
        self._reanchor()  # the page may have wrapped lines above the view
        self._sync_height()
        self.scroll_to(y=self._top + step, animate=False, force=True)
        anchor = self._extend_from() if extend else None
        self._update(moved.offset, anchor, keep_goal=True)
