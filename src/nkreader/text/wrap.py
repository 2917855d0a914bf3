"""Greedy word wrap measured in terminal cells, returning code-point break offsets.

``wrap_offsets(line, width)`` says where a single line (no ``"\\n"``) must break so that no
visual line is wider than ``width`` cells, not counting the whitespace that hangs at its end.
A break never falls inside a grapheme cluster (combining marks, ZWJ emoji sequences, Hangul
jamo), and a word wider than the line is folded between clusters.

Cell widths are Rich's (``rich.cells``): the renderer draws the same strings with the same
table, so what is wrapped here is exactly what fits there.

Most news text is single-cell (Latin, Greek, Cyrillic, general punctuation): such lines are
wrapped by one regular-expression scan. ``rich.cells.cell_len`` takes a slow per-character path
for curly quotes and dashes, so single-cell text is recognised with a regex first.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import regex
from rich.cells import cell_len

__all__ = ["cell_width", "is_single_cell", "wrap_offsets", "wrap_pieces"]

# Everything outside these ranges *may* not be one cell wide (CJK, emoji, combining marks,
# soft hyphen, zero-width and control characters).
_NOT_SINGLE_CELL = re.compile(
    "[^\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0]"
)
# Characters two cells wide that never combine with their neighbours: Hangul syllables, CJK
# ideographs, kana, CJK punctuation, fullwidth forms.
_WIDE = (
    "\uac00-\ud7a3\u4e00-\u9fff\u3400-\u4dbf\u3041-\u3096\u30a1-\u30fa\u3001-\u3029\uff01-\uff60\uffe0-\uffe6"
)
_NOT_SINGLE_OR_WIDE = re.compile(
    "[^\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u048a-\u052f"
    f"\u2010-\u2027\u2030-\u205e\u20a0-\u20c0{_WIDE}]"
)
_WIDE_CHAR = re.compile(f"[{_WIDE}]")
_PAD = "\x01"  # stands for the second cell of a wide character in a proxy line


class _ProxyTable(dict[int, "int | str"]):
    """``str.translate`` table: a wide character -> itself and a pad; learns as it goes."""

    def __missing__(self, code: int) -> int | str:
        ch = chr(code)
        value: int | str = ch + _PAD if _WIDE_CHAR.match(ch) else code
        self[code] = value
        return value


_PROXY = _ProxyTable()
# Whitespace a line may break at. Not the no-break spaces (U+00A0, U+2007, U+202F).
_BREAK_SPACE = "[ \t\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000]"
_NOT_BREAK_SPACE = "[^ \t\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000]"
# Characters that join a space before them into one grapheme cluster.
_EXTENDS = r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]"
# A word, then the whitespace after it (a space with a combining mark on it counts as a space).
_TOKEN = regex.compile(f"({_NOT_BREAK_SPACE}+)?((?:{_BREAK_SPACE}{_EXTENDS}*)*)")
_GRAPHEME = regex.compile(r"\X")


def is_single_cell(text: str) -> bool:
    """True when every character of ``text`` is one cell wide (so width == ``len``)."""
    return (text.isascii() and text.isprintable()) or _NOT_SINGLE_CELL.search(text) is None


def cell_width(text: str) -> int:
    """Width of ``text`` in terminal cells, as Rich measures it."""
    if is_single_cell(text):
        return len(text)
    return cell_len(text)


@lru_cache(maxsize=16)
def _simple_line(width: int) -> re.Pattern[str]:
    # The longest run of at most `width` characters ending before a break space (or the end),
    # else a fold of a long word; then the spaces that hang at the end of the visual line.
    return re.compile(
        f"(?:.{{1,{width}}}(?={_BREAK_SPACE}|$)|{_NOT_BREAK_SPACE}{{1,{width}}}){_BREAK_SPACE}*"
    )


def wrap_offsets(line: str, width: int) -> list[int]:
    """Code-point offsets at which ``line`` breaks to fit ``width`` cells (``width`` >= 2).

    No visual line is wider than ``width`` once its trailing whitespace is dropped.
    """
    width = max(2, width)
    if is_single_cell(line):
        if len(line) <= width:
            return []
        # (leading spaces the first match cannot take become a visual line of their own)
        return [m.start() for m in _simple_line(width).finditer(line) if m.start()]
    if _NOT_SINGLE_OR_WIDE.search(line) is None:
        return _wrap_wide(line, width)
    if cell_len(line) <= width:
        return []
    return _wrap_complex(line, width)


def _wrap_wide(line: str, width: int) -> list[int]:
    """Single-cell and plain wide characters (Korean, CJK): wrap a proxy line in which each wide
    character is followed by a pad, so that one character is one cell, then map back."""
    proxy = line.translate(_PROXY)
    if len(proxy) <= width:
        return []
    offsets: list[int] = []
    pads = 0
    prev = 0
    for m in _simple_line(width).finditer(proxy):
        b = m.start()
        if not b:
            continue
        if proxy[b] == _PAD:
            return _wrap_complex(line, width)  # a fold split a wide character: measure exactly
        pads += proxy.count(_PAD, prev, b)
        prev = b
        offsets.append(b - pads)
    return offsets


def _wrap_complex(line: str, width: int) -> list[int]:
    offsets: list[int] = []
    x = 0  # cells used on the current visual line, trailing spaces included
    for m in _TOKEN.finditer(line):
        start = m.start()
        if start == m.end():
            continue
        word_end = start if m.group(1) is None else m.end(1)
        if word_end > start:
            word = line[start:word_end]
            w = cell_width(word)
            if x and x + w > width:
                offsets.append(start)
                x = 0
            if x + w > width:
                # fold between grapheme clusters
                for g in _GRAPHEME.finditer(line, start, word_end):
                    gw = cell_width(g.group())
                    if x and x + gw > width:
                        offsets.append(g.start())
                        x = 0
                    x += gw
            else:
                x += w
        if m.end() > word_end:
            x += cell_width(line[word_end : m.end()])
    return offsets


def wrap_pieces(line: str, width: int) -> list[str]:
    """``line`` cut into its visual lines (joined, they give ``line`` back)."""
    cuts = [0, *wrap_offsets(line, width), len(line)]
    return [line[a:b] for a, b in itertools.pairwise(cuts)]
