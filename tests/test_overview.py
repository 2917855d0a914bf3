"""Overview (issue 6): counts per kind, source and month; the most quoted speakers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from nkreader.cli import main
from nkreader.domain import ArticleDraft, Kind
from nkreader.services.library import Library, content_hash
from nkreader.services.overview import overview
from nkreader.services.speakers import add_alias
from nkreader.store.articles import add_article


def add(library: Library, title: str, source: str | None, published: date | None) -> int:
    body = f"{title}: a body long enough to mark a few passages in it."
    with library.database.writing() as session:
        return add_article(
            session,
            ArticleDraft(title=title, body=body, source=source, published=published),
            content_hash(body),
        ).id


def test_empty(any_library: Library) -> None:
    library = any_library
    data = overview(library)
    assert data.articles == data.annotations == 0
    assert data.per_kind == {k: 0 for k in Kind}
    assert data.per_source == data.per_month == data.top_speakers == []


def test_counts(any_library: Library, db_url: str) -> None:
    library = any_library
    a = add(library, "One", "Yalu Ledger", date(2025, 3, 4))
    b = add(library, "Two", "Yalu Ledger", date(2025, 3, 30))
    c = add(library, "Three", "KCNA", date(2024, 12, 1))
    add(library, "Four", None, None)
    library.annotate(a, Kind.QUOTE, 0, 5, speaker="Kim Jong Un")
    library.annotate(b, Kind.QUOTE, 0, 5, speaker="Kim Jong-un")
    library.annotate(c, Kind.POLICY, 0, 5, speaker="Kim Jong Un")
    library.annotate(c, Kind.CLAIM, 7, 12, speaker="a source")
    add_alias(library, "Kim Jong Un", "Kim Jong-un")
    data = overview(library)
    assert data.articles == 4 and data.annotations == 4
    assert data.per_kind == {Kind.CLAIM: 1, Kind.QUOTE: 2, Kind.POLICY: 1}
    assert data.per_source == [("Yalu Ledger", 2), ("", 1), ("KCNA", 1)]
    # an article without a published date counts as undated, last, never in its import month
    assert data.per_month == [("2024-12", 1), ("2025-03", 2), ("undated", 1)]
    assert data.top_speakers == [("Kim Jong Un", 3), ("a source", 1)]
    result = CliRunner().invoke(main, ["overview", "--db", db_url], catch_exceptions=False)
    assert result.exit_code == 0
    assert "articles:    4" in result.output and "Yalu Ledger" in result.output and "2025-03" in result.output
    assert "Kim Jong Un" in result.output
    per_month = result.output.split("per month:\n")[1].split("top speakers:")[0]
    assert per_month.splitlines() == ["       1  2024-12", "       2  2025-03", "       1  undated"]
