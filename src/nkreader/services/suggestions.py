"""Suggestions for stored articles: run the rules with the library's speakers, accept them.

An accepted suggestion becomes an ordinary annotation with the speaker the rules found (the
library's canonical name when it knows the speaker) and the tag ``suggested``, so it is exported,
searched and undone like any other mark and can still be told apart from marks made by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from nkreader.domain import Annotation, Kind
from nkreader.services.library import Library
from nkreader.store import articles as stored_articles
from nkreader.store import speakers as stored_speakers
from nkreader.store import suggestion_rejections as rejections_store
from nkreader.suggest import SpeakerBook, Suggestion, suggestion_key

SUGGESTED_TAG = "suggested"


def speaker_book(library: Library) -> SpeakerBook:
    with library.database.reading() as session:
        return SpeakerBook(stored_speakers.speaker_groups(session))


def suggestions_for(
    library: Library,
    article_id: int,
    *,
    kinds: Iterable[Kind] | None = None,
    book: SpeakerBook | None = None,
) -> list[Suggestion]:
    """The article's suggestions, leaving out spans already marked with the same kind and the
    suggestions rejected for this article."""
    from nkreader.suggest.engine import suggest

    article, annotations, _ = library.open_article(article_id)
    return suggest(
        article.body,
        kinds=kinds,
        speakers=book if book is not None else speaker_book(library),
        existing=[(a.kind, a.start, a.end) for a in annotations],
        rejected=rejected(library, article_id),
    )


def rejected(library: Library, article_id: int) -> set[tuple[str, str]]:
    with library.database.reading() as session:
        return rejections_store.rejected_keys(session, article_id)


def reject(library: Library, article_id: int, suggestion: Suggestion) -> bool:
    """Remember that this suggestion is wrong for this article (one transaction)."""
    kind, text = suggestion_key(suggestion.kind, suggestion.exact)
    with library.database.writing() as session:
        library_article_exists(session, article_id)
        return rejections_store.add_rejection(session, article_id, kind, text)


def unreject(library: Library, article_id: int, suggestion: Suggestion) -> None:
    """Forget a rejection (the undo of `reject`)."""
    kind, text = suggestion_key(suggestion.kind, suggestion.exact)
    with library.database.writing() as session:
        rejections_store.remove_rejection(session, article_id, kind, text)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A suggestion the user rejected: its article, kind, text (whitespace folded) and when."""

    article_id: int
    kind: str
    text: str
    rejected_at: datetime


def rejections(library: Library, article_ids: Sequence[int] | None = None) -> list[Rejection]:
    """Every remembered rejection (of these articles), oldest first per article."""
    wanted = list(article_ids) if article_ids else None
    with library.database.reading() as session:
        return [Rejection(*row) for row in rejections_store.list_rejections(session, wanted)]


def forget_rejections(library: Library, article_ids: Sequence[int] | None = None) -> int:
    """Forget the rejections (of these articles) in one transaction: they may be suggested again."""
    wanted = list(article_ids) if article_ids else None
    with library.database.writing() as session:
        return rejections_store.remove_rejections(session, wanted)


def accept(library: Library, article_id: int, suggestion: Suggestion) -> Annotation:
    """Store one suggestion as an annotation (one transaction); returns it (record it for undo)."""
    return library.annotate(
        article_id,
        suggestion.kind,
        suggestion.start,
        suggestion.end,
        speaker=suggestion.speaker_to_store,
        tags=[SUGGESTED_TAG],
    )


def accept_all(library: Library, article_id: int, suggestions: Sequence[Suggestion]) -> list[Annotation]:
    return [accept(library, article_id, s) for s in suggestions]


def library_article_exists(session: object, article_id: int) -> None:
    """Raise the store's NotFound for a missing article (a rejection needs its article)."""
    stored_articles.get_article(session, article_id)  # type: ignore[arg-type]
