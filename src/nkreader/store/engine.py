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
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


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
        _configure_sqlite(engine, busy_timeout_ms())
    return engine


def _configure_sqlite(engine: Engine, timeout_ms: int) -> None:
    """Foreign keys, a busy timeout, full syncs, and explicit BEGINs (WAL: see `use_wal`).

    pysqlite's own implicit transactions start late and never for DDL; taking
    control of BEGIN gives every unit of work a real transaction, and writers use
    BEGIN IMMEDIATE so two processes never deadlock upgrading a read lock.
    """

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
