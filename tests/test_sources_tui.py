"""The sources register in the app (issue 17): grade a source, see possible duplicates, keep two
apart, merge two anonymous sources — with the keys a user presses."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLES
from nkreader.domain import Kind
from nkreader.services import sources
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.app import create_app
from nkreader.tui.speakers_screen import SpeakersScreen

A = "an additional source in North Hamgyong Province"
B = "a North Hamgyong Province-based source"


async def until(pilot, condition, *, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition(), "timed out waiting"


def _library(library: Library, tmp_path: Path) -> Library:
    page = tmp_path / "a.md"
    page.write_text(
        "---\ntitle: Trial\npublished: 2025-03-02\n---\nA public trial was held on Monday.\n\nResidents watched.\n",
        encoding="utf-8",
    )
    other = tmp_path / "b.md"
    other.write_text("---\ntitle: Prices\n---\nRice rose again this week.\n", encoding="utf-8")
    import_paths(library, [page, other])
    ids = {s.title: s.id for s in library.summaries()}
    library.annotate(ids["Trial"], Kind.CLAIM, 0, 20, speaker=A)
    library.annotate(ids["Trial"], Kind.QUOTE, 35, 53, speaker=A)
    library.annotate(ids["Prices"], Kind.CLAIM, 0, 14, speaker=B)
    return library


async def _open(pilot) -> SpeakersScreen:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"Speakers")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, SpeakersScreen))
    screen: SpeakersScreen = pilot.app.screen  # type: ignore[assignment]
    await until(pilot, lambda: screen.loads >= 1)
    return screen


async def test_grade_keep_apart_and_merge_in_the_register(library: Library, tmp_path: Path) -> None:
    _library(library, tmp_path)
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open(pilot)
        names = [s.name for s in screen.stats]
        assert names == [A, B]
        assert [(a, b) for a, b, _ in screen.duplicates] == [(A, B)]
        status = str(screen.query_one("#speakers-status").render())
        assert "possibly the same" in status
        # g on the first source: grade it B
        screen.table.move_cursor(row=0)
        await pilot.pause()
        loads = screen.loads
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("b", "enter")
        await until(pilot, lambda: screen.loads > loads)
        assert screen.stats[0].reliability == "B"
        cells = [str(c) for c in screen.table.get_row_at(0)]
        assert cells[1].startswith("S") and cells[3] == "B" and cells[9] == "2025-03-02"
        # a bad grade: one line, nothing changed
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("ctrl+u", "z", "enter")
        await pilot.pause(0.3)
        assert screen.stats[0].reliability == "B"
        # space on B, x on A: kept apart, no longer offered
        screen.table.move_cursor(row=1)
        await pilot.press("space")
        screen.table.move_cursor(row=0)
        await pilot.pause()
        loads = screen.loads
        await pilot.press("x")
        await until(pilot, lambda: screen.loads > loads)
        assert screen.duplicates == []
        # and then the analyst learns they are one person after all: space on B, M on A
        screen.table.move_cursor(row=1)
        await pilot.press("space")
        screen.table.move_cursor(row=0)
        await pilot.pause()
        loads = screen.loads
        await pilot.press("M")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: screen.loads > loads)
        [entry] = screen.stats
        assert entry.name == A and B in entry.aliases and entry.claims == 2 and entry.articles == 2
        assert entry.reliability == "B" and entry.undated_articles == 1
    [entry] = sources.register(library)
    assert entry.reliability == "B"


async def test_a_grade_given_in_the_register_shows_in_the_open_articles_pane(
    library: Library, tmp_path: Path
) -> None:
    """Back from the register (ctrl+k, g B, esc), the open article's rows carry the new grade."""
    from nkreader.tui.main_screen import MainScreen

    _library(library, tmp_path)
    trial = next(s.id for s in library.summaries() if s.title == "Trial")
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    async with app.run_test(size=(160, 50)) as pilot:
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        main.open_article(trial)
        main.focus_pane("reader")
        await pilot.pause()

        def rows() -> list[str]:
            listing = main.annotation_list
            return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]

        assert not any(row.startswith("[C] B") for row in rows())
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(pilot.app.screen, SpeakersScreen))
        screen: SpeakersScreen = pilot.app.screen  # type: ignore[assignment]
        await until(pilot, lambda: screen.loads >= 1)
        screen.table.move_cursor(row=0)
        await pilot.pause()
        loads = screen.loads
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("b", "enter")
        await until(pilot, lambda: screen.loads > loads)
        await pilot.press("escape")
        await until(pilot, lambda: pilot.app.screen is main)
        await until(pilot, lambda: any(row.startswith(f"[C] B– {A}") for row in rows()))
