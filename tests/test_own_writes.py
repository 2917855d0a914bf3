"""The app's own writes never make it re-read everything: saving the reading position (every 5 s
while reading) is not taken for another process's change. A real change by another process
still is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import SAMPLES
from nkreader.domain import Kind
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.app import create_app


async def test_saving_the_position_does_not_trigger_a_reload(library: Library, tmp_path: Path) -> None:
    import_paths(library, [SAMPLES])
    app = create_app(library, keymap_path=tmp_path / "none.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.main
        reloads: list[int | None] = []
        screen._refresh_from_store = lambda article_id: reloads.append(article_id)  # type: ignore[method-assign]
        for _ in range(3):
            await pilot.press("down", "down", "j")
            await pilot.pause()
            before = screen.session.saved_position
            screen._save_position()
            assert screen.session.saved_position != before  # the position was written
            screen.poll_changes()
        assert reloads == []
        # another process's commit is still picked up, even when a save follows it
        db = library.database.path
        assert db is not None
        with sqlite3.connect(db) as other:
            other.execute(
                "UPDATE articles SET title = title || ' (edited)' WHERE id = ?", (screen.session.article_id,)
            )
        await pilot.press("j")
        await pilot.pause()
        screen._save_position()
        screen.poll_changes()
        assert reloads == [screen.session.article_id]


async def test_marking_twice_reads_the_stored_text_once(library: Library, tmp_path: Path) -> None:
    """Opening reads the text, so no writing key reads it again to compare; the app's own mark
    does not make the next one read the whole article. A text changed by another process is
    still noticed."""
    import_paths(library, [SAMPLES])
    app = create_app(library, keymap_path=tmp_path / "none.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.main
        session = screen.session
        reads: list[int] = []
        original = session.stored_text_if_changed

        def counted():
            reads.append(1)
            return original()

        session.stored_text_if_changed = counted  # type: ignore[method-assign]
        article_id = session.article_id
        before = len(library.annotations(article_id))
        for _ in range(3):
            await pilot.press("c")
            await pilot.pause()
            await pilot.press(")", ")")
            await pilot.pause()
        assert len(library.annotations(article_id)) == before + 3
        assert reads == []  # the text read on opening is the stored one: no 1 MB read per c
        db = library.database.path
        assert db is not None
        with sqlite3.connect(db) as other:
            other.execute("UPDATE articles SET title = title || ' (edited)' WHERE id = ?", (article_id,))
        await pilot.press("c")
        await pilot.pause()
        assert len(reads) == 1  # a foreign commit: the text is compared again


async def test_a_change_committed_just_before_the_apps_own_write_is_still_shown(
    library: Library, tmp_path: Path
) -> None:
    """Another process marks after the last poll; this app marks before the next one. Its own
    write must not make the poll take the other's mark for seen."""
    import_paths(library, [SAMPLES])
    app = create_app(library, keymap_path=tmp_path / "none.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.main
        article = screen.session.article_id
        assert article is not None
        screen.poll_changes()  # the token as the app last saw it
        db = library.database.path
        assert db is not None
        other = Library.open(str(db), annotator="ben")
        try:
            theirs = other.annotate(article, Kind.CLAIM, 0, 20)
        finally:
            other.close()
        await pilot.press("right", "right", ")", "c")  # this app's own mark, before the next poll
        await pilot.pause()
        assert theirs.uuid not in {a.uuid for a in screen.session.annotations}
        screen.poll_changes()
        for _ in range(100):
            await pilot.pause(0.05)
            if theirs.uuid in {a.uuid for a in screen.session.annotations}:
                break
        assert theirs.uuid in {a.uuid for a in screen.session.annotations}
        assert len([a for a in screen.session.annotations if a.kind is Kind.CLAIM]) == 2
