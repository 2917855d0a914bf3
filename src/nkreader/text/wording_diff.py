"""What an update changed in an article's text, paragraph by paragraph and word by word (pure).

Why paragraphs first: an article is dozens of paragraphs and an update changes a few words, so
the revisions screen shows only the paragraphs that changed (with how many were left alone in
between); inside a changed paragraph, a word diff shows "seven" struck and "eight" beside it,
which a line diff would bury in two whole paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

__all__ = ["Hunk", "Piece", "paragraph_diff", "word_diff"]

Op = Literal["same", "old", "new"]
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text that is in both texts (`same`), only in the old one, or only in the new one."""

    op: Op
    text: str


@dataclass(slots=True)
class Hunk:
    """Changed paragraphs: where they are in the new text (1-based), and how many unchanged
    paragraphs were skipped before them."""

    paragraph: int
    skipped: int
    pieces: list[Piece] = field(default_factory=list)


def _merge(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].op == piece.op:
            merged[-1] = Piece(piece.op, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def word_diff(old: str, new: str) -> list[Piece]:
    """`old` → `new` as pieces, compared word by word (spaces and punctuation are tokens too)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        pieces.append(Piece("old", "".join(a[i1:i2])))
        pieces.append(Piece("new", "".join(b[j1:j2])))
    return _merge(pieces)


def _paragraphs(text: str) -> list[str]:
    return [p for p in (p.strip() for p in re.split(r"\n\s*\n|\n", text)) if p]


def paragraph_diff(old: str, new: str) -> list[Hunk]:
    """The paragraphs that differ between `old` and `new`, each as a word diff; [] when none do."""
    a, b = _paragraphs(old), _paragraphs(new)
    hunks: list[Hunk] = []
    last = 0  # index in `b` after the last hunk
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        hunk = Hunk(paragraph=j1 + 1, skipped=j1 - last)
        olds, news = a[i1:i2], b[j1:j2]
        for index in range(max(len(olds), len(news))):
            if index:
                hunk.pieces.append(Piece("same", "\n\n"))
            before = olds[index] if index < len(olds) else ""
            after = news[index] if index < len(news) else ""
            hunk.pieces.extend(word_diff(before, after))
        hunk.pieces = _merge(hunk.pieces)
        hunks.append(hunk)
        last = j2
    return hunks
