"""The target offset of each cursor movement, and find-in-article (pure).

Like Textual's `DocumentNavigator` beside `TextArea`: given a `WrapLayout`, a cursor and a
direction, say where the cursor goes. The reader widget only applies the answer (scrolls,
redraws, posts messages), so the rules are tested without a terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import regex

from nkreader.text import segment
from nkreader.text.layout import WrapLayout

__all__ = ["Direction", "Move", "find", "find_span", "grow_to_units", "move", "page", "vertical"]

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
class Move:
    """Where a movement puts the cursor, and the sticky column (cells) to keep for up/down."""

    offset: int
    goal_x: int | None = None
    """Set by vertical moves (the column the next up/down aims at); None after any other move."""


def vertical(layout: WrapLayout, cursor: int, lines: int, goal_x: int | None) -> Move:
    """`lines` visual lines down (negative: up), aiming at column `goal_x` (else the cursor's)."""
    if not layout.wrapped:
        return Move(cursor, goal_x)
    while True:  # wrap every chunk between the two lines, until that renumbers nothing more
        version = layout.version
        line = layout.vline_of(cursor)
        layout.cover(line + min(0, lines), line + max(0, lines))
        if layout.version == version:
            break
    if goal_x is None:
        goal_x = layout.x_of(cursor, line)
    target = max(0, min(layout.line_count - 1, line + lines))
    return Move(layout.offset_at(target, goal_x), goal_x)


def move(layout: WrapLayout, cursor: int, direction: Direction, goal_x: int | None = None) -> Move:
    """Where `direction` takes the cursor (page moves: see `page`, they need the view height)."""
    if direction in ("up", "down"):
        return vertical(layout, cursor, -1 if direction == "up" else 1, goal_x)
    body = layout.body
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
            target = layout.line_span(layout.vline_of(cursor))[0] if layout.wrapped else cursor
        case "line_end":
            target = layout.line_end(layout.vline_of(cursor)) if layout.wrapped else cursor
        case _:
            target = cursor
    return Move(layout.snap(target))


def page(layout: WrapLayout, cursor: int, up: bool, height: int, goal_x: int | None) -> tuple[Move, int]:
    """One page (a view `height` less one line) up or down: the move and the lines to scroll.

    On the first (last) page the cursor goes to the very start (end) of the article.
    """
    step = max(1, height - 1) * (-1 if up else 1)
    moved = vertical(layout, cursor, step, goal_x)
    if layout.vline_of(moved.offset) == layout.vline_of(cursor):
        moved = Move(0 if up else len(layout.body), moved.goal_x)
    return moved, step


def grow_to_units(
    body: str,
    cursor: int,
    selection: tuple[int, int] | None,
    unit_at: Callable[[str, int], tuple[int, int]],
) -> tuple[int, int] | None:
    """The unit (sentence, paragraph) under the cursor, or `selection` grown to whole units.

    None when there is no unit there (the cursor on blank space).
    """
    if selection is None:
        start, end = unit_at(body, cursor)
    else:
        start = unit_at(body, selection[0])[0]
        end = unit_at(body, max(selection[0], selection[1] - 1))[1]
        start, end = min(start, selection[0]), max(end, selection[1])
    return (start, end) if start < end else None


@lru_cache(maxsize=32)
def _find_pattern(needle: str) -> regex.Pattern[str] | None:
    words = unicodedata.normalize("NFC", needle).split()
    if not words:
        return None
    # Case-insensitive with full case folding ("STRASSE" finds "Straße"); runs of whitespace
    # in the needle match any whitespace (a line break, a paragraph break).
    return regex.compile(r"\s+".join(map(regex.escape, words)), regex.IGNORECASE | regex.FULLCASE)


def find_span(body: str, needle: str, start: int) -> tuple[int, int] | None:
    """The first match of `needle` at or after `start`, wrapping around, as `(start, end)`."""
    pattern = _find_pattern(needle)
    if pattern is None:
        return None
    start = max(0, min(start, len(body)))
    match = pattern.search(body, start) or pattern.search(body, 0)
    return None if match is None else match.span()


def find(body: str, needle: str, start: int) -> int | None:
    """Offset of the first match of `needle` at or after `start`, wrapping around.

    Case-insensitive with full case folding (Latin); Korean matches exactly.
    """
    pattern = _find_pattern(needle)
    if pattern is None:
        return None
    start = max(0, min(start, len(body)))
    match = pattern.search(body, start) or pattern.search(body, 0)
    return None if match is None else match.start()
