"""What the quote rules know about one quote while attributing it, and the article around it.

Shared by the English rules (``quotes``) and the Korean ones (``quotes_ko``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from nkreader.suggest.marks import QuoteMarks

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(slots=True)
class _Found:
    marks: QuoteMarks
    speaker: str | None = None
    written: str | None = None
    verb: str = ""
    rule: str = ""
    score: float = 0.0
    chained: bool = False
    gloss: bool = False


def _is_korean(text: str) -> bool:
    return bool(_HANGUL.search(text))


class _Context:
    def __init__(self, body: str, sentences: list[tuple[int, int]]) -> None:
        self.body = body
        self.sentences = sentences
        self.starts = [s for s, _ in sentences]

    def sentence_start(self, offset: int) -> int:
        i = bisect_right(self.starts, offset) - 1
        return self.sentences[i][0] if i >= 0 else 0

    def paragraph_end(self, offset: int) -> int:
        cut = self.body.find("\n\n", offset)
        return len(self.body) if cut < 0 else cut

    def paragraph_start(self, offset: int) -> int:
        cut = self.body.rfind("\n\n", 0, offset)
        return 0 if cut < 0 else cut + 2


def _set(found: _Found, who: str, verb: str, rule: str, score: float) -> _Found:
    found.written, found.verb, found.rule, found.score = who, verb, rule, score
    return found
