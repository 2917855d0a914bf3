"""Suggestions for stored articles: run the rules with the library's speakers, accept them.

An accepted suggestion becomes an ordinary annotation with the speaker the rules found (the
library's canonical name when it knows the speaker) and the tag ``suggested``, so it is exported,
searched and undone like any other mark and can still be told apart from marks made by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from nkreader.domain import Annotation, Kind
from nkreader.services.library import Library
from nkreader.suggest import SpeakerBook, Suggestion

SUGGESTED_TAG = "suggested"


def speaker_book(library: Library) -> SpeakerBook:
    from nkreader.store import research

    with library.database.reading() as session:
        return SpeakerBook(research.speaker_groups(session))


def suggestions_for(
    library: Library,
    article_id: int,
    *,
    kinds: Iterable[Kind] | None = None,
    book: SpeakerBook | None = None,
) -> list[Suggestion]:
    """The article's suggestions, leaving out spans already marked with the same kind."""
    from nkreader.suggest.engine import suggest

    article, annotations, _ = library.open_article(article_id)
    return suggest(
        article.body,
        kinds=kinds,
        speakers=book if book is not None else speaker_book(library),
        existing=[(a.kind, a.start, a.end) for a in annotations],
    )


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
