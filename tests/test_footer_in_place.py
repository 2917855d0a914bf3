"""The footer changes its keys in place when the focus moves (`tui/app_footer.py`): opening an article
mounts no footer key again, and the footer shows exactly what Textual's own footer would."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.app import create_app
from nkreader.tui.app_footer import AppFooter
from nkreader.tui.reader import ReaderView


def shown(footer: Footer) -> list[tuple[str, str, bool, list[str]]]:
    """The keys a user sees: (key, description, disabled, role classes), left to right as composed."""
    return [
        (key.key, key.description, key._disabled, sorted({"-pinned", "-command-palette"} & set(key.classes)))
        for key in footer.query(FooterKey)
        if key.display
    ]


async def textual_footer(pilot, footer: AppFooter) -> list[tuple[str, str, bool, list[str]]]:  # type: ignore[no-untyped-def]
    """What a recompose (Textual's way) shows now."""
    with footer._context():  # as Textual's footer does it, from its own message pump
        footer.call_after_refresh(footer.recompose)
    await pilot.pause()
    await pilot.pause()
    return shown(footer)


async def test_opening_an_article_relabels_the_footer_keys_instead_of_mounting_them(
    library: Library, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Farm visit\n\nKim Jong Un visited the farm at Sinpo. Officials disagreed.\n", encoding="utf-8")
    import_paths(library, [article])
    app = create_app(library, keymap_path=tmp_path / "config.toml")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(AppFooter)
        in_list = shown(footer)
        assert ("enter", "Open", False, []) in in_list and ("question_mark", "Help", False, ["-pinned"]) in in_list
        mounted = {id(key) for key in footer.query(FooterKey)}

        await pilot.press("enter")  # open: the focus goes to the reader
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one(ReaderView).has_focus
        in_reader = shown(footer)
        assert ("c", "Claim", False, []) in in_reader and ("enter", "Open", False, []) not in in_reader
        kept = {id(key) for key in footer.query(FooterKey)}
        assert mounted <= kept  # every key there was is still there: relabelled, none mounted again
        assert {k.description for k in footer.query(FooterKey) if not k.display} <= {""}  # no stale label

        await pilot.press("tab")  # the annotation list, then back to the library list
        await pilot.pause()
        await pilot.press("shift+tab", "shift+tab")
        await pilot.pause()
        await pilot.pause()
        assert shown(footer) == in_list
        assert {id(key) for key in footer.query(FooterKey)} == kept
        assert await textual_footer(pilot, footer) == in_list  # the same keys Textual's footer composes

        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert shown(footer) == in_reader
