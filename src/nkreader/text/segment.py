"""Text units over a stored body: graphemes, words, sentences and paragraphs.

Every offset is a Python ``str`` index (a code point) into the body, spans are half-open
``(start, end)``. A body is paragraphs separated by a blank line (``"\\n\\n"``); a sentence
never crosses a paragraph. A single ``"\\n"`` inside a paragraph is ordinary whitespace.

Each function looks only at the paragraph holding the offset (found with ``rfind``/``find``)
and, inside a long paragraph, only at a window of a few KB around the offset, so a call costs
the same on a 1 MB body or a 200 KB paragraph as on a short article.

Sentence boundaries are decided by local rules (the terminator run, the token before it, the
first word after it), so the same boundary is found whatever window it is seen through.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right

import regex

__all__ = [
    "grapheme_floor",
    "next_grapheme",
    "next_paragraph_start",
    "next_sentence_start",
    "next_word_start",
    "paragraph_at",
    "prev_grapheme",
    "prev_paragraph_start",
    "prev_sentence_start",
    "prev_word_start",
    "sentence_at",
    "sentence_spans",
    "trim_span",
    "word_at",
]

PARAGRAPH_SEP = "\n\n"

_GRAPHEME = regex.compile(r"\X")
# A word: letters/digits (with their combining marks), joined by an apostrophe or hyphen
# ("don't", "Kim Jong-un") or by a decimal/thousands separator between digits ("1.5", "4,800").
_WORD = regex.compile(r"\w+(?:(?:['’\-]|(?<=\d)[.,](?=\d))\w+)*")
_WORDISH = regex.compile(r"[\w'’\-.,]")

_TERMINATORS = ".!?…。！？．‼⁇⁈⁉"
_FULLWIDTH_TERMINATORS = frozenset("。！？．")
_CLOSERS = "\"'”’»」』)]）］"
_OPENERS = "\"'“‘«「『([（［"
_RUN_CHARS = frozenset(_TERMINATORS + _CLOSERS)
_TERM_RUN = re.compile(f"([{re.escape(_TERMINATORS)}]+)[{re.escape(_CLOSERS)}]*")

# Word lists, written as words (hence the SIM905 waivers).
# Abbreviations that are (nearly) never the end of a sentence: they are followed by a name.
_ALWAYS_ABBR = frozenset(
    """mr mrs ms messrs mmes mme mlle dr prof rev hon gen lt col maj capt cmdr adm sgt cpl pvt
    gov sen rep pres supt insp st mt ft e.g i.e cf vs viz approx ca""".split()  # noqa: SIM905
)
# Abbreviations that precede a number ("No. 1", "Jan. 5", "p. 12").
_NUMBER_ABBR = frozenset(
    """no nos vol vols art p pp fig figs ch sec para tel ext jan feb mar apr jun jul aug sep sept
    oct nov dec""".split()  # noqa: SIM905
)
# Abbreviations that may end a sentence: a boundary only when a common sentence opener follows.
_AMBIGUOUS_ABBR = frozenset(
    """inc corp co ltd llc plc jr sr bros assn dept ave blvd al""".split()  # noqa: SIM905
)
_ACRONYM = re.compile(r"(?:[A-Za-z]{1,3}\.)+[A-Za-z]{1,3}")  # U.S, a.m, D.P.R.K, Ph.D
_STARTERS = frozenset(
    """The A An He She It They We I You But And Or So Yet In On At As For If When While After
    Before Since This That These Those There Here His Her Its Their Our My Some Many Most No
    Not One Two However Meanwhile Still Also Such What Why How Who Where Last Earlier Later
    According Officials Analysts Experts Critics Then Now Both All Each Other Another""".split()  # noqa: SIM905
)

_WINDOW = 2048
_EDGE = 64
_GLOSS = 300  # how far a bracketed gloss after a sentence is followed to its ")"


def _is_hangul(ch: str) -> bool:
    return (
        "\uac00" <= ch <= "\ud7a3"
        or "\u1100" <= ch <= "\u11ff"
        or "\u3130" <= ch <= "\u318f"
        or "\ua960" <= ch <= "\ua97f"
        or "\ud7b0" <= ch <= "\ud7ff"
    )


# --------------------------------------------------------------------------- spans


def trim_span(body: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the whitespace at either end (empty spans collapse to ``start``)."""
    start = max(0, start)
    end = min(len(body), end)
    s = start
    while s < end and body[s].isspace():
        s += 1
    while end > s and body[end - 1].isspace():
        end -= 1
    return (s, end) if s < end else (start, start)


def _skip_space(body: str, i: int, limit: int) -> int:
    while i < limit and body[i].isspace():
        i += 1
    return i


def _skip_space_back(body: str, i: int, limit: int = 0) -> int:
    while i > limit and body[i - 1].isspace():
        i -= 1
    return i


# ---------------------------------------------------------------------- graphemes


def next_grapheme(body: str, offset: int) -> int:
    """Offset just after the grapheme cluster that starts at ``offset``."""
    n = len(body)
    if offset >= n:
        return n
    offset = max(0, offset)
    # Below U+0300 nothing combines: one code point is one cluster.
    if body[offset] < "\u0300" and (offset + 1 == n or body[offset + 1] < "\u0300"):
        return offset + 1
    m = _GRAPHEME.match(body, offset)
    return m.end() if m else offset + 1


def prev_grapheme(body: str, offset: int) -> int:
    """Start of the grapheme cluster that ends at ``offset``."""
    if offset <= 0:
        return 0
    offset = min(offset, len(body))
    if body[offset - 1] < "\u0300" and (offset == len(body) or body[offset] < "\u0300"):
        return offset - 1
    # Walk clusters from a nearby ASCII character (a cluster always starts there).
    lo = max(0, offset - 64)
    for i in range(offset - 1, lo - 1, -1):
        if body[i] < "\x80":
            lo = i
            break
    start = lo
    for m in _GRAPHEME.finditer(body, lo, offset):
        start = m.start()
    return start


def grapheme_floor(body: str, offset: int) -> int:
    """``offset`` moved back to the start of the grapheme cluster holding it."""
    if offset <= 0:
        return 0
    if offset >= len(body):
        return len(body)
    if body[offset] < "\u0300" and body[offset - 1] < "\u0300":
        return offset
    return prev_grapheme(body, next_grapheme(body, offset))


# -------------------------------------------------------------------------- words


def next_word_start(body: str, offset: int) -> int:
    """Start of the first word after ``offset`` (``len(body)`` if there is none)."""
    pos = max(0, offset - _EDGE)
    while True:
        m = _WORD.search(body, pos)
        if m is None:
            return len(body)
        if m.start() > offset:
            return m.start()
        pos = m.end()


def prev_word_start(body: str, offset: int) -> int:
    """Start of the word holding or before ``offset`` (vim ``b``; 0 if there is none)."""
    offset = min(offset, len(body))
    size = 256
    while True:
        lo = max(0, offset - size)
        best = None
        for m in _WORD.finditer(body, lo, offset):
            if m.start() == lo and lo > 0 and _WORDISH.match(body, lo - 1) is not None:
                continue  # the window cut this word: its real start lies before `lo`
            if m.start() < offset:
                best = m.start()
        if best is not None:
            return best
        if lo == 0:
            return 0
        size *= 4


def word_at(body: str, offset: int) -> tuple[int, int]:
    """The word holding ``offset``, else the empty span at ``offset``."""
    offset = max(0, min(offset, len(body)))
    m = _WORD.match(body, prev_word_start(body, offset + 1))
    if m is not None and m.start() <= offset < m.end():
        return m.start(), m.end()
    return offset, offset


# --------------------------------------------------------------------- paragraphs


def _raw_paragraph(body: str, offset: int) -> tuple[int, int]:
    """Bounds of the text between the separators around ``offset``.

    An offset inside a separator (on the blank line) lies after the returned end.
    """
    s = body.rfind(PARAGRAPH_SEP, 0, offset)
    start = 0 if s < 0 else s + 2
    e = body.find(PARAGRAPH_SEP, start)
    return start, (len(body) if e < 0 else e)


def paragraph_at(body: str, offset: int) -> tuple[int, int]:
    """The trimmed paragraph holding ``offset``; the empty span at ``offset`` on a blank line."""
    offset = max(0, min(offset, len(body)))
    ps, pe = _raw_paragraph(body, offset)
    if offset > pe:
        return offset, offset
    s, e = trim_span(body, ps, pe)
    return (s, e) if s < e else (offset, offset)


def next_paragraph_start(body: str, offset: int) -> int:
    """Start of the paragraph after the one holding ``offset`` (``len(body)`` after the last)."""
    offset = max(0, min(offset, len(body)))
    _, pe = _raw_paragraph(body, offset)
    return _skip_space(body, max(offset, pe), len(body))


def prev_paragraph_start(body: str, offset: int) -> int:
    """Start of the paragraph holding ``offset`` if the cursor is past it, else of the one before."""
    offset = max(0, min(offset, len(body)))
    while True:
        ps, pe = _raw_paragraph(body, offset)
        start = _skip_space(body, ps, pe)
        if start < offset:
            return start
        if ps == 0:
            return 0
        offset = _skip_space_back(body, ps)  # end of the previous paragraph's text
        if offset == 0:
            return 0


# ---------------------------------------------------------------------- sentences


def _first_word(body: str, i: int, limit: int) -> str:
    j = i
    end = min(limit, i + 24)
    while j < end and body[j].isalpha():
        j += 1
    return body[i:j]


def _is_boundary(body: str, a: int, t: int, c: int, ps: int, pe: int) -> bool:
    """Does the terminator run ``body[a:t]`` (closers up to ``c``) end a sentence?"""
    if c >= pe:
        return False  # the paragraph end is a boundary anyway
    nxt = body[c]
    prev = body[a - 1] if a > ps else ""
    if body[t - 1] in _FULLWIDTH_TERMINATORS:
        return True
    if not nxt.isspace():
        # "1.5", "U.S.-led", "e.g.," ... but Korean sometimes omits the space: "했다.이어"
        return t == c and _is_hangul(prev) and _is_hangul(nxt)
    k = _skip_space(body, c, pe)
    if k >= pe:
        return False
    if body[k] == "(" and _closes_before_terminator(body, k, pe):
        return False  # a gloss that the sentence's own full stop follows: '“…!” (“…!”).'
    lim = min(pe, k + 4)
    while k < lim and body[k] in _OPENERS:
        k += 1
    first = body[k] if k < pe else ""
    if first.islower():
        return False  # '"Really?" she asked', "etc. and", "e.g. the"
    if t - a != 1 or body[a] != "." or c != t:
        return True  # "!", "?", "...", or a period that a quote or bracket closes
    if _is_hangul(prev):
        return True  # "다.", "요."
    # The token before the period: "Mr", "U.S", "(Gen", "J", "4,800"
    i, token = _token_before(body, a, ps)
    if not token:
        return True
    low = token.lower()
    if low in _ALWAYS_ABBR:
        return False
    if low in _NUMBER_ABBR:
        return not first.isdigit()
    if (
        low in _AMBIGUOUS_ABBR
        or (len(token) == 1 and token.isupper())
        or _ACRONYM.fullmatch(token) is not None
    ):
        return _first_word(body, k, pe) in _STARTERS
    if token.isdigit() and len(token) <= 2:
        j = _skip_space_back(body, i, ps)
        if j == ps or body[i - 1] == "\n":
            return False  # a numbered item at the start of a line: "1. The first"
        if body[j - 1] in _RUN_CHARS and not _ends_number_abbr(body, j, ps):
            return False  # a numbered item at the start of a sentence: "Done. 2. The next"
        # else a number that an abbreviation introduced ends the sentence: "on Aug. 30. The"
    return True


def _token_before(body: str, a: int, ps: int) -> tuple[int, str]:
    """The start and text of the token that ends at ``a`` (openers stripped, 40 chars at most)."""
    i = a
    lim = max(ps, a - 40)
    while i > lim and not body[i - 1].isspace():
        i -= 1
    return i, body[i:a].lstrip(_OPENERS)


def _ends_number_abbr(body: str, j: int, ps: int) -> bool:
    """Does ``body[:j]`` end with an abbreviation that introduces a number ("Aug.", "No.")?"""
    if j - 1 <= ps or body[j - 1] != ".":
        return False
    return _token_before(body, j - 1, ps)[1].lower() in _NUMBER_ABBR


def _closes_before_terminator(body: str, k: int, pe: int) -> bool:
    """Is the bracket opened at ``body[k]`` closed soon, right before a terminator ("(…).")?"""
    depth = 0
    for r in range(k, min(pe, k + _GLOSS)):
        ch = body[r]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return r + 1 < pe and body[r + 1] in _TERMINATORS
        elif ch == "\n" and body.startswith(PARAGRAPH_SEP, r):
            return False
    return False


def _boundaries(body: str, lo: int, hi: int, ps: int, pe: int) -> list[int]:
    """Sentence boundaries (offset after the terminator and its closers) in ``[lo, hi)``.

    ``ps``/``pe`` bound the paragraph: the rules may read a few characters past the window.
    """
    out: list[int] = []
    for m in _TERM_RUN.finditer(body, lo, hi):
        a, c = m.span()
        if a == lo and lo > ps and body[lo - 1] in _RUN_CHARS:
            continue  # a run cut by the window's start
        if c == hi and hi < pe and body[hi] in _RUN_CHARS:
            continue  # a run cut by the window's end: its boundary lies past `hi`
        if _is_boundary(body, a, m.end(1), c, ps, pe):
            out.append(c)
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Trimmed, ordered, non-overlapping sentence spans of ``text`` (one paragraph or more)."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    ps = 0
    while ps <= n:
        e = text.find(PARAGRAPH_SEP, ps)
        pe = n if e < 0 else e
        cuts = [ps, *_boundaries(text, ps, pe, ps, pe), pe]
        for s0, e0 in itertools.pairwise(cuts):
            s, t = trim_span(text, s0, e0)
            if s < t:
                spans.append((s, t))
        if e < 0:
            break
        ps = e + 2
    return spans


def _window_cuts(body: str, lo: int, hi: int, ps: int, pe: int) -> list[int]:
    """Known sentence cuts in the window: boundaries, plus the paragraph edges it reaches."""
    cuts = _boundaries(body, lo, hi, ps, pe)
    if lo == ps:
        cuts.insert(0, ps)
    if hi == pe:
        cuts.append(pe)
    return cuts


def sentence_at(body: str, offset: int) -> tuple[int, int]:
    """The trimmed sentence holding ``offset``; the empty span at ``offset`` if there is none.

    Whitespace after a sentence belongs to it (a cursor just past a full stop is in that
    sentence); a blank line between paragraphs holds no sentence.
    """
    offset = max(0, min(offset, len(body)))
    ps, pe = _raw_paragraph(body, offset)
    if offset > pe:
        return offset, offset
    size = _WINDOW
    while True:
        lo, hi = max(ps, offset - size), min(pe, offset + size)
        cuts = _window_cuts(body, lo, hi, ps, pe)
        # sentence i covers [start_i, start_{i+1}) where start_i is the first visible char
        starts = [_skip_space(body, c, pe) for c in cuts]
        if hi == pe:
            starts[-1] = pe + 1  # the paragraph end (and a cursor on it) closes the last one
        i = bisect_right(starts, offset) - 1
        if 0 <= i < len(cuts) - 1:
            return trim_span(body, cuts[i], cuts[i + 1])
        if (lo == ps or i >= 0) and (hi == pe or i < len(cuts) - 1):
            return offset, offset  # only whitespace here
        size *= 4


def next_sentence_start(body: str, offset: int) -> int:
    """Start of the first sentence after ``offset``, crossing into the next paragraph."""
    offset = max(0, min(offset, len(body)))
    ps, pe = _raw_paragraph(body, offset)
    if offset <= pe:
        first = _skip_space(body, ps, pe)
        if offset < first < pe:
            return first
        size = _WINDOW
        while True:
            lo, hi = max(ps, offset - _EDGE), min(pe, offset + size)
            for c in _boundaries(body, lo, hi, ps, pe):
                s = _skip_space(body, c, pe)
                if offset < s < pe:
                    return s
            if hi == pe:
                break
            size *= 4
    return next_paragraph_start(body, offset)


def prev_sentence_start(body: str, offset: int) -> int:
    """Start of the sentence holding ``offset`` if the cursor is past it, else of the one before."""
    offset = max(0, min(offset, len(body)))
    while True:
        ps, pe = _raw_paragraph(body, offset)
        size = _WINDOW
        while True:
            lo, hi = max(ps, offset - size), min(pe, offset + _EDGE)
            starts = [_skip_space(body, c, pe) for c in _boundaries(body, lo, hi, ps, pe)]
            if lo == ps:
                starts.insert(0, _skip_space(body, ps, pe))
            before = [s for s in starts if s < offset and s < pe]
            if before:
                return before[-1]
            if lo == ps:
                break
            size *= 4
        if ps == 0:
            return 0
        offset = _skip_space_back(body, ps)
        if offset == 0:
            return 0
