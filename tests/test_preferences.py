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
