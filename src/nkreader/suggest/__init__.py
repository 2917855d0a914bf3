"""Offline, explained suggestions of quotes (with speakers), policy statements and claims.

Pure functions over an article's stored text: no store, no Textual, no network. The rules are
written for news about North Korea in English and Korean (KCNA phrasing, anonymous sources,
scare quotes, ``"…"고 말했다``). Every suggestion says which rule fired and why, in one line.

Nothing here is imported at start-up: the command line and the app import it when asked for
suggestions.
"""

from __future__ import annotations

from nkreader.suggest.model import SpeakerBook, Suggestion, suggestion_key

__all__ = ["SpeakerBook", "Suggestion", "suggest", "suggestion_key"]


def suggest(body: str, **options: object) -> list[Suggestion]:
    """Suggestions for ``body`` in text order; see ``engine.suggest`` for the options."""
    from nkreader.suggest.engine import suggest as run

    return run(body, **options)  # type: ignore[arg-type]
