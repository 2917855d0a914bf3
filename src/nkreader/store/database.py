"""Open the library: engine, migrations, sessions, and errors a user can read.

Every unit of work is a transaction: `reading()` for queries, `writing()` for
changes (BEGIN IMMEDIATE on SQLite, committed when the block ends, rolled back
if it raises).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from nkreader.store import migrate
from nkreader.store.engine import WRITE_OPTION, make_engine, resolve_db_url, sqlite_path
from nkreader.store.errors import (
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreLocked,
    StoreReadOnly,
    StoreUnavailable,
)

_MESSAGES: list[tuple[str, type[StoreError], str]] = [
    ("file is not a database", StoreCorrupt, "is not an nkreader database (or is damaged)"),
    ("database disk image is malformed", StoreCorrupt, "is damaged (SQLite: disk image is malformed)"),
    ("readonly database", StoreReadOnly, "is read-only: cannot save changes"),
    ("database is locked", StoreLocked, "is locked by another process; try again in a moment"),
    ("database is busy", StoreLocked, "is locked by another process; try again in a moment"),
    ("disk is full", StoreFull, "cannot be written: the disk is full"),
    ("unable to open database file", StoreUnavailable, "cannot be opened"),
    ("disk i/o error", StoreUnavailable, "cannot be read or written (disk I/O error)"),
]


def translate(exc: Exception, where: str) -> StoreError:
    """Turn a driver error into the one-line StoreError the CLI and app show."""
    reason = str(getattr(exc, "orig", exc)).lower()
    for needle, error_type, text_ in _MESSAGES:
        if needle in reason:
            return error_type(f"{where} {text_}")
    return StoreError(f"{where}: {getattr(exc, 'orig', exc)}")


class Database:
    """The library's database: one per process, shared by the CLI and the app."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False)

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def label(self) -> str:
        path = self.path
        return str(path) if path is not None else self.engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, db: str | None = None, *, migrate_schema: bool = True) -> Database:
        """Open (creating if needed) and bring the schema to this version's head."""
        url = resolve_db_url(db)
        engine = make_engine(url)
        database = cls(engine, url)
        where = f"database {database.label}"
        try:
            revision = migrate.current_revision(engine)
            migrate.check_not_newer(revision)
            if migrate_schema and revision != migrate.head_revision():
                if revision is not None:
                    database.backup_before_migration(revision)
                migrate.upgrade(engine)
        except StoreError:
            engine.dispose()
            raise
        except (DBAPIError, OSError) as exc:
            engine.dispose()
            raise translate(exc, where) from exc
        return database

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._guard(), self._read() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        with self._guard(), self._write() as session, session.begin():
            yield session

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except (OperationalError, DBAPIError) as exc:
            raise translate(exc, f"database {self.label}") from exc

    def integrity_check(self) -> list[str]:
        with self.engine.connect() as connection:
            if self.engine.dialect.name != "sqlite":
                return ["ok"]
            return [row[0] for row in connection.execute(text("PRAGMA integrity_check"))]

    def backup_to(self, target: Path) -> None:
        """A consistent copy while other processes keep writing (SQLite online backup)."""
        import sqlite3

        source_path = self.path
        if source_path is None:
            raise StoreError("backups are only made of SQLite libraries; use your server's tools")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        source = sqlite3.connect(source_path)
        try:
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
        partial.replace(target)

    def backup_before_migration(self, revision: str) -> Path | None:
        path = self.path
        if path is None or not path.exists():
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.stem}.before-{revision}-{stamp}{path.suffix}")
        self.backup_to(target)
        return target
