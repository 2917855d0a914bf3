"""Where each character of an article is drawn: the wrap table and offset ↔ cell maths.

Pure (no Textual), like Textual's own `WrappedDocument` beside `TextArea`: the reader widget
asks a `WrapLayout` which visual line shows an offset, which offset is drawn at a cell, and
where a visual line ends, and keeps only rendering, input and messages for itself. Every
position is a code-point offset into the stored body (docs/ARCHITECTURE.md: offsets are `str`
indices; terminal columns are not offsets).

The wrap is lazy. Wrapping a 1 MB article at once took 40 % of opening it (35–190 ms), for a
screen that shows 40 lines — and reopening it at the saved position half-way through must not
wrap the half before it either. So the body is cut into chunks of whole body lines (about
`CHUNK_CHARS` characters each); a chunk wraps on its own, and only the chunks asked about are
wrapped (the view, the cursor, a move's span). A chunk not wrapped yet counts as an estimate
of its lines, so a line's number is the sum of the counts before it: exact within and between
wrapped chunks, shifted when a chunk *before* it is wrapped and its estimate corrected. `version`
moves on with every such correction; the reader keeps the text at the top of its view by offset
and scrolls to it again when the version moved (the user sees no jump, only the scrollbar
thumb moving). `wrap_more` wraps what follows a place, in the reader's idle steps.
Questions about a range of lines (a move of n lines, a page) first wrap every chunk between its
ends (`cover`), so they are answered exactly as a full wrap would.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate, pairwise

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
        # each line starts one past the previous line's end (C-level sums: 1 MB in ~1 ms)
        lengths = map((1).__add__, map(len, body.split("\n")))
        self.line_starts: list[int] = list(accumulate(lengths, initial=0))[:-1]
        self.width = 0
        self.version = 0
        """Moves on whenever lines are renumbered (a chunk before them was wrapped)."""
        # Chunks: runs of whole body lines; chunk i is rows [_chunk_rows[i], _chunk_rows[i + 1]).
        starts, rows = self.line_starts, len(self.line_starts)
        chunk_rows = [0]
        while chunk_rows[-1] < rows:
            row = chunk_rows[-1]
            chunk_rows.append(max(row + 1, bisect_left(starts, starts[row] + CHUNK_CHARS, row)))
        self._chunk_rows = chunk_rows
        self._chunk_starts = [starts[r] for r in chunk_rows[:-1]]
        self._cells = [self._chunk_cells(i) for i in range(len(self._chunk_starts))]
        self._lines: list[tuple[list[int], list[int]] | None] = []  # each chunk's (starts, ends), once wrapped
        self._counts: list[int] = []  # each chunk's lines: exact once wrapped, else an estimate
        self._firsts: list[int] = [0]  # the first line of each chunk (and the total, last)
        self._pending = 0  # chunks not wrapped yet

    def _chunk_offsets(self, chunk: int) -> tuple[int, int]:
        """[start, end) of the chunk's text, its last line break excluded."""
        rows = self._chunk_rows
        start = self.line_starts[rows[chunk]]
        last = rows[chunk + 1]
        end = self.line_starts[last] - 1 if last < len(self.line_starts) else len(self.body)
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
        return self.width > 0 and not self._pending

    @property
    def line_count(self) -> int:
        """How many visual lines there are (0 before the first wrap); an estimate for the chunks
        not wrapped yet, exact once `complete`."""
        return self._firsts[-1] if self.width else 0

    @property
    def wrapped_lines(self) -> int:
        """How many visual lines are wrapped so far."""
        return sum(len(lines[0]) for lines in self._lines if lines is not None)

    def wrap(self, width: int) -> bool:
        """Wrap to `width` cells (at least `MIN_WRAP_WIDTH`); False if already wrapped so.

        Nothing is wrapped yet: the lines are wrapped as they are asked for."""
        width = max(MIN_WRAP_WIDTH, width)
        if width == self.width:
            return False
        self.width = width
        # Greedy wrapping leaves about half a word free at each line's end, and a body line's
        # last visual line is on average a bit over half full.
        per_line = max(1.0, width - 3.0)
        rows = [b - a for a, b in pairwise(self._chunk_rows)]
        self._counts = [max(1, round(n * 0.65 + cells / per_line)) for n, cells in zip(rows, self._cells, strict=True)]
        self._lines = [None] * len(self._counts)
        self._pending = len(self._counts)
        self._firsts = [0, *accumulate(self._counts)]
        self.version += 1
        return True

    def _wrap_chunk(self, chunk: int) -> None:
        if self._lines[chunk] is not None:
            return
        first, last = self._chunk_rows[chunk], self._chunk_rows[chunk + 1]
        start, end = self._chunk_offsets(chunk)
        starts: list[int] = []
        ends: list[int] = []
        line_starts, width = self.line_starts, self.width
        for row, line in zip(range(first, last), self.display[start:end].split("\n"), strict=True):
            base = line_starts[row]
            at = base
            for cut in wrap_offsets(line, width):
                starts.append(at)
                ends.append(base + cut)
                at = base + cut
            starts.append(at)
            ends.append(base + len(line))
        self._lines[chunk] = (starts, ends)
        self._pending -= 1
        if len(starts) != self._counts[chunk]:
            delta = len(starts) - self._counts[chunk]
            self._counts[chunk] = len(starts)
            firsts = self._firsts
            for i in range(chunk + 1, len(firsts)):
                firsts[i] += delta
            if chunk + 1 < len(self._counts):
                self.version += 1  # the lines after this chunk have new numbers

    def wrap_more(self, near: int = 0) -> bool:
        """Wrap the first chunk not wrapped yet from the one showing offset `near` on (wrapping it
        renumbers nothing at or before `near`). True when every chunk from there on is wrapped."""
        if not self.width:
            return True
        lines = self._lines
        after = next((i for i in range(self._chunk_of_offset(near), len(lines)) if lines[i] is None), None)
        if after is None:
            return True
        self._wrap_chunk(after)
        return all(lines[i] is not None for i in range(after + 1, len(lines)))

    def _chunk_of_offset(self, offset: int) -> int:
        return max(0, bisect_right(self._chunk_starts, offset) - 1)

    def _chunk_of_line(self, line: int) -> int:
        return max(0, min(bisect_right(self._firsts, line) - 1, len(self._counts) - 1))

    def _locate(self, line: int) -> tuple[list[int], list[int], int] | None:
        """(starts, ends, index) of visual line `line` in its chunk, wrapping it; None if no such line."""
        if not self.width or line < 0:
            return None
        while True:
            chunk = self._chunk_of_line(line)
            lines = self._lines[chunk]
            if lines is None:
                self._wrap_chunk(chunk)
                continue  # the counts may have changed: find the chunk again
            local = line - self._firsts[chunk]
            if local >= len(lines[0]):
                return None  # past the last line
            return lines[0], lines[1], local

    def cover(self, first: int, last: int) -> None:
        """Wrap every chunk from the one showing line `first` to the one showing line `last`
        (numbered as now), so that lines between them are counted exactly from either end.
        Callers that hold a line number wrapped above re-read it afterwards (`version`)."""
        if not self.width:
            return
        low, high = self._chunk_of_line(max(0, first)), self._chunk_of_line(max(0, last))
        for chunk in range(low, high + 1):
            self._wrap_chunk(chunk)

    def cover_around(self, offset: int, before: int, after: int) -> int:
        """Wrap the lines from `before` lines above the one showing `offset` to `after` below it;
        returns that line's number (stable: wrapping again would not move it)."""
        while True:
            version = self.version
            line = self.vline_of(offset)
            self.cover(line - before, line + after)
            if self.version == version:
                return line

    def has_line(self, line: int) -> bool:
        """True if visual line `line` exists."""
        return self._locate(line) is not None

    def line_span(self, line: int) -> tuple[int, int]:
        """The `[start, end)` offsets visual line `line` shows (it must exist: `has_line`)."""
        found = self._locate(line)
        if found is None:
            raise IndexError(line)
        starts, ends, local = found
        return starts[local], ends[local]

    def wrapped_line_starts(self, start: int, end: int) -> list[int]:
        """Where the wrapped lines showing any of `[start, end]` start (wraps nothing: the lines
        of chunks not wrapped yet were never drawn)."""
        found: list[int] = []
        if not self.width:
            return found
        for chunk in range(self._chunk_of_offset(start), self._chunk_of_offset(end) + 1):
            lines = self._lines[chunk]
            if lines is None:
                continue
            starts = lines[0]
            low = max(0, bisect_right(starts, start) - 1)
            high = bisect_right(starts, end)
            found += starts[low:high]
        return found

    def vline_if_wrapped(self, offset: int) -> int | None:
        """The visual line showing `offset` if its chunk is wrapped, else None (wraps nothing)."""
        if not self.width:
            return None
        chunk = self._chunk_of_offset(offset)
        lines = self._lines[chunk]
        if lines is None:
            return None
        return self._firsts[chunk] + max(0, bisect_right(lines[0], offset) - 1)

    @property
    def vl_start(self) -> list[int]:
        """Where every visual line starts (wraps the whole body: for tests and tools)."""
        return [s for lines in self._all() for s in lines[0]]

    @property
    def vl_end(self) -> list[int]:
        """Where every visual line ends (wraps the whole body: for tests and tools)."""
        return [e for lines in self._all() for e in lines[1]]

    def _all(self) -> list[tuple[list[int], list[int]]]:
        for chunk in range(len(self._lines)):
            self._wrap_chunk(chunk)
        return [lines for lines in self._lines if lines is not None]

    # ------------------------------------------------------------------ offsets and lines

    def snap(self, offset: int) -> int:
        """`offset` clamped to the body and moved back to a grapheme boundary."""
        return segment.grapheme_floor(self.body, max(0, min(offset, len(self.body))))

    def row_of(self, offset: int) -> int:
        """The body line (0-based, split at "\\n") that holds `offset`."""
        return bisect_right(self.line_starts, offset) - 1

    def vline_of(self, offset: int) -> int:
        """The visual line that shows `offset` (0 before the first wrap)."""
        if not self.width:
            return 0
        chunk = self._chunk_of_offset(offset)
        self._wrap_chunk(chunk)
        return self.vline_if_wrapped(offset) or 0

    def _clamped(self, line: int) -> tuple[list[int], list[int], int]:
        """Visual line `line` or, past the end, the last one (before: the first)."""
        found = self._locate(max(0, line))
        while found is None:
            found = self._locate(self.line_count - 1)
        return found

    def is_last_of_row(self, line: int) -> bool:
        """True if visual line `line` ends its body line (is not continued by a wrap)."""
        starts, ends, local = self._clamped(line)
        # a chunk holds whole body lines: its last visual line always ends one
        return local + 1 >= len(starts) or starts[local + 1] != ends[local]

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
        starts, ends, local = self._clamped(line)
        start, end = starts[local], ends[local]
        limit = end if local + 1 >= len(starts) or starts[local + 1] != end else segment.prev_grapheme(self.body, end)
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
        starts, _, local = self._clamped(top)
        start = starts[local]
        bottom = self._locate(top + max(1, height) - 1)  # (wraps only after `top`: it keeps its number)
        if bottom is None:
            bottom = self._clamped(self.line_count - 1)
        _, ends, local = bottom
        return start, ends[local]

    def position_label(self, offset: int) -> str:
        """Where `offset` is, for a status line: ``"ln 12/340 · 3%"``."""
        row = bisect_right(self.line_starts, offset)
        percent = 100 * offset // len(self.body) if self.body else 0
        return f"ln {row}/{len(self.line_starts)} · {percent}%"
