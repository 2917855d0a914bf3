"""Keys act in the order typed, even when the app is behind.

Textual runs a *priority* binding (`t`, `e`, `a`, `x`, `ctrl+q` …) as soon as its key reaches the
app, while an ordinary key (`c`, `)`) first travels through the focused widget's queue. Typed fast,
or on a busy machine, `c` then `t` tagged the mark *before* the new one (or said "no annotation
here"), and `c` then `ctrl+q` quit before the claim was stored. These tests queue keys in one
burst, as a terminal delivers fast typing or a paste, and check what was stored.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from nkreader.services.exporting import native_document
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.app import create_app
from nkreader.tui.dialogs import TagsDialog
from nkreader.tui.reader import ReaderView

BODY = "The ministry announced new grain quotas. Officials in Hyesan disagreed. Prices rose again."


def stored(library: Library) -> list[dict]:
    return [a for article in native_document(library)["articles"] for a in article["annotations"]]


def burst(app, keys: list[str]) -> None:
    """Queue keys at once, as the terminal driver does for fast typing."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        character = key if len(key) == 1 else None
        event = events.Key(key, character)
        event.set_sender(app)
        driver.send_message(event)


async def open_article(pilot, library: Library, tmp_path: Path) -> ReaderView:
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    reader = pilot.app.screen.query_one(ReaderView)
    assert reader.has_focus
    return reader


async def test_c_then_t_typed_at_once_tags_the_new_claim(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"Quotas\n\n{BODY}\n", encoding="utf-8")
    import_paths(library, [path])
    app = create_app(library, keymap_path=tmp_path / "config.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, library, tmp_path)
        burst(app, ["c", "right_parenthesis", "c", "t", *"hyesan"])
        for _ in range(20):
            await pilot.pause(0.02)
        assert isinstance(app.screen, TagsDialog)
        assert app.screen.query_one("#tags-input", Input).value == "hyesan"
        await pilot.press("enter")
        await pilot.pause()
    marks = sorted(stored(library), key=lambda m: m["start"])
    assert [m["exact"] for m in marks] == [
        "The ministry announced new grain quotas.",
        "Officials in Hyesan disagreed.",
    ]
    assert [m["tags"] for m in marks] == [[], ["hyesan"]]


async def test_keys_typed_just_before_quitting_are_all_stored(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"Quotas\n\n{BODY}\n", encoding="utf-8")
    import_paths(library, [path])
    app = create_app(library, keymap_path=tmp_path / "config.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, library, tmp_path)
        burst(app, ["c", "right_parenthesis", "c", "right_parenthesis", "c", "ctrl+q"])
        for _ in range(50):
            await pilot.pause(0.02)
            if not app.is_running:
                break
    assert len(stored(library)) == 3
