"""Motions that land *on* the last character of a unit, for inclusive selections.

Why these exist beside ``segment``'s starts: a selection in the reader includes the character under
the cursor, so extending a selection to "the end of this clause" must put the cursor on the clause's
last character (the comma, the full stop), not on the first letter of what follows. Each function
takes the body and a cursor offset (a grapheme start) and returns a grapheme start; none reads
anything but the text. Offsets are code points, like every offset in nkreader.

- :func:`find_char` — vim's ``f``/``t``/``F``/``T``: to (or just before) the next occurrence of a
  character, within the paragraph (a news paragraph is the unit a reader scans for a comma).
- :func:`word_end` — vim's ``e``: the last character of this word, or of the next one.
- :func:`clause_end` / :func:`clause_start` — to the next clause mark (comma, semicolon, colon, dash)
  or the sentence's end / back to just after the previous one.
- :func:`sentence_end`, :func:`paragraph_end` — the last visible character of the unit.
"""

from __future__ import annotations

from nkreader.text import segment

__all__ = [
    "CLAUSE_MARKS",
    "clause_end",
    "clause_start",
    "cursor_for_end",
    "extending_target",
    "find_char",
    "last_char",
    "paragraph_end",
    "selected_span",
    "sentence_end",
    "word_end",
]

CLAUSE_MARKS = frozenset(",;:—–、，；：")
"""Characters that end a clause inside a sentence: comma, semicolon, colon, em and en dash, and their
East Asian forms (Korean text uses the Latin comma, but translations of KCNA keep the full-width ones)."""


def _is_clause_mark(body: str, i: int) -> bool:
    """``body[i]`` ends a clause: a clause mark that is not a digit group separator (``7,200``)."""
    ch = body[i]
    if ch not in CLAUSE_MARKS:
        return False
    digit_group = ch in ",:" and 0 < i < len(body) - 1 and body[i - 1].isdigit() and body[i + 1].isdigit()
    return not digit_group


def last_char(body: str, end: int) -> int:
    """The grapheme start of the last visible character before ``end`` (``end`` itself if none)."""
    i = end
    while i > 0 and body[i - 1].isspace():
        i -= 1
    return segment.prev_grapheme(body, i) if i > 0 else end


def _paragraph(body: str, offset: int) -> tuple[int, int]:
    start = body.rfind(segment.PARAGRAPH_SEP, 0, offset)
    start = 0 if start < 0 else start + len(segment.PARAGRAPH_SEP)
    end = body.find(segment.PARAGRAPH_SEP, offset)
    return start, len(body) if end < 0 else end


def find_char(body: str, offset: int, char: str, *, forward: bool = True, till: bool = False,
              repeat: bool = False) -> int | None:
    """Where ``f``/``t`` (``forward``) or ``F``/``T`` put the cursor looking for ``char``; None if absent.

    ``till`` stops one grapheme short of the character (before it going forward, after it going
    back). ``repeat`` is ``;``: a till-motion already next to its character skips to the next one
    instead of standing still. The search stays inside the paragraph holding ``offset``.
    """
    if not char:
        return None
    ps, pe = _paragraph(body, offset)
    if forward:
        frm = segment.next_grapheme(body, offset)
        if till and repeat:
            frm = segment.next_grapheme(body, frm)
        found = body.find(char, frm, pe)
        if found < 0:
            return None
        return segment.prev_grapheme(body, found) if till else segment.grapheme_floor(body, found)
    upto = offset
    if till and repeat:
        upto = segment.prev_grapheme(body, upto)
    found = body.rfind(char, ps, upto)
    if found < 0:
        return None
    found = segment.grapheme_floor(body, found)
    return segment.next_grapheme(body, found) if till else found


def word_end(body: str, offset: int) -> int:
    """vim's ``e``: the last grapheme of the word holding ``offset`` if the cursor is before it, else of
    the next word (the offset itself when no word follows)."""
    start, end = segment.word_at(body, offset)
    if end > start:
        last = segment.prev_grapheme(body, end)
        if last > offset:
            return last
    nxt = segment.next_word_start(body, offset)
    if nxt >= len(body):
        return offset
    _, end = segment.word_at(body, nxt)
    return segment.prev_grapheme(body, end) if end > nxt else offset


def sentence_end(body: str, offset: int) -> int:
    """The last visible character of the sentence holding ``offset``; of the next sentence when the
    cursor already stands on that last character (so repeating the key extends sentence by sentence)."""
    start, end = segment.sentence_at(body, offset)
    if end > start:
        last = last_char(body, end)
        if last > offset:
            return last
    nxt = segment.next_sentence_start(body, segment.next_grapheme(body, offset))
    if nxt >= len(body):
        return offset
    start, end = segment.sentence_at(body, nxt)
    return last_char(body, end) if end > start else offset


def paragraph_end(body: str, offset: int) -> int:
    """The last visible character of the paragraph holding ``offset`` (or of the next one, as
    :func:`sentence_end` does for sentences)."""
    start, end = segment.paragraph_at(body, offset)
    if end > start:
        last = last_char(body, end)
        if last > offset:
            return last
    nxt = segment.next_paragraph_start(body, segment.next_grapheme(body, offset))
    if nxt >= len(body):
        return offset
    start, end = segment.paragraph_at(body, nxt)
    return last_char(body, end) if end > start else offset


def clause_end(body: str, offset: int) -> int:
    """The next clause mark after ``offset`` within its sentence, else the sentence's last character;
    from the sentence's last character, the first clause end of the next sentence."""
    start, end = segment.sentence_at(body, offset)
    if end <= start or last_char(body, end) <= offset:
        nxt = segment.next_sentence_start(body, segment.next_grapheme(body, offset))
        if nxt >= len(body):
            return offset
        start, end = segment.sentence_at(body, nxt)
        if end <= start:
            return offset
        offset = segment.prev_grapheme(body, nxt) if nxt > 0 else nxt
        begin = nxt
    else:
        begin = segment.next_grapheme(body, offset)
    for i in range(begin, end):
        if _is_clause_mark(body, i):
            return segment.grapheme_floor(body, i)
    return last_char(body, end)


def clause_start(body: str, offset: int) -> int:
    """The first visible character after the clause mark before ``offset`` in its sentence, else the
    sentence's start; from a clause's first character, the start of the clause before it."""
    start, end = segment.sentence_at(body, offset)
    if end <= start:
        return segment.prev_sentence_start(body, offset)
    i = offset - 1
    while i >= start:
        if _is_clause_mark(body, i):
            j = i + 1
            while j < offset and body[j].isspace():
                j += 1
            if j < offset:
                return j
        i -= 1
    if start < offset:
        return start
    previous = segment.prev_sentence_start(body, offset)
    if previous >= offset:
        return offset
    return clause_start(body, last_char(body, offset))


# --------------------------------------------------------------------------- selections

_TRAILING = frozenset(",;:—–、，；：")


def selected_span(body: str, anchor: int | None, cursor: int, selecting: bool) -> tuple[int, int] | None:
    """The span a selection from ``anchor`` to ``cursor`` covers, or None.

    Inclusive: the grapheme under the later end belongs to it (``v`` then ``e`` selects the whole word).
    A click (anchor and cursor together, not selecting) selects nothing. Surrounding whitespace and a
    trailing clause mark are trimmed: nobody means to mark the comma after a clause, and dropping it
    lets ``]`` (to the clause's end) select exactly the clause.
    """
    if anchor is None or (anchor == cursor and not selecting):
        return None
    lo, hi = (anchor, cursor) if anchor <= cursor else (cursor, anchor)
    hi = segment.next_grapheme(body, hi)
    start, end = segment.trim_span(body, lo, hi)
    while end > start and body[end - 1] in _TRAILING:
        end -= 1
        start, end = segment.trim_span(body, start, end)
    return (start, end) if start < end else None


def cursor_for_end(body: str, start: int, end: int) -> int:
    """Where the cursor stands for an inclusive selection of ``[start, end)``: on its last grapheme."""
    return segment.prev_grapheme(body, end) if end > start else start


def extending_target(body: str, anchor: int, cursor: int, unit: str, forward: bool) -> int | None:
    """In a selection, where a sentence or paragraph key takes the moving end; None: the usual move.

    Growing forward (the cursor at or after the anchor) a key lands on the unit's last character, so
    ``v ) ) q`` covers exactly two sentences; shrinking back from there drops the last unit whole. The
    other way round (the cursor before the anchor) the usual starts are already right.
    """
    if cursor < anchor:
        return None
    if forward:
        return sentence_end(body, cursor) if unit == "sentence" else paragraph_end(body, cursor)
    unit_at = segment.sentence_at if unit == "sentence" else segment.paragraph_at
    start, _ = unit_at(body, cursor)
    if start >= cursor or start <= anchor:
        return None
    return last_char(body, start)
