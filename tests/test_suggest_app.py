"""Suggestions in the app (issue 13): shown faded, stepped through, accepted, rejected, remembered."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLES
from nkreader.services.exporting import native_document
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.app import create_app
from nkreader.tui.main_screen import MainScreen
from nkreader.tui.reader import ReaderView

HYESAN = SAMPLES / "hyesan-market-prices.txt"


def app_for(library: Library, tmp_path: Path):
    return create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)


def exported(library: Library) -> list[dict]:
    return [a for article in native_document(library)["articles"] for a in article["annotations"]]


async def open_with_suggestions(pilot) -> tuple[MainScreen, ReaderView]:
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    await pilot.press("z")
    for _ in range(100):
        await pilot.pause(0.05)
        if not screen.suggestions.loading:
            break
    assert screen.suggestions.items, "no suggestions computed"
    return screen, screen.query_one(ReaderView)


async def test_show_step_accept_quote_with_speaker_and_undo(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen, reader = await open_with_suggestions(pilot)
        drawn = [h for h in reader.highlights if h.suggested]
        assert drawn and all(not h.key.count("-") for h in drawn)  # suggestions, not annotation uuids
        # Step to the first quote suggestion.
        for _ in range(len(screen.suggestions.items)):
            await pilot.press("plus")
            await pilot.pause()
            if screen.suggestions.current is not None and screen.suggestions.current.kind == "quote":
                break
        current = screen.suggestions.current
        assert current is not None and current.kind == "quote"
        assert reader.selection == (current.start, current.end)
        await pilot.press("y")
        await pilot.pause()
        [mark] = exported(library)
        assert mark["kind"] == "quote" and mark["exact"] == current.exact
        assert mark["speaker"] == "a source in Ryanggang Province"
        assert "suggested" in mark["tags"]
        # Accepted: drawn as a mark now, not as a suggestion.
        assert not any(h.suggested and h.start == current.start for h in reader.highlights)
        await pilot.press("u")
        await pilot.pause()
        assert exported(library) == []
        assert any(h.suggested and h.start == current.start for h in reader.highlights)


async def test_rejected_suggestion_is_not_suggested_again_after_reopening(
    library: Library, tmp_path: Path
) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen, _ = await open_with_suggestions(pilot)
        await pilot.press("plus")
        await pilot.pause()
        rejected = screen.suggestions.current
        assert rejected is not None
        await pilot.press("d")
        await pilot.pause()
        assert rejected.exact not in [s.exact for s in screen.suggestions.items if s.kind == rejected.kind]
        await pilot.press("ctrl+q")
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen, _ = await open_with_suggestions(pilot)
        again = [(s.kind, s.exact) for s in screen.suggestions.items]
        assert (rejected.kind, rejected.exact) not in again
        assert exported(library) == []


async def test_accept_all_of_a_kind_and_hide(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen, reader = await open_with_suggestions(pilot)
        quotes = [s for s in screen.suggestions.items if s.kind == "quote"]
        for _ in range(len(screen.suggestions.items)):
            await pilot.press("plus")
            await pilot.pause()
            if screen.suggestions.current is not None and screen.suggestions.current.kind == "quote":
                break
        await pilot.press("Y")
        await pilot.pause()
        marks = exported(library)
        assert len(marks) == len(quotes) and all(m["kind"] == "quote" and m["speaker"] for m in marks)
        assert not [h for h in reader.highlights if h.suggested and h.kind == "quote"]
        await pilot.press("z")
        await pilot.pause()
        assert not [h for h in reader.highlights if h.suggested]


async def test_suggestion_keys_are_on_the_help_screen_and_in_the_palette(
    library: Library, tmp_path: Path
) -> None:
    app = app_for(library, tmp_path)
    ids = {row[2] for _, rows in app.help_groups() for row in rows}
    assert {
        "suggest.toggle",
        "suggest.next",
        "suggest.previous",
        "suggest.accept",
        "suggest.reject",
        "suggest.accept_kind",
    } <= ids
    import_paths(library, [HYESAN])
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any("suggestions" in t.lower() for t in titles)


async def test_accept_all_is_one_undo_step_and_redo_brings_them_back(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen, reader = await open_with_suggestions(pilot)
        claims = [s for s in screen.suggestions.items if s.kind == "claim"]
        assert len(claims) >= 2
        for _ in range(len(screen.suggestions.items)):
            await pilot.press("plus")
            await pilot.pause()
            if screen.suggestions.current is not None and screen.suggestions.current.kind == "claim":
                break
        await pilot.press("Y")
        await pilot.pause()
        assert len(exported(library)) == len(claims)
        await pilot.press("u")  # one key takes back the whole batch
        await pilot.pause()
        assert exported(library) == []
        assert len([h for h in reader.highlights if h.suggested and h.kind == "claim"]) == len(claims)
        assert screen.annotations == [] or all(a.kind != "claim" for a in screen.annotations)
        await pilot.press("ctrl+r")  # redo stores them all again
        await pilot.pause()
        assert sorted(m["exact"] for m in exported(library)) == sorted(s.exact for s in claims)


async def test_undoing_a_rejection_suggests_it_again(library: Library, tmp_path: Path) -> None:
    from nkreader.services import suggestions as service

    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen, reader = await open_with_suggestions(pilot)
        await pilot.press("plus")
        await pilot.pause()
        rejected = screen.suggestions.current
        assert rejected is not None
        await pilot.press("d")
        await pilot.pause()
        assert rejected.exact not in [s.exact for s in screen.suggestions.items]
        assert service.rejections(library)
        await pilot.press("u")
        for _ in range(100):
            await pilot.pause(0.05)
            if not screen.suggestions.loading:
                break
        assert service.rejections(library) == []
        assert rejected.exact in [s.exact for s in screen.suggestions.items]
        assert any(h.suggested and h.start == rejected.start for h in reader.highlights)
