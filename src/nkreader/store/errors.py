"""Store failures a user can act on, each with its own exit status.

The CLI prints `message` on one line and exits with `exit_code`; no traceback.
`translate` turns a driver error (sqlite3, or SQLAlchemy's wrapper of one) into one of these.
"""

from __future__ import annotations

import sqlite3


class StoreError(Exception):
    exit_code = 3

    @property
    def message(self) -> str:
        return str(self)


class StoreUnavailable(StoreError):
    """The data folder or database file cannot be created or opened."""

    exit_code = 4


class StoreCorrupt(StoreError):
    """The file is not a database, or SQLite reports it malformed."""

    exit_code = 5


class StoreTooNew(StoreError):
    """Written by a newer nkreader whose schema this version does not know."""

    exit_code = 6


class StoreReadOnly(StoreError):
    """The database or its folder cannot be written."""

    exit_code = 7


class StoreLocked(StoreError):
    """Another process held the database longer than the busy timeout."""

    exit_code = 8


class StoreFull(StoreError):
    """The disk is full."""

    exit_code = 9


class NotFound(StoreError):
    exit_code = 2


# (text in the driver's message, error type, what the user reads after "database PATH")
_MESSAGES: list[tuple[str, type[StoreError], str]] = [
    ("file is not a database", StoreCorrupt, "is not an nkreader database (or is damaged)"),
    ("database disk image is malformed", StoreCorrupt, "is damaged (SQLite: disk image is malformed)"),
    ("readonly database", StoreReadOnly, "is read-only: cannot save changes"),
    ("database is locked", StoreLocked, "is locked by another process; try again in a moment"),
    ("database is busy", StoreLocked, "is locked by another process; try again in a moment"),
    ("table is locked", StoreLocked, "is locked by another process; try again in a moment"),
    ("schema is locked", StoreLocked, "is locked by another process; try again in a moment"),
    ("locking protocol", StoreLocked, "is locked by another process; try again in a moment"),
    ("disk is full", StoreFull, "cannot be written: the disk is full"),
    ("unable to open database file", StoreUnavailable, "cannot be opened"),
    ("disk i/o error", StoreUnavailable, "cannot be read or written (disk I/O error)"),
    # PostgreSQL (psycopg): a lock or a disk the server reports
    ("lock timeout", StoreLocked, "is locked by another session; try again in a moment"),
    ("deadlock detected", StoreLocked, "is locked by another session; try again in a moment"),
    ("read-only transaction", StoreReadOnly, "is read-only: cannot save changes"),
    ("no space left on device", StoreFull, "cannot be written: the server's disk is full"),
    ("could not extend file", StoreFull, "cannot be written: the server's disk is full"),
]

_SERVER_GONE = (
    "connection failed",
    "connection to server",
    "could not connect",
    "could not translate host name",
    "server closed the connection",
    "terminating connection",
    "the connection is closed",
    "connection is lost",
    "consuming input failed",
)
"""What psycopg says when the server cannot be reached, refuses the login or the database, or
went away: the library is unavailable (exit 4), as a file that cannot be opened is."""

# SQLite primary result codes (sqlite3 gives them as `sqlite_errorcode`; the low byte is the primary code).
_BY_CODE: dict[int, str] = {
    5: "database is locked",  # SQLITE_BUSY
    6: "table is locked",  # SQLITE_LOCKED
    8: "readonly database",  # SQLITE_READONLY
    10: "disk i/o error",  # SQLITE_IOERR
    11: "database disk image is malformed",  # SQLITE_CORRUPT
    13: "disk is full",  # SQLITE_FULL
    14: "unable to open database file",  # SQLITE_CANTOPEN
    15: "locking protocol",  # SQLITE_PROTOCOL
    26: "file is not a database",  # SQLITE_NOTADB
}


def driver_error(exc: BaseException) -> sqlite3.Error | BaseException:
    """The DB-API error under an SQLAlchemy wrapper (its `orig`), or `exc` itself."""
    return getattr(exc, "orig", None) or exc


def is_busy(exc: BaseException) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds a lock (worth waiting for)."""
    orig = driver_error(exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (5, 6):
        return True
    reason = str(orig).lower()
    return any(needle in reason for needle in ("database is locked", "database is busy", "table is locked"))


def translate(exc: BaseException, where: str) -> StoreError:
    """Turn a driver error into the one-line StoreError the CLI and app show."""
    orig = driver_error(exc)
    reason = str(orig).lower()
    if any(needle in reason for needle in _SERVER_GONE):
        detail = " ".join(str(orig).split())
        detail = detail.split("failed: ", 1)[-1] if detail.startswith("connection failed: ") else detail
        return StoreUnavailable(f"the server cannot be reached ({where}): {detail}")
    for needle, error_type, text_ in _MESSAGES:
        if needle in reason:
            return error_type(f"{where} {text_}")
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _BY_CODE:
        needle = _BY_CODE[code & 0xFF]
        for known, error_type, text_ in _MESSAGES:
            if known == needle:
                return error_type(f"{where} {text_}")
    return StoreError(f"{where}: {' '.join(str(orig).split())}")


def as_store_error(exc: BaseException, where: str = "database") -> StoreError | None:
    """A StoreError for a database driver error that escaped the store's own guards; else None.

    The CLI's last line of defence: a driver error must reach the user as one line with its exit
    status, never as a traceback. Anything else (a programming error) is not ours to hide.
    """
    if isinstance(exc, StoreError):
        return exc
    orig = driver_error(exc)
    if isinstance(orig, sqlite3.Error) or type(orig).__module__.split(".")[0] == "psycopg":
        return translate(exc, where)
    return None
