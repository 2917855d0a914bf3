"""What a suggestion is, and the library's known speakers it may be resolved to."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nkreader.domain import Kind


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A span the rules think is a quote, a policy statement or a claim.

    ``start``/``end`` are code-point offsets into the stored body and ``exact`` is
    ``body[start:end]``. ``speaker`` is the source phrase as the article writes it (a pronoun
    or "the source" is replaced by the phrase it refers to); ``known_speaker`` is the library's
    canonical name for it when the library has that speaker or alias.
    """

    kind: Kind
    start: int
    end: int
    exact: str
    speaker: str | None
    score: float
    rule: str
    reason: str
    known_speaker: str | None = None
    hedges: tuple[str, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str]:
        return suggestion_key(self.kind, self.exact)

    @property
    def speaker_to_store(self) -> str | None:
        """The speaker an accepted suggestion is stored with: the known name when there is one."""
        return self.known_speaker or self.speaker


def suggestion_key(kind: Kind | str, exact: str) -> tuple[str, str]:
    """What a rejection remembers: the kind and the text (whitespace folded), not the offsets,
    so a rejection still holds after the article's text is updated and the span moves."""
    return (str(kind), " ".join(exact.split()))


_TITLES = re.compile(
    r"^(?:(?:respected|dear|comrade|mr|mrs|ms|dr|prof|professor|gen|general|marshal|the|a|an)\.?\s+)+",
    re.IGNORECASE,
)


def fold_name(name: str) -> str:
    """A speaker name for comparison: case folded, titles and articles dropped, spaces folded."""
    text = " ".join(name.replace("’", "'").split()).strip(" ,.:;")
    return _TITLES.sub("", text).casefold()


class SpeakerBook:
    """Known speakers: every canonical name and alias, looked up by its folded spelling.

    A suggested speaker resolves when its folded text equals a known spelling, or ends with one
    that has at least two words ("General Secretary Kim Jong Un" -> "Kim Jong Un").
    """

    def __init__(self, groups: Mapping[str, Iterable[str]] | None = None) -> None:
        self._by_spelling: dict[str, str] = {}
        for name, aliases in (groups or {}).items():
            for spelling in (name, *aliases):
                folded = fold_name(spelling)
                if folded:
                    self._by_spelling.setdefault(folded, name)

    def __bool__(self) -> bool:
        return bool(self._by_spelling)

    def resolve(self, speaker: str | None) -> str | None:
        if not speaker or not self._by_spelling:
            return None
        folded = fold_name(speaker)
        found = self._by_spelling.get(folded)
        if found is not None:
            return found
        words = folded.split()
        for i in range(1, len(words) - 1):
            found = self._by_spelling.get(" ".join(words[i:]))
            if found is not None:
                return found
        return None
