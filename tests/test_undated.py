"""Undated articles say "no date" and count as undated (issue 17): the app's library list, `nkreader
list` (text and --json) and the overview never pass an import date off as a publication date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from nkreader.cli import main
from nkreader.domain import ArticleDraft, utcnow
from nkreader.services.library import Library, content_hash
from nkreader.store.articles import add_article
from nkreader.tui.app import create_app
from nkreader.tui.library_list import LibraryList
from nkreader.tui.overview_screen import OverviewScreen


def fill(db: Path) -> None:
    library = Library.open(str(db))
    try:
        for title, published in (("Dated report", date(2025, 3, 4)), ("Undated testimony", None)):
            body = f"{title}: a body long enough to read."
            with library.database.writing() as session:
                add_article(session, ArticleDraft(title=title, body=body, published=published), content_hash(body))
    finally:
        library.close()


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def test_list_says_no_date_in_text_and_null_in_json(db_path: Path) -> None:
    fill(db_path)
    today = utcnow().date().isoformat()
    code, out = run(db_path, "list")
    assert code == 0
    undated = next(line for line in out.splitlines() if "Undated testimony" in line)
    dated = next(line for line in out.splitlines() if "Dated report" in line)
    assert "no date" in undated and today not in undated
    assert "2025-03-04" in dated
    code, out = run(db_path, "list", "--json")
    by_title = {a["title"]: a["published"] for a in json.loads(out)}
    assert by_title == {"Dated report": "2025-03-04", "Undated testimony": None}


def test_overview_counts_undated_not_the_import_month(db_path: Path) -> None:
    fill(db_path)
    code, out = run(db_path, "overview")
    assert code == 0
    months = out.split("per month:\n")[1].splitlines()
    assert months == ["       1  2025-03", "       1  undated"]
    assert utcnow().strftime("%Y-%m") not in out or utcnow().strftime("%Y-%m") == "2025-03"


async def test_the_app_shows_no_date_in_the_list_and_undated_in_the_overview(
    db_path: Path, tmp_path: Path
) -> None:
    fill(db_path)
    library = Library.open(str(db_path))
    try:
        app = create_app(library, keymap_path=tmp_path / "config.toml")
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            rows = app.query_one(LibraryList)
            lines = [rows.render_line(y).text for y in range(2)]
            undated = next(line for line in lines if "Undated testimony" in line)
            assert "no date" in undated and utcnow().date().isoformat() not in undated
            assert "2025-03-04" in next(line for line in lines if "Dated report" in line)
            app.push_screen(OverviewScreen(library))
            for _ in range(100):
                await pilot.pause(0.02)
                if isinstance(app.screen, OverviewScreen) and app.screen.data is not None:
                    break
            text = app.export_screenshot()
            assert "undated" in text and utcnow().strftime("%Y-%m") not in text
    finally:
        library.close()
