"""Hold a lock on an SQLite database, as another program (or a stuck nkreader) would.

    hold_lock.py DB write SECONDS       BEGIN EXCLUSIVE: other writers wait (readers go on, WAL)
    hold_lock.py DB exclusive SECONDS   locking_mode=EXCLUSIVE plus a write: nobody else gets in

Prints "locked" once the lock is held, then holds it for SECONDS or until stdin closes.
"""

from __future__ import annotations

import select
import sqlite3
import sys


def main() -> int:
    db, mode, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    connection = sqlite3.connect(db, isolation_level=None, timeout=30)
    if mode == "exclusive":
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("UPDATE alembic_version SET version_num = version_num")
        connection.execute("COMMIT")  # the exclusive file lock stays after the commit
        connection.execute("BEGIN EXCLUSIVE")
    elif mode == "write":
        connection.execute("BEGIN EXCLUSIVE")
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print("locked", flush=True)
    select.select([sys.stdin], [], [], seconds)
    connection.execute("ROLLBACK")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
