"""What the app remembers between runs (theme, panes, last article), and that a bad state file is harmless."""

from __future__ import annotations

import json
from pathlib import Path

from nkreader.services.library import Library
from nkreader.tui.app import create_app
from nkreader.tui.preferences import Preferences, load_preferences, preferences_path, save_preferences


def test_round_trip_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    assert load_preferences(path) == Preferences()
    wanted = Preferences(theme="textual-light", show_library=False, library_width=40, last_article_id=7)
    assert save_preferences(wanted, path)
    assert load_preferences(path) == wanted
    assert not list(tmp_path.glob(".state-*")), "no temporary file is left behind"


def test_malformed_or_hostile_state_gives_defaults_field_by_field(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_preferences(path) == Preferences()
    path.write_text(json.dumps([1, 2]), encoding="utf-8")
    assert load_preferences(path) == Preferences()
    path.write_text(
        json.dumps({"theme": "\x1b[2Jevil", "show_library": "yes", "library_width": 10**9,
                    "last_article_id": 12, "unknown": 1}),
        encoding="utf-8",
    )
    assert load_preferences(path) == Preferences(last_article_id=12)


def test_unwritable_folder_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert save_preferences(Preferences(), blocker / "state.json") is False


async def test_theme_is_remembered_across_runs(library: Library, tmp_path: Path) -> None:
    async with create_app(library, keymap_path=tmp_path / "config.toml").run_test(size=(120, 40)) as pilot:
        assert pilot.app.theme == "textual-dark"
        await pilot.press("f5")
        await pilot.pause()
        assert pilot.app.theme == "textual-light"
    assert load_preferences(preferences_path()).theme == "textual-light"
    async with create_app(library, keymap_path=tmp_path / "config.toml").run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert pilot.app.theme == "textual-light"
        assert pilot.app.current_theme.dark is False


async def test_panes_widths_and_last_article_are_remembered(library: Library, tmp_path: Path) -> None:
    from conftest import SAMPLES
    from nkreader.services.importing import import_paths
    from nkreader.tui.reader import ReaderView

    import_paths(library, [SAMPLES / "hyesan-market-prices.txt", SAMPLES / "kaechon-public-trial.md"])
    config = tmp_path / "config.toml"
    async with create_app(library, keymap_path=config).run_test(size=(160, 50)) as pilot:
        await pilot.press("j", "enter")  # the second article
        await pilot.pause()
        reader = pilot.app.screen.query_one(ReaderView)
        opened = pilot.app.screen.session.article  # type: ignore[attr-defined]
        await pilot.press("j", "j", "j")
        cursor = reader.cursor
        await pilot.press("ctrl+n", "greater_than_sign", "greater_than_sign")
        await pilot.pause()
        width = pilot.app.screen.query_one("#library-pane").outer_size.width
    saved = load_preferences(preferences_path())
    assert (saved.show_annotations, saved.library_width, saved.last_article_id) == (False, width, opened.id)
    async with create_app(library, keymap_path=config).run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = pilot.app.screen
        assert screen.session.article.id == opened.id  # type: ignore[attr-defined]
        assert screen.query_one(ReaderView).has_focus and screen.query_one(ReaderView).cursor == cursor
        assert not screen.query_one("#annotations-pane").display
        assert screen.query_one("#library-pane").outer_size.width == width
