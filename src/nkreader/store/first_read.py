"""The app's first screen read with the standard `sqlite3` module, before SQLAlchemy is imported.

SQLAlchemy, its ORM and the table models are about 0.3 s of import: more than a bare Textual app
takes to start (issue 14). What the first screen shows of an SQLite library (the library list,
the unread marks, the change token) needs none of it, so `FirstRead` opens a library that is
ready as it is (an nkreader schema at this version's head, in WAL mode, writable) with plain
sqlite3 and answers those reads; `Library.deferred` opens the real `Database` once the list is
painted. Anything else (no file yet, a migration due, a server URL, a read-only or busy file)
gives None here, and the library is opened the usual way, with its checks and messages.

The queries are `store.browse.list_summaries` and `store.feeds.unread_ids` in SQL;
`tests/test_first_read.py` checks that both give the same rows.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from nkreader.domain import ArticleSummary, Kind
from nkreader.store.engine import sqlite_path
from nkreader.store.migrate import head_revision

__all__ = ["FirstRead"]

_KINDS = list(Kind)
_COUNTS_SQL = "SELECT article_id, {} FROM annotations GROUP BY article_id".format(
    ", ".join(f"count(*) FILTER (WHERE kind = '{kind.value}')" for kind in _KINDS)
)
_LIST_SQL = (
    "SELECT id, uuid, title, source, published, imported_at, language FROM articles "
    "ORDER BY coalesce(published, date(imported_at)) DESC, id DESC"
)
_LOCK_WAIT_S = 1.0
"""How long the write check waits for another writer before leaving it to the usual open."""


class FirstRead:
    """An SQLite library opened with sqlite3 alone; its connection later becomes the store's
    change-token connection (`Database.adopt_version_connection`), so the token runs on."""

    def __init__(self, url: str, path: Path, connection: sqlite3.Connection) -> None:
        self.url = url
        self.path = path
        self.connection: sqlite3.Connection | None = connection

    @classmethod
    def try_open(cls, url: str) -> FirstRead | None:
        """The library at `url` if it can be used as it is; None when the usual open must run."""
        path = sqlite_path(url)
        if path is None or not path.is_file():
            return None
        try:
            connection = sqlite3.connect(
                f"{path.as_uri()}?mode=rw",
                uri=True,
                timeout=_LOCK_WAIT_S,
                isolation_level=None,
                check_same_thread=False,  # the change poll may ask from a worker thread
            )
        except (sqlite3.Error, ValueError):
            return None
        try:
            ready = cls._ready(connection)
        except sqlite3.Error:
            ready = False
        if not ready:
            connection.close()
            return None
        return cls(url, path, connection)

    @staticmethod
    def _ready(connection: sqlite3.Connection) -> bool:
        """At this version's head, in WAL mode, and writable now (as `Database.check_writable`)."""
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] != head_revision():
            return False
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return False
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("UPDATE alembic_version SET version_num = version_num")
        finally:
            connection.execute("ROLLBACK")
        return True

    def _connection(self) -> sqlite3.Connection:
        if self.connection is None:
            raise RuntimeError("the first read was handed over to the store")
        return self.connection

    def summaries(self) -> list[ArticleSummary]:
        """`store.browse.list_summaries`: every article without its body, newest first, with counts."""
        connection = self._connection()
        connection.execute("BEGIN")  # one snapshot for both queries, as in a `reading()` block
        try:
            counts = {
                row[0]: dict(zip(_KINDS, row[1:], strict=True)) for row in connection.execute(_COUNTS_SQL)
            }
            rows = connection.execute(_LIST_SQL).fetchall()
        finally:
            connection.execute("COMMIT")
        # Equal values are shared (one datetime per import batch, one str per source): the list
        # keeps 10,000 of these for the whole session.
        times: dict[str, datetime] = {}
        dates: dict[str, date] = {}
        names: dict[str | None, str | None] = {}
        get = counts.get
        summaries = []
        for id, uuid, title, source, published, imported_at, language in rows:
            when = times.get(imported_at)
            if when is None:
                when = times[imported_at] = datetime.fromisoformat(imported_at).replace(tzinfo=UTC)
            day = None
            if published is not None:
                day = dates.get(published)
                if day is None:
                    day = dates[published] = date.fromisoformat(published)
            summaries.append(
                ArticleSummary(
                    id,
                    uuid,
                    title,
                    names.setdefault(source, source),
                    day,
                    when,
                    get(id) or dict.fromkeys(_KINDS, 0),
                    names.setdefault(language, language),
                )
            )
        return summaries

    def unread_ids(self) -> set[int]:
        """`store.feeds.unread_ids`."""
        return {row[0] for row in self._connection().execute("SELECT article_id FROM unread_articles")}

    def data_version(self) -> int:
        """`PRAGMA data_version`, on the connection the store goes on asking it on."""
        return int(self._connection().execute("PRAGMA data_version").fetchone()[0])

    def hand_over(self) -> sqlite3.Connection | None:
        """The connection, for the store's change token (this object answers nothing after)."""
        connection, self.connection = self.connection, None
        return connection

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            with contextlib.suppress(sqlite3.Error):
                connection.close()
