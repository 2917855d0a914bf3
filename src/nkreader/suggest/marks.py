"""Where the quotation marks are: spans of quoted text, curly, straight or corner brackets.

A quote may run over several paragraphs: by the newspaper convention each of its paragraphs
opens with a mark and only the last one closes. Single quotes (‘…’) are not scanned: in this
genre they mark terms ("‘puppet’ speech"), and the closing one is also the apostrophe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAIRS = {"“": "”", "「": "」", "『": "』", "„": "“"}
_STRAIGHT = '"'
_MARK = re.compile("[" + re.escape("".join({*_PAIRS, *_PAIRS.values(), _STRAIGHT})) + "]")
_OPEN_BEFORE = frozenset(" \n\t([{—–-:/")


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    start: int
    """Offset of the opening mark."""
    end: int
    """Offset just past the closing mark."""
    paragraphs: int = 1

    def inner(self, body: str) -> str:
        return body[self.start + 1 : self.end - 1]


def _paragraphs(body: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    while True:
        cut = body.find("\n\n", start)
        end = len(body) if cut < 0 else cut
        spans.append((start, end))
        if cut < 0:
            return spans
        start = cut + 2
        while start < len(body) and body[start] == "\n":
            start += 1


def _opens_paragraph(body: str, start: int, end: int) -> str | None:
    i = start
    while i < end and body[i] in " \t\n":
        i += 1
    return body[i] if i < end and (body[i] in _PAIRS or body[i] == _STRAIGHT) else None


def find_quotes(body: str, limit: int = 200_000) -> list[QuoteMarks]:
    """Balanced quoted spans in text order; marks that never close are ignored.

    ``limit`` bounds a span (a stray mark in a 1 MB text must not swallow the rest of it).
    """
    found: list[QuoteMarks] = []
    paragraphs = _paragraphs(body)
    pending: tuple[int, str, int] | None = None  # open offset, closer, paragraphs so far
    for index, (ps, pe) in enumerate(paragraphs):
        opener: tuple[int, str] | None = None
        if pending is not None:
            first = _opens_paragraph(body, ps, pe)
            closer = pending[1]
            if first is not None and (_PAIRS.get(first) == closer or (first == _STRAIGHT == closer)):
                opener = (pending[0], closer)
                skip = body.index(first, ps)
            else:
                pending = None
                skip = -1
        else:
            skip = -1
        count = pending[2] if (pending is not None and opener is not None) else 1
        pending = None
        before = len(found)
        for mark in _MARK.finditer(body, ps, pe):
            i = mark.start()
            ch = body[i]
            if i == skip:
                continue
            if opener is None:
                if ch in _PAIRS:
                    opener = (i, _PAIRS[ch])
                    count = 1
                elif ch == _STRAIGHT and (i == ps or body[i - 1] in _OPEN_BEFORE):
                    opener = (i, _STRAIGHT)
                    count = 1
            else:
                start, closer = opener
                if ch == closer and (closer != _STRAIGHT or i > start + 1):
                    if i + 1 - start <= limit:
                        found.append(QuoteMarks(start, i + 1, count))
                    opener = None
                elif ch in _PAIRS and closer != _STRAIGHT and ch != closer and _PAIRS[ch] == closer:
                    opener = (i, closer)  # a stray opener: restart the quote here
        if "'" in body[ps:pe]:
            found.extend(_single_quotes(body, ps, pe, found[before:]))
        if opener is not None and index + 1 < len(paragraphs):
            pending = (opener[0], opener[1], count + 1)
    return sorted(found, key=lambda q: q.start)


_SINGLE = re.compile(r"(?<![\w’'])'(?=[A-Z])([^'\n]{2,400}?[,.?!])'(?=[\s,.;:)]|$)")


def _single_quotes(body: str, ps: int, pe: int, found: list[QuoteMarks]) -> list[QuoteMarks]:
    """Straight single quotes used for speech ('We have fuel for ten days,' he said); an
    apostrophe inside ("Party's") does not end one, as the closing mark follows punctuation."""
    inside = [(q.start, q.end) for q in found]
    out = []
    for m in _SINGLE.finditer(body, ps, pe):
        if not any(a <= m.start() < b for a, b in inside):
            out.append(QuoteMarks(m.start(), m.end()))
    return out
