"""Store failures a user can act on, each with its own exit status.

The CLI prints `message` on one line and exits with `exit_code`; no traceback.
"""

from __future__ import annotations


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
