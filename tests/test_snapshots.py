"""Snapshots of the main screen (dark and light, 80×24 and 160×50) and of the help screen.

Update after an intended change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from nkreader.domain import ArticleDraft, Kind
from nkreader.services.library import Library, content_hash
from nkreader.store.articles import add_article
from nkreader.tui.app import create_app

FIXED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)

BODY = (
    "Rice prices in Hyesan rose above 7,000 won per kilogram in mid-August, as the won weakened "
    "against the U.S. dollar, a source in Ryanggang Province said on Aug. 21.\n\n"
    "“People used to switch to corn when rice got expensive, but now corn is going up just as "
    "fast,” the source said. “A family of four needs at least 1.5 kg of grain a day.”\n\n"
    "노동신문은 “자력갱생의 기치를 높이 들고 나가야 한다”고 강조했다. The won also lost ground.\n\n"
    "Money changers near the market were buying one dollar for 21,400 won on Aug. 20."
)


def build_library(db: Path) -> Library:
    library = Library.open(str(db))
    articles = [
        ("Rice tops 7,000 won a kilogram in Hyesan", "Yalu Ledger", date(2025, 8, 22), BODY),
        (
            "Kaechon stages public trial of five",
            "Northern Correspondent",
            date(2025, 3, 14),
            "Five stood trial.",
        ),
        ("청진 수남시장 쌀값 1kg 7,000원 넘어", "북방경제통신", date(2025, 9, 5), "쌀값이 올랐다."),
    ]
    with library.database.writing() as session:
        ids = [
            add_article(
                session,
                ArticleDraft(title=t, body=b, source=s, published=d, language="en"),
                content_hash(b),
                imported_at=FIXED,
            ).id
            for t, s, d, b in articles
        ]
    first = ids[0]
    marks = [
        (Kind.CLAIM, BODY.index("Rice prices"), BODY.index(" a source in")),
        (Kind.QUOTE, BODY.index("“People"), BODY.index(" the source said.")),
        (Kind.CLAIM, BODY.index("“A family"), BODY.index("day.”") + 5),
        (Kind.POLICY, BODY.index("노동신문은"), BODY.index("강조했다.") + 5),
    ]
    for kind, start, end in marks:
        annotation = library.annotate(first, kind, start, end)
        if kind is Kind.QUOTE:
            library.edit(annotation, speaker="a source in Ryanggang Province", tags=["market"])
    return library


@pytest.fixture
def snapshot_app(tmp_path: Path):
    library = build_library(tmp_path / "snap.db")
    yield create_app(library, keymap_path=tmp_path / "none.toml")
    library.close()


def _light(pilot) -> None:
    pilot.app.theme = "textual-light"


OPEN = ["j", "enter", "j", "j", "l", "l"]


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
@pytest.mark.parametrize("theme", ["dark", "light"])
def test_main_screen(snap_compare, snapshot_app, size: tuple[int, int], theme: str) -> None:
    async def before(pilot) -> None:
        if theme == "light":
            _light(pilot)
        await pilot.pause()

    assert snap_compare(snapshot_app, press=OPEN, terminal_size=size, run_before=before)


def test_help_screen(snap_compare, snapshot_app) -> None:
    # An article open first: the help is see-through, and with no article the status line behind it
    # would show the library's path, which is a new temporary folder on every run.
    assert snap_compare(snapshot_app, press=[*OPEN, "question_mark"], terminal_size=(100, 40))
