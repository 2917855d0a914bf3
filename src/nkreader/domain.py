"""Plain data shared by every layer: no SQLAlchemy, no Textual.

The store maps these to rows, the importers produce them, the exporters and the
app consume them. Keeping them plain lets each layer be tested on its own.
"""

from __future__ import annotations

import enum
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Timezone-aware now, truncated to milliseconds so JSON round trips are exact."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def new_uuid() -> str:
    return str(uuid_module.uuid4())


class Kind(enum.StrEnum):
    """The three kinds of annotation: the single source of truth for key, colour and label."""

    CLAIM = "claim"
    QUOTE = "quote"
    POLICY = "policy"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def plural(self) -> str:
        return _KIND_PLURALS[self]

    @property
    def key(self) -> str:
        """Default key that tags the selection with this kind (docs/ARCHITECTURE.md §5)."""
        return _KIND_KEYS[self]

    @property
    def letter(self) -> str:
        """One-letter badge: a cue that does not depend on colour."""
        return _KIND_LETTERS[self]

    @property
    def colour(self) -> str:
        """Theme variable the highlight of this kind is drawn with."""
        return _KIND_COLOURS[self]


_KIND_LABELS = {Kind.CLAIM: "Claim", Kind.QUOTE: "Quote", Kind.POLICY: "Policy statement"}
_KIND_PLURALS = {Kind.CLAIM: "Claims", Kind.QUOTE: "Quotes", Kind.POLICY: "Policy statements"}
_KIND_KEYS = {Kind.CLAIM: "c", Kind.QUOTE: "q", Kind.POLICY: "p"}
_KIND_LETTERS = {Kind.CLAIM: "C", Kind.QUOTE: "Q", Kind.POLICY: "P"}
_KIND_COLOURS = {Kind.CLAIM: "$primary", Kind.QUOTE: "$success", Kind.POLICY: "$warning"}


class Status(enum.StrEnum):
    """Verification status; meaningful for claims, kept (unverified) for other kinds."""

    UNVERIFIED = "unverified"
    CORROBORATED = "corroborated"
    DISPUTED = "disputed"
    REFUTED = "refuted"


class AnchorState(enum.StrEnum):
    """Whether an annotation still sits on the text it was made on."""

    ANCHORED = "anchored"
    MOVED = "moved"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


class LinkType(enum.StrEnum):
    CORROBORATES = "corroborates"
    CONTRADICTS = "contradicts"
    SAME_AS = "same-as"
    CITES = "cites"


CONTEXT_CHARS = 32
"""Characters of prefix and suffix kept with each annotation for re-anchoring."""


@dataclass(slots=True)
class ArticleDraft:
    """An article as an importer produced it, before the store gives it an identity.

    `body` is already normalized (text.normalize); offsets will refer to it.
    """

    title: str
    body: str
    source: str | None = None
    author: str | None = None
    url: str | None = None
    published: date | None = None
    language: str | None = None
    origin: str | None = None
    """Where it came from: a file path (with '#n' for the n-th entry of a feed or list) or a URL."""
    origin_format: str | None = None
    """Importer that read it: text, markdown, html, json, feed."""


@dataclass(slots=True)
class Article:
    id: int | None
    uuid: str
    title: str
    body: str
    content_hash: str
    source: str | None = None
    author: str | None = None
    url: str | None = None
    published: date | None = None
    language: str | None = None
    origin: str | None = None
    origin_format: str | None = None
    imported_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)


@dataclass(slots=True)
class ArticleRevision:
    """A text an article had before an update replaced it (kept so nothing annotated is lost)."""

    id: int | None
    article_id: int
    title: str
    body: str
    content_hash: str
    url: str | None
    origin: str | None
    stored_at: datetime
    """When this text became the article's."""
    replaced_at: datetime


@dataclass(slots=True)
class ArticleSummary:
    """One row of the library list: enough to show it, without the body."""

    id: int
    uuid: str
    title: str
    source: str | None
    published: date | None
    imported_at: datetime
    counts: dict[Kind, int]
    language: str | None = None


@dataclass(slots=True)
class Annotation:
    id: int | None
    uuid: str
    article_id: int
    kind: Kind
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    tags: list[str] = field(default_factory=list)
    speaker: str | None = None
    status: Status = Status.UNVERIFIED
    anchor_state: AnchorState = AnchorState.ANCHORED
    author: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    version: int = 1
    """Moves on by one with every stored change; a write names the version its editor saw
    (`Library.update_fields`), so two windows never overwrite each other unseen."""
    updated_by: str | None = None
    """Who stored the last change (the annotator of the writing process; `author` when new)."""


@dataclass(slots=True)
class Link:
    id: int | None
    uuid: str
    source_uuid: str
    target_uuid: str
    type: LinkType
    created_at: datetime = field(default_factory=utcnow)


def quote_context(body: str, start: int, end: int) -> tuple[str, str, str]:
    """The exact text and its prefix and suffix: the quote selector of an annotation."""
    return (
        body[start:end],
        body[max(0, start - CONTEXT_CHARS) : start],
        body[end : end + CONTEXT_CHARS],
    )


# --------------------------------------------------------------------------- research (issue 6)


@dataclass(slots=True)
class SearchHit:
    """One result of a full-text search: an article, or an annotation (with its article)."""

    kind: str
    """"article" or "annotation"."""
    article_id: int
    article_title: str
    source: str | None
    published: date | None
    annotation_uuid: str | None
    annotation_kind: Kind | None
    offset: int
    """Code-point offset into the article body: the first match (articles) or the annotation's start."""
    snippet: list[tuple[str, bool]]
    """About 120 characters around the match, one line, from the stored text; True = matched words."""
    rank: float
    """Relevance (bm25, negated): higher is better; hits come sorted by it."""


@dataclass(slots=True)
class LinkView:
    """A link as seen from one of its annotations."""

    link: Link
    direction: str
    """"out" (this annotation is the link's source) or "in" (it is the target)."""
    other: Annotation
    other_article_title: str


@dataclass(slots=True)
class BrowseFilter:
    """Filters of the annotation browser; None (or empty) means no filter."""

    kinds: set[Kind] | None = None
    speaker: str | None = None
    """Any spelling of a speaker: matches its canonical name and every alias."""
    tag: str | None = None
    status: Status | None = None
    source: str | None = None
    date_from: date | None = None
    """Article date (published, else imported), inclusive."""
    date_to: date | None = None
    text: str | None = None
    """Full-text query over the annotations (exact, note, speaker, tags)."""
    reliability: str | None = None
    """A–F: only passages whose speaker is a source graded so (issue 17)."""
    credibility: int | None = None
    """1–6: only quotes and claims graded so."""
    needs_review: bool = False
    """Only annotations whose words an update changed after their status was set, not yet reviewed."""


@dataclass(slots=True)
class BrowseRow:
    """One row of the annotation browser."""

    uuid: str
    article_id: int
    kind: Kind
    excerpt: str
    """First 200 characters of the exact text, on one line."""
    speaker: str | None
    article_title: str
    source: str | None
    published: date | None
    created_at: datetime
    status: Status
    tags: list[str]
    link_count: int


@dataclass(slots=True)
class SpeakerStat:
    """A speaker (canonical name), its aliases and how many annotations it has, per kind."""

    name: str
    aliases: list[str]
    quotes: int
    policies: int
    claims: int
    total: int


@dataclass(slots=True)
class Overview:
    """Counts over the whole library."""

    per_kind: dict[Kind, int]
    """Annotations per kind."""
    per_source: list[tuple[str, int]]
    """Articles per source, most first ("" for articles without a source)."""
    per_month: list[tuple[str, int]]
    """Articles per "YYYY-MM" of their publication date, oldest first, then ("undated", n) for
    articles without one (never their import month)."""
    top_speakers: list[tuple[str, int]]
    """Canonical speakers by number of annotations, most first (at most 10)."""
    articles: int
    annotations: int
