"""The app's first screen read with plain sqlite3 (`store/first_read.py`, `Library.deferred`) shows
exactly what the store shows, and the store opens as before behind it (issue 14)."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from conftest import SAMPLES
from nkreader.domain import Kind
from nkreader.services.feeds import ReadState
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.store.errors import StoreError
from nkreader.store.first_read import FirstRead


def _filled(db_path: Path) -> int:
    """Samples with marks of each kind, an unread article, a dated and an undated one; the id of
    the article with four marks."""
    library = Library.open(str(db_path))
    try:
        import_paths(library, [SAMPLES])
        rows = library.summaries()
        assert len(rows) >= 3
        first, second = rows[0].id, rows[1].id
        body = library.article(first).body
        for n, kind in enumerate([Kind.CLAIM, Kind.QUOTE, Kind.QUOTE, Kind.POLICY]):
            library.annotate(first, kind, n * 10, n * 10 + 5)
        library.annotate(second, Kind.CLAIM, 0, 4)
        assert len(body) > 50
        ReadState(library).mark_unread([second, rows[2].id])
    finally:
        library.close()
    with sqlite3.connect(db_path) as connection:  # one undated article beside the dated ones
        connection.execute("UPDATE articles SET published = NULL WHERE id = ?", (rows[-1].id,))
        connection.execute("UPDATE articles SET published = '2019-04-01' WHERE id = ?", (rows[0].id,))
    return first


def test_the_first_read_gives_the_stores_rows(db_path: Path) -> None:
    _filled(db_path)
    stored = Library.open(str(db_path))
    first = Library.deferred(str(db_path))
    try:
        assert first.opened is False
        assert first.summaries() == stored.summaries()
        assert first.unread_ids() == ReadState(stored).unread_ids() != set()
        assert {row.published for row in first.summaries()} >= {None, date(2019, 4, 1)}
        assert first.location == stored.location and first.shared is False
        assert first.opened is False  # none of that opened the store
    finally:
        first.close()
        stored.close()


def test_the_store_opens_at_the_first_other_question_and_the_change_token_runs_on(db_path: Path) -> None:
    marked = _filled(db_path)
    library = Library.deferred(str(db_path))
    try:
        token = library.change_token()
        article = next(row for row in library.summaries() if row.id == marked)
        assert library.change_token() == token
        assert len(library.annotations(article.id)) == 4  # opened the store
        assert library.opened is True
        assert library.change_token() == token  # the same connection asks it: no false "changed"
        other = Library.open(str(db_path))
        other.annotate(article.id, Kind.CLAIM, 40, 45)
        other.close()
        assert library.change_token() != token  # another process's commit still shows
        assert next(r for r in library.summaries() if r.id == marked).counts[Kind.CLAIM] == 2  # by the store
    finally:
        library.close()


def test_a_foreign_commit_before_the_store_opens_shows_in_the_token(db_path: Path) -> None:
    _filled(db_path)
    library = Library.deferred(str(db_path))
    try:
        token = library.change_token()
        other = Library.open(str(db_path))
        other.annotate(other.summaries()[0].id, Kind.POLICY, 60, 65)
        other.close()
        assert library.change_token() != token
        assert library.opened is False
    finally:
        library.close()


def test_a_new_library_is_created_as_by_open(db_path: Path) -> None:
    library = Library.deferred(str(db_path))
    try:
        assert library.opened is True  # nothing to read first: opened (and created) the usual way
        assert library.summaries() == []
    finally:
        library.close()
    assert FirstRead.try_open("sqlite:///" + str(db_path)) is not None


def test_a_library_that_is_not_ready_as_it_is_takes_the_usual_open(db_path: Path, tmp_path: Path) -> None:
    _filled(db_path)
    url = "sqlite:///" + str(db_path)
    with sqlite3.connect(db_path) as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    assert FirstRead.try_open(url) is None
    with pytest.raises(StoreError, match="newer nkreader"):  # the usual open says why
        Library.deferred(str(db_path))
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    assert FirstRead.try_open(url) is not None

    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE t (x)")
    assert FirstRead.try_open("sqlite:///" + str(foreign)) is None
    with pytest.raises(StoreError):
        Library.deferred(str(foreign))


def test_a_busy_library_is_left_to_the_usual_open(db_path: Path) -> None:
    _filled(db_path)
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        assert FirstRead.try_open("sqlite:///" + str(db_path)) is None  # its write check waited 1 s
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_library_is_still_refused_by_the_app_start(db_path: Path) -> None:
    _filled(db_path)
    db_path.chmod(0o444)
    try:
        library = Library.deferred(str(db_path))
        try:
            with pytest.raises(StoreError):
                library.check_writable()
        finally:
            library.close()
    finally:
        db_path.chmod(0o644)


async def test_the_app_on_a_deferred_library_opens_marks_and_polls_as_before(
    db_path: Path, tmp_path: Path
) -> None:
    """Keys typed while the store opens behind the painted list act as usual: Enter opens the top
    article, `c` marks it (stored), and the change poll reloads nothing for the app's own writes."""
    from nkreader.tui.app import create_app

    _filled(db_path)
    library = Library.deferred(str(db_path))
    app = create_app(library, keymap_path=tmp_path / "none.toml")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")  # at once: the store may still be opening
            await pilot.pause()
            screen = app.main
            article_id = screen.session.article_id
            assert article_id is not None and library.opened
            reloads: list[int] = []
            original = screen.refresh_library

            def counted(keep: int | None = None) -> None:
                reloads.append(1)
                original(keep)

            screen.refresh_library = counted  # type: ignore[method-assign]
            before = len(library.annotations(article_id))
            await pilot.press("c")
            await pilot.pause()
            assert len(library.annotations(article_id)) == before + 1
            screen.poll_changes()
            await pilot.pause()
            assert reloads == []  # the token ran on from the first read's connection
    finally:
        library.close()
