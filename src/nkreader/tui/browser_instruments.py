"""The annotation browser's part of the analyst's instruments (issue 17): the filter row for a
source's reliability, a passage's credibility and the review flag, and the detail line that names
the highlighted row's grades in words and the words an update replaced.

Kept apart from tui/browser_screen.py, which pages and sorts; this only says what to filter on and
what to show about one row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Select

from nkreader.analysis import CREDIBILITY, RELIABILITY
from nkreader.services import StoreError
from nkreader.services import revisions as revision_service
from nkreader.services.library import Library
from nkreader.tui.instrument_cues import REVIEW_FLAG, RowExtras, grade_words
from nkreader.tui.safe import excerpt, safe_text

__all__ = ["REVIEW_BINDING", "detail_content", "instrument_filter_row", "instrument_filters", "mark_reviewed"]

REVIEW_BINDING = Binding(
    "W",
    "review_done",
    "Reviewed",
    id="browser.reviewed",
    tooltip="The changed words are checked again: the ⚑ flag of this row goes",
)


def instrument_filter_row() -> Iterator[Widget]:
    """The third filter row: source grade A–F, credibility 1–6, needs review."""
    with Horizontal(classes="filter-row"):
        yield Select(
            [(f"source {g} · {words}", g) for g, words in RELIABILITY.items()],
            prompt="Any source grade",
            id="f-reliability",
            compact=True,
            classes="instrument",
        )
        yield Select(
            [(f"credibility {n} · {words}", n) for n, words in CREDIBILITY.items()],
            prompt="Any credibility",
            id="f-credibility",
            compact=True,
            classes="instrument",
        )
        yield Select(
            [(f"{REVIEW_FLAG}: words changed", True)],
            prompt="Reviewed or not",
            id="f-review",
            compact=True,
            classes="instrument",
        )


def instrument_filters(screen: DOMNode) -> dict[str, Any]:
    """The `BrowseFilter` fields the row sets (a blank Select is no filter)."""
    reliability = screen.query_one("#f-reliability", Select).value
    credibility = screen.query_one("#f-credibility", Select).value
    return {
        "reliability": reliability if isinstance(reliability, str) else None,
        "credibility": credibility if isinstance(credibility, int) else None,
        "needs_review": screen.query_one("#f-review", Select).value is True,
    }


def detail_content(extras: RowExtras | None) -> Content:
    """``⚑ review  was: ‹old words›  source B (usually reliable) · credibility 2 (probably true)``."""
    parts: list[str | tuple[str, str]] = []
    if extras is not None and extras.needs_review:
        parts += [(REVIEW_FLAG, "bold $text-warning"), "  "]
    if extras is not None and extras.was is not None:
        parts += [("was: ", "bold"), (excerpt(extras.was, 120), "strike"), "  "]
    words = grade_words(extras)
    if words:
        parts.append(words)
    return Content.assemble(*parts)


def mark_reviewed(library: Library, uuid: str, extras: RowExtras | None) -> tuple[bool, str]:
    """Clear the review flag of `uuid`: (changed, the message to show)."""
    if extras is None or not extras.needs_review:
        return False, "Nothing to review: no update changed these words after the status was set."
    try:
        revision_service.clear_review(library, uuid)
    except StoreError as exc:
        return False, safe_text(exc.message)
    return True, "Reviewed: the flag is gone; the old words stay."
