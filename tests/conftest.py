"""Shared fixtures. Tests never touch the user's real data or config folders."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from nkreader.services.library import Library

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_articles"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("NKREADER_CONFIG", str(home / "config" / "nkreader" / "config.toml"))
    monkeypatch.delenv("NKREADER_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


# --------------------------------------------------------------------------- backends
# `db_url` (and `library`, built on it) run a test once on SQLite and once on PostgreSQL.
# The PostgreSQL run needs a server: NKREADER_TEST_POSTGRES=postgresql://user@127.0.0.1:PORT/postgres
# (.ci/run starts one; `.ci/postgres start DIR` starts one for development). Without it those runs
# skip with one line. Each test gets a database of its own, copied from a template migrated once
# per test process, so a test costs a CREATE DATABASE (~0.1 s), not a migration.

PG_ENV = "NKREADER_TEST_POSTGRES"
BACKENDS = ("sqlite", "postgres")
_counter = itertools.count()


def postgres_server() -> str:
    """The test server's URL, or a one-line skip."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.skip(f"no PostgreSQL server for the tests ({PG_ENV} is not set; .ci/run starts one)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[test]'")
    return url


def _admin(server: str):
    import psycopg

    return psycopg.connect(server.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _database_url(server: str, name: str) -> str:
    base, _, _ = server.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def postgres_template() -> tuple[str, str]:
    """(server URL, template database) with the schema at head, made once per test process."""
    server = postgres_server()
    name = f"nkt_template_{os.getpid()}"
    with _admin(server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    Library.open(_database_url(server, name)).close()
    yield server, name
    with _admin(server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def new_postgres_url(postgres_template: tuple[str, str]):
    """Make fresh PostgreSQL libraries (schema at head, empty): call it for each; all are dropped
    after the test."""
    server, template = postgres_template
    made: list[str] = []

    def make() -> str:
        name = f"{template.replace('template', 't')}_{next(_counter)}"
        with _admin(server) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        made.append(name)
        return _database_url(server, name)

    yield make
    with _admin(server) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(new_postgres_url) -> str:
    """A fresh PostgreSQL library (schema at head, empty), dropped after the test."""
    return new_postgres_url()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, db_path: Path) -> str:
    """Where the test's library lives: an SQLite file, or a fresh PostgreSQL database."""
    if backend == "postgres":
        return request.getfixturevalue("postgres_url")
    return str(db_path)


@pytest.fixture
def library(db_path: Path):
    lib = Library.open(str(db_path))
    yield lib
    lib.close()


@pytest.fixture
def any_library(db_url: str):
    """A library on each backend in turn (see `db_url`)."""
    lib = Library.open(db_url)
    yield lib
    lib.close()


def shared_folder(*parts: str) -> Path:
    """A folder of ../shared, or a clean skip where it is absent (a user's clone has none)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (the team's shared folder)")
    return path
