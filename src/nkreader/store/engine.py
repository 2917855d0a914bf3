"""Where the library lives and how we connect to it.

Nothing here runs at import time: the data folder and the database are created
only when a command actually opens the library. SQLAlchemy is imported when an engine is made,
not with this module: the app reads its first screen before that (`store/first_read.py`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from nkreader.store.errors import StoreError, StoreUnavailable

if TYPE_CHECKING:
    from sqlalchemy import Engine

ENV_DB = "NKREADER_DB"
ENV_BUSY_TIMEOUT = "NKREADER_BUSY_TIMEOUT_MS"
BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "nkreader_write"


def default_db_path() -> Path:
    return platformdirs.user_data_path("nkreader") / "library.db"


def resolve_db_url(db: str | None) -> str:
    """`--db` wins, then NKREADER_DB, then the platform data folder.

    A value with `://` is an SQLAlchemy URL (PostgreSQL for a team); anything else
    is a path to an SQLite file.
    """
    value = db or os.environ.get(ENV_DB) or str(default_db_path())
    if "://" in value:
        return postgres_driver_url(value)
    return "sqlite:///" + str(Path(value).expanduser().absolute())


POSTGRES_EXTRA_HINT = "PostgreSQL support is not installed: pip install 'nkreader[postgres]'"


def postgres_driver_url(url: str) -> str:
    """`postgresql://…` (what psql and every server tool print) is driven by psycopg 3.

    SQLAlchemy's default PostgreSQL driver is psycopg2, which the `postgres` extra does not
    install; an explicit `postgresql+driver://` is left as the user wrote it.
    """
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres:"))


def busy_timeout_ms() -> int:
    """How long a statement waits for another process's lock: NKREADER_BUSY_TIMEOUT_MS, else 10 s.

    Read when an engine is made (never at import). Tests shorten it; a value that is not a
    whole number of milliseconds is ignored.
    """
    value = os.environ.get(ENV_BUSY_TIMEOUT, "").strip()
    try:
        return max(0, int(value)) if value else BUSY_TIMEOUT_MS
    except ValueError:
        return BUSY_TIMEOUT_MS


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///") and not any(c in url for c in "?%"):  # a path, as resolve_db_url makes it
        name = url[len("sqlite:///") :]
        return Path(name) if name and name != ":memory:" else None
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """An engine with the pragmas and transaction behaviour the store relies on."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ArgumentError

    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the data folder {path.parent}: {exc.strerror}") from exc
    try:
        if is_postgres(url):
            engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        else:
            engine = create_engine(url)
    except ImportError as exc:
        if is_postgres(url):
            raise StoreUnavailable(POSTGRES_EXTRA_HINT) from exc
        raise StoreError(f"cannot use database URL {_shown(url)!r}: {exc}") from exc
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"cannot use database URL {_shown(url)!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout_ms())
    elif engine.dialect.name == "postgresql":
        _configure_postgres(engine, busy_timeout_ms())
    return engine


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _configure_postgres(engine: Engine, timeout_ms: int) -> None:
    """Waits for another session's row lock at most the busy timeout, as on SQLite.

    Transactions are READ COMMITTED (the server's default); writes that must not lose another
    analyst's change use versioned updates, not longer locks.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        try:
            cursor.execute(f"SET lock_timeout = {int(timeout_ms)}")
            cursor.execute("SET TIME ZONE 'UTC'")
        finally:
            cursor.close()
        dbapi_connection.commit()  # type: ignore[attr-defined]


def _configure_sqlite(engine: Engine, timeout_ms: int) -> None:
    """Foreign keys, a busy timeout, full syncs, and explicit BEGINs (WAL: see `use_wal`).

    pysqlite's own implicit transactions start late and never for DDL; taking
    control of BEGIN gives every unit of work a real transaction, and writers use
    BEGIN IMMEDIATE so two processes never deadlock upgrading a read lock.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: object) -> None:
        options = connection.get_execution_options()  # type: ignore[attr-defined]
        statement = "BEGIN IMMEDIATE" if options.get(WRITE_OPTION) else "BEGIN"
        connection.exec_driver_sql(statement)  # type: ignore[attr-defined]


def use_wal(engine: Engine) -> None:
    """Put an SQLite library in WAL mode (kept in the file, so once is enough).

    Not done on connect: the file is only changed once it is known to be a library of ours (or
    a new one), never when nkreader is pointed at another program's database by mistake.
    """
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                # A read-only file or folder cannot switch modes; reading still works.
                with contextlib.suppress(sqlite3.OperationalError):
                    cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()
    finally:
        connection.close()
