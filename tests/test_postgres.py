"""A library on PostgreSQL: the extra, the URL, the migrations, refusing a newer schema.

These run against the server of NKREADER_TEST_POSTGRES (.ci/run starts one) and skip without it.
"""

from __future__ import annotations

import builtins
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from sqlalchemy import text

from nkreader.cli import main
from nkreader.services.library import Library
from nkreader.store import migrate
from nkreader.store.database import Database
from nkreader.store.engine import POSTGRES_EXTRA_HINT
from nkreader.store.errors import StoreTooNew, StoreUnavailable


def cli(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", db, *args])
    return result.exit_code, result.output


def test_new_database_gets_the_schema_at_head(postgres_url: str) -> None:
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    library = Library.open(plain)  # the URL psql prints: psycopg 3 drives it
    try:
        assert library.database.engine.dialect.driver == "psycopg"
        assert migrate.current_revision(library.database.engine) == migrate.head_revision()
        migrate.check_drift(library.database.engine)
    finally:
        library.close()


def test_migrations_downgrade_and_upgrade_on_postgres(postgres_url: str) -> None:
    database = Database.open(postgres_url)
    try:
        migrate.downgrade(database.engine, "base")
        with database.engine.connect() as connection:
            tables = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).scalars()
            assert set(tables) == {"alembic_version"}
        migrate.upgrade(database.engine)
        assert migrate.current_revision(database.engine) == migrate.head_revision()
    finally:
        database.close()


def test_a_newer_schema_is_refused(postgres_url: str) -> None:
    Library.open(postgres_url).close()
    database = Database.open(postgres_url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.close()
    with pytest.raises(StoreTooNew, match="newer nkreader"):
        Library.open(postgres_url)
    code, output = cli(postgres_url, "list")
    assert code == StoreTooNew.exit_code
    assert "newer nkreader" in output and "Traceback" not in output


def test_without_the_extra_one_line_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_psycopg(name: str, *args: object, **kwargs: object):
        if name == "psycopg" or name.startswith("psycopg."):
            raise ImportError("No module named 'psycopg'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    with pytest.raises(StoreUnavailable) as caught:
        Library.open("postgresql://someone@127.0.0.1:9/nowhere")
    assert str(caught.value) == POSTGRES_EXTRA_HINT
    code, output = cli("postgresql://someone@127.0.0.1:9/nowhere", "list")
    assert code == StoreUnavailable.exit_code
    assert output.strip().endswith(POSTGRES_EXTRA_HINT) and len(output.strip().splitlines()) == 1


def test_an_unreachable_server_is_one_line() -> None:
    code, output = cli("postgresql://someone@127.0.0.1:9/nowhere", "list")
    assert code != 0
    assert len(output.strip().splitlines()) == 1 and "Traceback" not in output
    assert "127.0.0.1" in output


def test_import_list_and_export_match_sqlite(postgres_url: str, tmp_path: Path) -> None:
    sqlite_db = str(tmp_path / "library.db")
    outputs = {}
    for db in (sqlite_db, postgres_url):
        code, output = cli(db, "import", str(SAMPLES))
        assert code == 0, output
        code, listing = cli(db, "list", "--json")
        assert code == 0, listing
        target = tmp_path / f"export-{len(outputs)}.json"
        code, output = cli(db, "export", "-o", str(target))
        assert code == 0, output
        document = json.loads(target.read_text(encoding="utf-8"))
        outputs[db] = (
            [(a["title"], a["source"]) for a in json.loads(listing)],
            [(a["title"], a["body"]) for a in document["articles"]],
        )
    assert outputs[sqlite_db] == outputs[postgres_url]
    assert len(outputs[sqlite_db][0]) == 11


def test_substrings_without_letter_case_use_like() -> None:
    """Korean (and digits, punctuation) have no case: LIKE finds the same rows as ILIKE, at a third
    of the cost on a scan; anything with a cased letter keeps ILIKE."""
    from nkreader.store.fulltext_postgres import _like_op

    assert _like_op("경제") == "LIKE"
    assert _like_op("7,000원") == "LIKE"
    assert _like_op("1kg") == "ILIKE"
    assert _like_op("Ω값") == "ILIKE"
