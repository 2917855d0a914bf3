"""Open the library: engine, migrations, sessions, and errors a user can read.

Every unit of work is a transaction: `reading()` for queries, `writing()` for
changes (BEGIN IMMEDIATE on SQLite, committed when the block ends, rolled back
if it raises). Transactions are short and never outlive the block, so another
process (a second app, a CLI import) is never kept waiting for long and every
call sees what the others committed before it began.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from nkreader.store import migrate, unigrams
from nkreader.store.engine import (
    WRITE_OPTION,
    busy_timeout_ms,
    make_engine,
    resolve_db_url,
    sqlite_path,
    use_wal,
)
from nkreader.store.errors import (
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreReadOnly,
    StoreUnavailable,
    is_busy,
    translate,
)

__all__ = ["Database", "translate"]

_RETRY_FIRST_DELAY = 0.005
_RETRY_MAX_DELAY = 0.1
_RETRY_FLOOR_S = 1.0
"""The write lock is retried for at least this long even with a shorter busy timeout."""
_FULL_BELOW_BYTES = 64 * 1024
"""Less free space than this, and an I/O error opening the database is reported as a full disk."""


class Database:
    """The library's database: one per process, shared by the CLI and the app."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms()
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False)
        self._version_lock = threading.Lock()
        self._version_connection: object | None = None
        self._changes = 0
        self._unigrams: bool | None = None  # whether the CJK character index exists (0016)
        self.version_before_last_write: int | None = None
        """`data_version` as this process's last write began, holding the write lock (SQLite):
        every commit by another process before that write is counted in it, none after."""

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def label(self) -> str:
        path = self.path
        return str(path) if path is not None else self.engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, db: str | None = None, *, migrate_schema: bool = True) -> Database:
        """Open (creating if needed) and bring the schema to this version's head.

        A file that is not an nkreader library (another program's SQLite database) is refused
        before anything is written to it; so is a schema from a newer nkreader. Before a
        migration, the file is backed up next to itself.
        """
        url = resolve_db_url(db)
        engine = make_engine(url)
        database = cls(engine, url)
        try:
            revision = migrate.current_revision(engine)
            migrate.check_not_newer(revision)
            if revision is None:
                database._refuse_foreign_database()
            use_wal(engine)
            if migrate_schema and revision != migrate.head_revision():
                if revision is not None:
                    database.backup_before_migration(revision)
                migrate.upgrade(engine)
        except StoreError:
            engine.dispose()
            raise
        except (DBAPIError, OSError, sqlite3.Error) as exc:
            engine.dispose()
            raise database.explain(exc) from exc
        return database

    def adopt_version_connection(self, connection: object) -> None:
        """Ask the change token on `connection` (the app's first read's): `PRAGMA data_version` is
        counted per connection, so the token read before the store was opened runs on unchanged."""
        with self._version_lock:
            if self._version_connection is None and self.engine.dialect.name == "sqlite":
                self._version_connection = connection
                return
        with contextlib.suppress(Exception):
            connection.close()  # type: ignore[attr-defined]

    def close(self) -> None:
        with self._version_lock:
            if self._version_connection is not None:
                with contextlib.suppress(Exception):
                    self._version_connection.close()  # type: ignore[attr-defined]
                self._version_connection = None
        self.engine.dispose()

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._guard(), self._read() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: the write lock is taken at once (BEGIN IMMEDIATE).

        SQLite itself waits up to the busy timeout for another process's lock. If it still
        reports the database busy before that time is up (a busy timeout of 0, or the rare
        paths where SQLite returns SQLITE_BUSY without calling its busy handler), taking the
        lock is retried with a short back-off until the busy timeout, and at least one second,
        has passed; then StoreLocked. Only taking the lock is retried: nothing of the block
        has run yet, so retrying is always safe.
        """
        with self._guard():
            session, transaction = self._begin_writing()
            with session, transaction:
                if self._version_connection is not None and self.engine.dialect.name == "sqlite":
                    # nobody else can commit while this transaction holds the lock
                    self.version_before_last_write = self.data_version()
                yield session
                self._index_pending(session)

    def _index_pending(self, session: Session) -> None:
        """The rows this transaction (or another program) wrote join the CJK character index
        before the commit (`store.unigrams`): one query on an empty table when none did."""
        if self._unigrams is None:
            self._unigrams = unigrams.has_unigrams(session)
        if self._unigrams:
            session.flush()
            unigrams.index_pending(session)

    def _begin_writing(self) -> tuple[Session, SessionTransaction]:
        deadline = time.monotonic() + max(self.busy_timeout_ms / 1000, _RETRY_FLOOR_S)
        delay = _RETRY_FIRST_DELAY
        while True:
            session = self._write()
            try:
                transaction = session.begin()
                session.connection()  # emits BEGIN IMMEDIATE: the write lock, now
                return session, transaction
            except OperationalError as exc:
                session.close()
                if not is_busy(exc) or time.monotonic() + delay > deadline:
                    raise
            except BaseException:
                session.close()
                raise
            time.sleep(delay)
            delay = min(delay * 2, _RETRY_MAX_DELAY)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except (OperationalError, DBAPIError, sqlite3.Error) as exc:
            raise self.explain(exc) from exc
        except Exception as exc:
            # psycopg's own errors, from the raw LISTEN connection (a server gone away): a StoreError
            # like any other, so the app's poll keeps running and says so at the next action
            if type(exc).__module__.split(".")[0] == "psycopg":
                raise self.explain(exc) from exc
            raise

    def explain(self, exc: BaseException) -> StoreError:
        """`translate`, made more precise with what the file system says about the file."""
        error = translate(exc, f"database {self.label}")
        path = self.path
        if not isinstance(error, StoreUnavailable) or path is None:
            return error
        if _disk_full(path.parent):  # SQLite says "disk I/O error" when it cannot even make its -shm
            return StoreFull(f"database {self.label} cannot be written: the disk is full")
        if not path.exists():
            return error
        if path.is_dir():
            return StoreUnavailable(f"database {self.label} is a folder, not a database file")
        if not os.access(path, os.R_OK):
            return StoreUnavailable(f"database {self.label} cannot be read (permission denied)")
        if _read_only_folder(path.parent):
            return StoreReadOnly(
                f"database {self.label} is in a read-only folder or file system; SQLite needs to write "
                "next to it (copy it to a writable folder to open it)"
            )
        return error

    def check_writable(self) -> None:
        """StoreReadOnly or StoreLocked now rather than at the first change (the app calls this at start).

        Takes the write lock and changes a row in a transaction that is rolled back: SQLite opens
        a file it cannot write read-only without a word, and only refuses the first change.
        """
        with self._guard():
            session, transaction = self._begin_writing()
            with session:
                session.execute(text("UPDATE alembic_version SET version_num = version_num"))
                transaction.rollback()

    # ------------------------------------------------------------------ what other processes did

    def data_version(self) -> int | None:
        """A number that changes whenever another connection commits a change.

        SQLite: `PRAGMA data_version`, read on a connection of its own that never holds a
        transaction, so it is cheap enough for a timer and sees commits by other processes (and
        by this process's other connections: after its own change a caller may refresh once more
        than needed, never less). PostgreSQL: the count of `nkreader_changes` notifications
        (LISTEN on a connection of its own; triggers NOTIFY on every committed change to
        articles, annotations, links and speakers), so an app sees another analyst's mark at its
        next poll.
        """
        with self._guard(), self._version_lock:
            if self.engine.dialect.name == "postgresql":
                return self._notifications()
            if self.engine.dialect.name != "sqlite":
                return None
            if self._version_connection is None:
                self._version_connection = self.engine.raw_connection()
            connection = self._version_connection
            try:
                cursor = connection.cursor()  # type: ignore[attr-defined]
                try:
                    return int(cursor.execute("PRAGMA data_version").fetchone()[0])
                finally:
                    cursor.close()
            except BaseException:
                with contextlib.suppress(Exception):
                    connection.close()  # type: ignore[attr-defined]
                self._version_connection = None
                raise

    def _notifications(self) -> int:
        """LISTEN once; every call then lets the driver take in what arrived (one round trip)."""
        if self._version_connection is None:
            raw = self.engine.raw_connection()
            driver = raw.driver_connection
            driver.autocommit = True  # type: ignore[union-attr]
            driver.add_notify_handler(self._on_notify)  # type: ignore[union-attr]
            driver.execute("LISTEN nkreader_changes")  # type: ignore[union-attr]
            self._version_connection = raw
        try:
            self._version_connection.driver_connection.execute("SELECT 1")  # type: ignore[attr-defined]
        except BaseException:
            with contextlib.suppress(Exception):
                self._version_connection.invalidate()  # type: ignore[attr-defined]
            self._version_connection = None
            self._changes += 1  # the connection broke: changes may have been missed, refresh
            raise
        return self._changes

    def _on_notify(self, _notification: object) -> None:
        self._changes += 1

    # ------------------------------------------------------------------ checks and backups

    def revision(self) -> str | None:
        with self._guard():
            return migrate.current_revision(self.engine)

    def integrity_check(self) -> list[str]:
        """["ok"], or the problems found: SQLite's own check; on PostgreSQL (which keeps its files
        consistent itself) whether the search tables are in step with the rows they index."""
        if self.engine.dialect.name == "postgresql":
            from nkreader.store.fulltext_postgres import index_problems

            with self._guard(), self.engine.connect() as connection:
                return index_problems(connection) or ["ok"]
        if self.engine.dialect.name != "sqlite":
            return ["ok"]
        with self._guard(), self.engine.connect() as connection:
            return [row[0] for row in connection.execute(text("PRAGMA integrity_check"))]

    def backup_to(self, target: Path) -> None:
        """A consistent copy while other processes keep writing (SQLite online backup).

        The copy is written next to `target` and renamed over it only when complete, so a
        failed backup (full disk, read-only folder) leaves no half-written file behind.
        Raises StoreError (of the right kind) or OSError for the target's folder.
        """
        source_path = self.path
        if source_path is None:
            self._backup_server_to(Path(target))
            return
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            source = sqlite3.connect(source_path, timeout=self.busy_timeout_ms / 1000)
            try:
                destination = sqlite3.connect(partial)
                try:
                    source.backup(destination)  # one step: a snapshot of one moment
                finally:
                    destination.close()
            finally:
                source.close()
            _fsync(partial)
            partial.replace(target)
            _fsync(target.parent)
        except sqlite3.Error as exc:
            _unlink_quietly(partial)
            error = translate(exc, f"backup {target}")
            if is_busy(exc):
                error = translate(exc, f"database {self.label}")
            raise error from exc
        except BaseException:
            _unlink_quietly(partial)
            raise

    def _backup_server_to(self, target: Path) -> None:
        """A server library copied into a new SQLite library file, from one snapshot (`store.copying`)."""
        from nkreader.store import copying

        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        copy: Database | None = None
        try:
            copy = Database.open(str(partial))
            with self._guard(), copying.snapshot(self.engine) as source, source.begin():
                with copy.engine.execution_options(**{WRITE_OPTION: True}).begin() as destination:
                    copying.copy_rows(source, destination)
            copy.close()
            copy = None
            _fsync(partial)
            partial.replace(target)
            _fsync(target.parent)
        except BaseException:
            if copy is not None:
                copy.close()
            _unlink_quietly(partial)
            for suffix in ("-wal", "-shm"):
                _unlink_quietly(partial.with_name(partial.name + suffix))
            raise

    def restore_from(self, backup: Path) -> dict[str, int]:
        """Copy a library file (a `backup_to` copy, or any SQLite library) into this one, which
        must be empty; one transaction: all of it or nothing. Returns rows copied per table."""
        from nkreader.store import copying

        if not Path(backup).is_file():
            raise StoreUnavailable(f"{backup} is not a file")
        source_db = Database.open(str(backup))
        try:
            with source_db._guard(), source_db.engine.connect() as source, source.begin():
                with self._guard(), self.engine.execution_options(**{WRITE_OPTION: True}).begin() as target:
                    if not copying.is_empty(target):
                        raise StoreError(
                            f"database {self.label} already holds a library; restore into an empty one"
                        )
                    return copying.copy_rows(source, target)
        finally:
            source_db.close()

    def backup_before_migration(self, revision: str) -> Path | None:
        path = self.path
        if path is None or not path.exists():
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.stem}.before-{revision}-{stamp}{path.suffix}")
        self.backup_to(target)
        return target

    def _refuse_foreign_database(self) -> None:
        """A database with tables but no schema revision belongs to another program: leave it alone."""
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.connect() as connection:
            names = [
                row[0]
                for row in connection.execute(
                    text(
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name != 'alembic_version' "
                        "ORDER BY name LIMIT 4"
                    )
                )
            ]
        if names:
            shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            raise StoreCorrupt(
                f"database {self.label} is not an nkreader library (it holds other tables: {shown}); "
                "nothing was changed"
            )


def _disk_full(folder: Path) -> bool:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        stat = os.statvfs(folder)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < _FULL_BELOW_BYTES


def _read_only_folder(folder: Path) -> bool:
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return not os.access(folder, os.W_OK)


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
