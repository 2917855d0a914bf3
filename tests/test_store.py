"""The store: migrations, pragmas, full-text tables in step, refusal of newer schemas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nkreader.domain import ArticleDraft, Kind
from nkreader.services.library import InvalidSpan, Library, content_hash
from nkreader.store import migrate
from nkreader.store.articles import add_article
from nkreader.store.database import Database
from nkreader.store.engine import default_db_path, resolve_db_url
from nkreader.store.errors import StoreCorrupt, StoreTooNew, StoreUnavailable
from nkreader.store.models import ArticleRow
from nkreader.store.stats import count_annotations_by_kind

BODY = "First paragraph says one thing. It says another.\n\nSecond paragraph: 김정은 위원장이 말했다."


def add(library: Library, body: str = BODY, **fields: object) -> int:
    draft = ArticleDraft(title=str(fields.pop("title", "A title")), body=body, **fields)  # type: ignore[arg-type]
    with library.database.writing() as session:
        return add_article(session, draft, content_hash(body)).id  # type: ignore[return-value]


def test_nothing_is_created_at_import_time(isolated_environment: Path) -> None:
    import nkreader.cli
    import nkreader.services.library  # noqa: F401

    assert not default_db_path().exists()
    assert str(isolated_environment) in str(default_db_path())


def test_db_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert resolve_db_url(None).endswith("nkreader/library.db")
    monkeypatch.setenv("NKREADER_DB", str(tmp_path / "env.db"))
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_db_url(str(tmp_path / "flag.db")) == f"sqlite:///{tmp_path / 'flag.db'}"
    assert resolve_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"  # psycopg 3, the extra
    assert resolve_db_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"


def test_open_creates_schema_with_pragmas(library: Library, db_path: Path) -> None:
    assert db_path.exists()
    with library.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    assert migrate.current_revision(library.database.engine) == migrate.head_revision()


def test_migrations_have_no_drift_and_downgrade(db_path: Path) -> None:
    database = Database.open(str(db_path))
    migrate.check_drift(database.engine)  # raises if models and migrations disagree
    migrate.downgrade(database.engine, "base")
    tables = {
        r[0] for r in sqlite3.connect(db_path).execute("select name from sqlite_master where type='table'")
    }
    assert tables == {"alembic_version"}
    migrate.upgrade(database.engine)
    assert migrate.current_revision(database.engine) == migrate.head_revision()
    database.close()


def test_fts_tables_follow_articles_and_annotations(library: Library) -> None:
    article_id = add(library)
    library.annotate(article_id, Kind.QUOTE, 0, 31, speaker="Pak Chol")
    with library.database.engine.connect() as connection:
        hits = connection.exec_driver_sql(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'paragraph'"
        )
        assert [r[0] for r in hits] == [article_id]
        hits = connection.exec_driver_sql(
            "SELECT count(*) FROM annotations_fts WHERE annotations_fts MATCH 'pak'"
        )
        assert hits.scalar() == 1
    annotation = library.annotations(article_id)[0]
    library.delete(annotation.uuid)
    with library.database.engine.connect() as connection:
        hits = connection.exec_driver_sql(
            "SELECT count(*) FROM annotations_fts WHERE annotations_fts MATCH 'pak'"
        )
        assert hits.scalar() == 0


def test_annotate_stores_exact_prefix_suffix(library: Library) -> None:
    article_id = add(library)
    start = BODY.index("It says")
    annotation = library.annotate(article_id, Kind.CLAIM, start, start + len("It says another."))
    assert annotation.exact == "It says another."
    assert annotation.prefix == BODY[start - 32 : start]
    assert annotation.suffix == BODY[annotation.end : annotation.end + 32]
    stored = library.annotations(article_id)
    assert [(a.uuid, a.exact, a.kind) for a in stored] == [(annotation.uuid, "It says another.", Kind.CLAIM)]
    assert stored[0].created_at == annotation.created_at
    assert stored[0].created_at.tzinfo is not None


def test_annotate_refuses_bad_spans(library: Library) -> None:
    article_id = add(library)
    with pytest.raises(InvalidSpan):
        library.annotate(article_id, Kind.CLAIM, 5, 5)
    with pytest.raises(InvalidSpan):
        library.annotate(article_id, Kind.CLAIM, 0, len(BODY) + 1)
    blank = BODY.index("\n\n")
    with pytest.raises(InvalidSpan):
        library.annotate(article_id, Kind.CLAIM, blank, blank + 2)
    assert library.annotations(article_id) == []


def test_korean_offsets_are_code_points(library: Library) -> None:
    article_id = add(library)
    start = BODY.index("김정은")
    annotation = library.annotate(article_id, Kind.POLICY, start, len(BODY))
    assert annotation.exact == "김정은 위원장이 말했다."
    assert library.article(article_id).body[annotation.start : annotation.end] == annotation.exact


def test_summaries_count_per_kind_newest_first(library: Library) -> None:
    from datetime import date

    old = add(library, "Old text.", title="Old", published=date(2020, 1, 1))
    new = add(library, "New text.", title="New", published=date(2026, 1, 1))
    library.annotate(new, Kind.CLAIM, 0, 4)
    library.annotate(new, Kind.QUOTE, 0, 9)
    rows = library.summaries()
    assert [r.id for r in rows] == [new, old]
    assert rows[0].counts == {Kind.CLAIM: 1, Kind.QUOTE: 1, Kind.POLICY: 0}


def test_reading_position_survives_reopen(db_path: Path) -> None:
    library = Library.open(str(db_path))
    article_id = add(library)
    library.save_position(article_id, 42)
    library.close()
    reopened = Library.open(str(db_path))
    assert reopened.open_article(article_id)[2] == 42
    reopened.close()


def test_deleting_an_article_cascades(library: Library) -> None:
    article_id = add(library)
    library.annotate(article_id, Kind.CLAIM, 0, 5)
    with library.database.writing() as session:
        session.execute(ArticleRow.__table__.delete())  # type: ignore[attr-defined]
    with library.database.reading() as session:
        assert count_annotations_by_kind(session) == {k: 0 for k in Kind}


def test_newer_schema_is_refused_and_left_alone(db_path: Path) -> None:
    Library.open(str(db_path)).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = db_path.read_bytes()
    with pytest.raises(StoreTooNew, match="newer nkreader"):
        Library.open(str(db_path))
    assert db_path.read_bytes() == before


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(StoreCorrupt, match=r"notes\.db"):
        Library.open(str(bogus))
    assert bogus.read_bytes() == b"this is a text file, not SQLite" * 100


def test_uncreatable_folder_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreUnavailable, match="cannot create the data folder"):
        Library.open(str(blocker / "sub" / "library.db"))


def test_failed_write_rolls_back(library: Library) -> None:
    article_id = add(library)
    with pytest.raises(RuntimeError), library.database.writing() as session:
        add_article(session, ArticleDraft(title="x", body="half"), content_hash("half"))
        raise RuntimeError("boom")
    assert [r.id for r in library.summaries()] == [article_id]


def test_revision_file_names_match_alembic_graph() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    alembic_order = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert migrate.known_revisions() == alembic_order
    assert migrate.head_revision() == scripts.get_current_head()


def test_opening_a_current_library_does_not_import_alembic(db_path: Path) -> None:
    import subprocess
    import sys

    Library.open(str(db_path)).close()
    code = (
        "import sys; from nkreader.services.library import Library; "
        f"Library.open({str(db_path)!r}).close(); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
