"""Plain data of the analyst's instruments (issue 17): graded sources and named entities.

No SQLAlchemy, no Textual: the store fills these, services and screens read them.

Grades follow the Admiralty (NATO) system: a *source* is graded for reliability, A (completely
reliable) to F (reliability cannot be judged); each *report* from it (a quote, a claim) for
credibility, 1 (confirmed by other sources) to 6 (truth cannot be judged).
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from nkreader.domain import Status

RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


class Unchanged(enum.Enum):
    """The value of a keyword left out of a partial update (None means "clear it")."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


class EntityKind(enum.StrEnum):
    PERSON = "person"
    PLACE = "place"
    ORG = "org"


def fold(name: str) -> str:
    """The form spellings are compared in: NFKC, case-folded, one space between words."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def clean_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name or "").split())


@dataclass(slots=True)
class SourceProfile:
    id: int
    name: str
    reliability: str | None
    note: str
    anonymous: bool

    @property
    def label(self) -> str:
        """The stable identity shown beside the name: S3."""
        return f"S{self.id}"


@dataclass(slots=True)
class SourceEntry:
    """One row of the sources register: a canonical speaker, graded or not, and its record."""

    name: str
    aliases: list[str]
    profile: SourceProfile | None
    articles: int
    claims: int
    quotes: int
    policies: int
    first_seen: date | None
    """Earliest date of a dated article it appears in (undated articles are counted, not dated)."""
    last_seen: date | None
    undated_articles: int
    credibility: dict[int, int] = field(default_factory=dict)
    """How many of its passages carry each credibility grade."""

    @property
    def total(self) -> int:
        return self.claims + self.quotes + self.policies

    @property
    def reliability(self) -> str | None:
        return self.profile.reliability if self.profile else None


@dataclass(slots=True)
class Entity:
    id: int
    name: str
    kind: EntityKind
    variants: list[str]
    """Every spelling, the name first."""


@dataclass(slots=True)
class WordingChange:
    """An update changed the words of an annotation: what they were, and whether to review it."""

    original: str
    """The words it was made on."""
    status: Status
    """Its status when the words changed."""
    changed_at: datetime
    needs_review: bool
    """Its status had been set on the old words, and nobody has looked at it since."""


@dataclass(slots=True)
class Grades:
    """The grades an export shows: reliability by speaker spelling, credibility by annotation."""

    reliability: dict[str, str]
    """Every spelling (canonical and aliases) of a graded source -> its letter."""
    credibility: dict[str, int]
    labels: dict[str, str]
    """Every spelling of a profiled source -> its identity (S3)."""
    wording: dict[str, WordingChange] = field(default_factory=dict)
    """Annotation uuid -> what an update changed under it (read for the exports that carry it)."""

    def review(self, uuid: str) -> WordingChange | None:
        """The wording change of an annotation that waits for review (its status was set on the
        old words), else None."""
        change = self.wording.get(uuid)
        return change if change is not None and change.needs_review else None

    def of(self, speaker: str | None, uuid: str) -> tuple[str | None, int | None]:
        return (self.reliability.get(speaker) if speaker else None), self.credibility.get(uuid)

    def text(self, speaker: str | None, uuid: str) -> str | None:
        """`B2`-style grade with words: "B (usually reliable) · 2 (probably true)"."""
        letter, number = self.of(speaker, uuid)
        parts = []
        if letter:
            parts.append(f"source {letter} ({RELIABILITY[letter]})")
        if number:
            parts.append(f"credibility {number} ({CREDIBILITY[number]})")
        return " · ".join(parts) or None


NO_GRADES = Grades({}, {}, {})
