"""Where the library lives and how we connect to it.

Nothing here runs at import time: the data folder and the database are created
only when a command actually opens the library.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from nkreader.store.errors import StoreError, StoreUnavailable

ENV_DB = "NKREADER_DB"
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
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """An engine with the pragmas and transaction behaviour the store relies on."""
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the data folder {path.parent}: {exc.strerror}") from exc
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot use database URL {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and explicit BEGINs.

    pysqlite's own implicit transactions start late and never for DDL; taking
    control of BEGIN gives every unit of work a real transaction, and writers use
    BEGIN IMMEDIATE so two processes never deadlock upgrading a read lock.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                # A read-only file or folder cannot switch modes; reading still works.
                with contextlib.suppress(sqlite3.OperationalError):
                    cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: object) -> None:
        options = connection.get_execution_options()  # type: ignore[attr-defined]
        statement = "BEGIN IMMEDIATE" if options.get(WRITE_OPTION) else "BEGIN"
        connection.exec_driver_sql(statement)  # type: ignore[attr-defined]
