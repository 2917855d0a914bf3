"""Where each character of an article is drawn: the wrap table and offset ↔ cell maths.

Pure (no Textual), like Textual's own `WrappedDocument` beside `TextArea`: the reader widget
asks a `WrapLayout` which visual line shows an offset, which offset is drawn at a cell, and
where a visual line ends, and keeps only rendering, input and messages for itself. Every
position is a code-point offset into the stored body (docs/ARCHITECTURE.md: offsets are `str`
indices; terminal columns are not offsets).
"""

from __future__ import annotations

import re
from bisect import bisect_right

import regex

from nkreader.text import segment
from nkreader.text.sanitize import sanitize
from nkreader.text.wrap import cell_width, is_single_cell, wrap_offsets

__all__ = ["MIN_WRAP_WIDTH", "WrapLayout", "display_text"]

MIN_WRAP_WIDTH = 8
"""Narrower panes still wrap at this width (and crop): a 1 MB body at width 1 would not."""

_GRAPHEME = regex.compile(r"\X")


def display_text(body: str) -> str:
    """`body` as drawn: every control or bidi control replaced, line breaks kept, same length.

    The body is sanitized at import; this is the last line of defence, by `text.sanitize`'s one
    policy in its offset-keeping "display" mode (U+FFFD for each unsafe character, a tab a space).
    """
    return sanitize(body, "display")


class WrapLayout:
    """The visual lines of one body at one width.

    `line_starts` are the offsets where the body's lines (split at "\\n") begin; a visual line
    `i` shows `[vl_start[i], vl_end[i])`. Until `wrap` is called with a width there are no
    visual lines (the widget does not know its width before the first layout).
    """

    def __init__(self, body: str = "") -> None:
        self.body = body
        self.display = display_text(body)
        self.line_starts: list[int] = [0, *(m.end() for m in re.finditer("\n", body))]
        self.vl_start: list[int] = []
        self.vl_end: list[int] = []
        self.width = 0

    # ------------------------------------------------------------------ wrapping

    @property
    def wrapped(self) -> bool:
        return bool(self.vl_start)

    @property
    def line_count(self) -> int:
        """How many visual lines there are (0 before the first wrap)."""
        return len(self.vl_start)

    def wrap(self, width: int) -> bool:
        """Wrap to `width` cells (at least `MIN_WRAP_WIDTH`); False if already wrapped so."""
        width = max(MIN_WRAP_WIDTH, width)
        if width == self.width and self.vl_start:
            return False
        starts: list[int] = []
        ends: list[int] = []
        for base, line in zip(self.line_starts, self.display.split("\n"), strict=True):
            start = base
            for cut in wrap_offsets(line, width):
                starts.append(start)
                ends.append(base + cut)
                start = base + cut
            starts.append(start)
            ends.append(base + len(line))
        self.vl_start, self.vl_end, self.width = starts, ends, width
        return True

    # ------------------------------------------------------------------ offsets and lines

    def snap(self, offset: int) -> int:
        """`offset` clamped to the body and moved back to a grapheme boundary."""
        return segment.grapheme_floor(self.body, max(0, min(offset, len(self.body))))

    def row_of(self, offset: int) -> int:
        """The body line (0-based, split at "\\n") that holds `offset`."""
        return bisect_right(self.line_starts, offset) - 1

    def vline_of(self, offset: int) -> int:
        """The visual line that shows `offset` (0 before the first wrap)."""
        return max(0, bisect_right(self.vl_start, offset) - 1)

    def is_last_of_row(self, line: int) -> bool:
        """True if visual line `line` ends its body line (is not continued by a wrap)."""
        return line + 1 >= len(self.vl_start) or self.vl_start[line + 1] != self.vl_end[line]

    def line_end(self, line: int) -> int:
        """The last cursor position on a visual line (a wrapped line's end shows on the next)."""
        end = self.vl_end[line]
        if self.is_last_of_row(line):
            return end
        return segment.prev_grapheme(self.body, end)

    def x_of(self, offset: int, line: int) -> int:
        """The cell (from the text's left edge) at which `offset` is drawn on visual line `line`."""
        return cell_width(self.display[self.vl_start[line] : offset])

    def offset_at(self, line: int, x: int) -> int:
        """The offset drawn at cell `x` of visual line `line` (both clamped)."""
        line = max(0, min(line, len(self.vl_start) - 1))
        start, end = self.vl_start[line], self.vl_end[line]
        limit = self.line_end(line)
        if x <= 0 or start == end:
            return start
        text = self.display[start:end]
        if is_single_cell(text):
            return min(start + x, limit)
        cells = 0
        for m in _GRAPHEME.finditer(self.display, start, end):
            cells += cell_width(m.group())
            if cells > x:
                return self.snap(min(m.start(), limit))
        return limit

    def span_of_lines(self, top: int, height: int) -> tuple[int, int]:
        """Offsets of the first character of line `top` and past the last of `height` lines."""
        if not self.vl_start:
            return 0, 0
        top = max(0, min(top, len(self.vl_start) - 1))
        bottom = min(top + max(1, height), len(self.vl_start)) - 1
        return self.vl_start[top], self.vl_end[bottom]

    def position_label(self, offset: int) -> str:
        """Where `offset` is, for a status line: ``"ln 12/340 · 3%"``."""
        row = bisect_right(self.line_starts, offset)
        percent = 100 * offset // len(self.body) if self.body else 0
        return f"ln {row}/{len(self.line_starts)} · {percent}%"
