"""Overview of the library (issue 6): counts per kind, source and month; the top speakers."""

from __future__ import annotations

from nkreader.domain import Overview
from nkreader.services.library import Library
from nkreader.store.speakers import speaker_stats
from nkreader.store.stats import overview_counts

__all__ = ["Overview", "overview"]

TOP_SPEAKERS = 10


def overview(library: Library) -> Overview:
    """Counts over the whole library, read in one snapshot."""
    with library.database.reading() as session:
        counts = overview_counts(session)
        speakers = speaker_stats(session)
    per_kind = counts["per_kind"]
    return Overview(
        per_kind=per_kind,  # type: ignore[arg-type]
        per_source=counts["per_source"],  # type: ignore[arg-type]
        per_month=counts["per_month"],  # type: ignore[arg-type]
        top_speakers=[(s.name, s.total) for s in speakers if s.total][:TOP_SPEAKERS],
        articles=counts["articles"],  # type: ignore[arg-type]
        annotations=sum(per_kind.values()),  # type: ignore[attr-defined]
    )
