"""Where each character of an article is drawn: the wrap table and offset ↔ cell maths.

Pure (no Textual), like Textual's own `WrappedDocument` beside `TextArea`: the reader widget
asks a `WrapLayout` which visual line shows an offset, which offset is drawn at a cell, and
where a visual line ends, and keeps only rendering, input and messages for itself. Every
position is a code-point offset into the stored body (docs/ARCHITECTURE.md: offsets are `str`
indices; terminal columns are not offsets).

The wrap is lazy. Wrapping a 1 MB article at once took 40 % of opening it (35–190 ms), for a
screen that shows 40 lines. So the body is cut into chunks of whole body lines (about
`CHUNK_CHARS` characters each), and only a *prefix* of them is wrapped: as far as the lines
asked for so far (the view, the cursor, a move's target). Every question about an offset or a
line first extends the prefix far enough to answer it exactly, so the answers are the ones
a full wrap gives. The lines after the prefix are only counted by an estimate (`line_count`
is exact lines + that estimate) until `wrap_more` — the reader calls it while idle — or a
question (`G`, a jump) reaches them. Extending the prefix never renumbers a line already
wrapped: a visual line's number is final once it exists, so the view, the cursor line and
the reader's cached strips never move under the widget; only the scrollbar's total changes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import pairwise

import regex

from nkreader.text import segment
from nkreader.text.sanitize import sanitize
from nkreader.text.wrap import cell_width, is_single_cell, wrap_offsets

__all__ = ["CHUNK_CHARS", "MIN_WRAP_WIDTH", "WrapLayout", "display_text"]

MIN_WRAP_WIDTH = 8
"""Narrower panes still wrap at this width (and crop): a 1 MB body at width 1 would not."""

CHUNK_CHARS = 8192
"""About how many characters are wrapped at a time (whole body lines: a longer line is one chunk)."""

_GRAPHEME = regex.compile(r"\X")


def display_text(body: str) -> str:
    """`body` as drawn: every control or bidi control replaced, line breaks kept, same length.

    The body is sanitized at import; this is the last line of defence, by `text.sanitize`'s one
    policy in its offset-keeping "display" mode (U+FFFD for each unsafe character, a tab a space).
    """
    return sanitize(body, "display")


class WrapLayout:
    """The visual lines of one body at one width, wrapped as far as they have been asked for.

    `line_starts` are the offsets where the body's lines (split at "\\n") begin; visual line
    `i` shows `line_span(i)`. Until `wrap` is called with a width there are no visual lines
    (the widget does not know its width before the first layout).
    """

    def __init__(self, body: str = "") -> None:
        self.body = body
        self.display = display_text(body)
        self.line_starts: list[int] = [0, *(m.end() for m in re.finditer("\n", body))]
        self.width = 0
        self._starts: list[int] = []  # the wrapped prefix's visual lines: [start, end) each
        self._ends: list[int] = []
        # Chunks: runs of whole body lines; chunk i is rows [_chunk_rows[i], _chunk_rows[i + 1]).
        starts, rows = self.line_starts, len(self.line_starts)
        chunk_rows = [0]
        while chunk_rows[-1] < rows:
            row = chunk_rows[-1]
            chunk_rows.append(max(row + 1, bisect_left(starts, starts[row] + CHUNK_CHARS, row)))
        self._chunk_rows = chunk_rows
        self._cells = [self._chunk_cells(i) for i in range(len(chunk_rows) - 1)]
        self._estimates: list[int] = []
        self._done = 0  # chunks wrapped
        self._rest = 0  # estimated visual lines of the chunks not wrapped yet

    def _chunk_offsets(self, chunk: int) -> tuple[int, int]:
        """[start, end) of the chunk's text, its last line break excluded."""
        rows = self._chunk_rows
        start = self.line_starts[rows[chunk]]
        end = self.line_starts[rows[chunk + 1]] - 1 if rows[chunk + 1] < len(self.line_starts) else len(self.body)
        return start, end

    def _chunk_cells(self, chunk: int) -> int:
        # About the cells the chunk's text takes: a wide (CJK, Hangul) character is 3 bytes of
        # UTF-8 and 2 cells, an ASCII one 1 and 1; close enough for a scrollbar's estimate.
        start, end = self._chunk_offsets(chunk)
        text = self.display[start:end]
        return len(text) if text.isascii() else (len(text) + len(text.encode("utf-8"))) // 2

    # ------------------------------------------------------------------ wrapping

    @property
    def wrapped(self) -> bool:
        """True once a width is known (lines can be asked for)."""
        return self.width > 0

    @property
    def complete(self) -> bool:
        """True when every line is wrapped (`line_count` is exact)."""
        return self._done >= len(self._cells)

    @property
    def line_count(self) -> int:
        """How many visual lines there are (0 before the first wrap); an estimate for the part
        not wrapped yet, exact once `complete`."""
        return len(self._starts) + self._rest if self.width else 0

    @property
    def wrapped_lines(self) -> int:
        """How many visual lines are wrapped so far (the rest of `line_count` is estimated)."""
        return len(self._starts)

    @property
    def exact_end(self) -> int:
        """The offset up to which lines are wrapped (questions below it wrap nothing)."""
        return self._chunk_offsets(self._done)[0] if not self.complete else len(self.body) + 1

    def wrap(self, width: int) -> bool:
        """Wrap to `width` cells (at least `MIN_WRAP_WIDTH`); False if already wrapped so.

        Nothing is wrapped yet: the lines are wrapped as they are asked for."""
        width = max(MIN_WRAP_WIDTH, width)
        if width == self.width:
            return False
        self.width = width
        self._starts, self._ends, self._done = [], [], 0
        # Greedy wrapping leaves about half a word free at each line's end, and a body line's
        # last visual line is on average a bit over half full.
        per_line = max(1.0, width - 3.0)
        rows = [b - a for a, b in pairwise(self._chunk_rows)]
        self._estimates = [
            max(1, round(n * 0.65 + cells / per_line)) for n, cells in zip(rows, self._cells, strict=True)
        ]
        self._rest = sum(self._estimates)
        return True

    def wrap_more(self, chars: int) -> bool:
        """Wrap about `chars` more characters after the prefix; True when every line is wrapped."""
        target = self.exact_end + chars
        while not self.complete and self._chunk_offsets(self._done)[0] < target:
            self._wrap_chunk()
        return self.complete

    def _wrap_chunk(self) -> None:
        chunk, width = self._done, self.width
        first, last = self._chunk_rows[chunk], self._chunk_rows[chunk + 1]
        start, end = self._chunk_offsets(chunk)
        starts, ends, line_starts = self._starts, self._ends, self.line_starts
        for row, line in zip(range(first, last), self.display[start:end].split("\n"), strict=True):
            base = line_starts[row]
            at = base
            for cut in wrap_offsets(line, width):
                starts.append(at)
                ends.append(base + cut)
                at = base + cut
            starts.append(at)
            ends.append(base + len(line))
        self._rest -= self._estimates[chunk]
        self._done += 1

    def _cover_offset(self, offset: int) -> None:
        """Wrap until the line showing `offset` is known."""
        if not self.width:
            return
        if offset >= len(self.body):
            while not self.complete:
                self._wrap_chunk()
            return
        while not self.complete and offset >= self._chunk_offsets(self._done)[0]:
            self._wrap_chunk()

    def _cover_line(self, line: int) -> None:
        """Wrap until visual line `line` is known (or every line is)."""
        while line >= len(self._starts) and not self.complete and self.width:
            self._wrap_chunk()

    def has_line(self, line: int) -> bool:
        """True if visual line `line` exists."""
        self._cover_line(line)
        return 0 <= line < len(self._starts)

    def line_span(self, line: int) -> tuple[int, int]:
        """The `[start, end)` offsets visual line `line` shows (it must exist: `has_line`)."""
        self._cover_line(line)
        return self._starts[line], self._ends[line]

    @property
    def vl_start(self) -> list[int]:
        """Where every visual line starts (wraps the whole body: for tests and tools)."""
        self._cover_offset(len(self.body))
        return self._starts

    @property
    def vl_end(self) -> list[int]:
        """Where every visual line ends (wraps the whole body: for tests and tools)."""
        self._cover_offset(len(self.body))
        return self._ends

    # ------------------------------------------------------------------ offsets and lines

    def snap(self, offset: int) -> int:
        """`offset` clamped to the body and moved back to a grapheme boundary."""
        return segment.grapheme_floor(self.body, max(0, min(offset, len(self.body))))

    def row_of(self, offset: int) -> int:
        """The body line (0-based, split at "\\n") that holds `offset`."""
        return bisect_right(self.line_starts, offset) - 1

    def vline_of(self, offset: int) -> int:
        """The visual line that shows `offset` (0 before the first wrap)."""
        self._cover_offset(offset)
        return max(0, bisect_right(self._starts, offset) - 1)

    def is_last_of_row(self, line: int) -> bool:
        """True if visual line `line` ends its body line (is not continued by a wrap)."""
        self._cover_line(line + 1)
        return line + 1 >= len(self._starts) or self._starts[line + 1] != self._ends[line]

    def line_end(self, line: int) -> int:
        """The last cursor position on a visual line (a wrapped line's end shows on the next)."""
        end = self.line_span(line)[1]
        if self.is_last_of_row(line):
            return end
        return segment.prev_grapheme(self.body, end)

    def x_of(self, offset: int, line: int) -> int:
        """The cell (from the text's left edge) at which `offset` is drawn on visual line `line`."""
        return cell_width(self.display[self.line_span(line)[0] : offset])

    def offset_at(self, line: int, x: int) -> int:
        """The offset drawn at cell `x` of visual line `line` (both clamped)."""
        self._cover_line(line)
        line = max(0, min(line, len(self._starts) - 1))
        start, end = self._starts[line], self._ends[line]
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
        if not self.width:
            return 0, 0
        self._cover_line(top + max(1, height))
        top = max(0, min(top, len(self._starts) - 1))
        bottom = min(top + max(1, height), len(self._starts)) - 1
        return self._starts[top], self._ends[bottom]

    def position_label(self, offset: int) -> str:
        """Where `offset` is, for a status line: ``"ln 12/340 · 3%"``."""
        row = bisect_right(self.line_starts, offset)
        percent = 100 * offset // len(self.body) if self.body else 0
        return f"ln {row}/{len(self.line_starts)} · {percent}%"
