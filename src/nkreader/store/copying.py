"""Copy a whole library from one database to another: a server library's backup, and its restore.

`db backup` of a PostgreSQL library writes an SQLite library file: every table read in one
REPEATABLE READ snapshot (a consistent copy while the team keeps marking), written to a new file
that is renamed into place only when complete. The file is a complete nkreader library: open it
with `--db FILE`, or put it back on a server with `db restore FILE` (into an empty library).
The tables are taken from the models in foreign-key order, so a table added later is copied too;
the full-text tables are filled by their own triggers as rows arrive.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, func, select, text

from nkreader.store import unigrams
from nkreader.store.models import Base

BATCH = 500


def copy_rows(source: Connection, target: Connection, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Every row of every model table from `source` to `target` (both at the same schema revision,
    `target` empty); returns rows copied per table."""
    copied: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        count = 0
        result = source.execution_options(stream_results=True, yield_per=BATCH).execute(
            select(table).order_by(*table.primary_key.columns)
        )
        for rows in result.partitions(BATCH):
            target.execute(table.insert(), [dict(row._mapping) for row in rows])
            count += len(rows)
            if progress is not None:
                progress(table.name, count)
        copied[table.name] = count
    if target.dialect.name == "postgresql":
        _advance_sequences(target)
    elif unigrams.has_unigrams(target):
        unigrams.index_pending(target)  # a backup opens with its CJK character index complete
    return copied


def _advance_sequences(target: Connection) -> None:
    """Rows came with their ids: move each id sequence past them, or the next insert collides."""
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if not column.autoincrement or column.type.python_type is not int:
                continue
            sequence = target.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if sequence is None:
                continue
            highest = target.execute(select(func.max(column))).scalar()
            if highest is None:
                target.execute(text("SELECT setval(:s, 1, false)"), {"s": sequence})
            else:
                target.execute(text("SELECT setval(:s, :v, true)"), {"s": sequence, "v": highest})


def snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see one moment (REPEATABLE READ on a server)."""
    if engine.dialect.name == "postgresql":
        return engine.connect().execution_options(isolation_level="REPEATABLE READ")
    return engine.connect()


def is_empty(connection: Connection) -> bool:
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    for name in ("articles", "annotations", "entities"):
        if name in tables and connection.execute(select(func.count()).select_from(tables[name])).scalar():
            return False
    return True
