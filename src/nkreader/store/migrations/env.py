"""Alembic environment: always run on a connection the store hands in.

The store opens the engine (with its pragmas) and passes the connection through
`config.attributes["connection"]`; migrations never build an engine of their own.
"""

from __future__ import annotations

from alembic import context

from nkreader.store import feed_models  # noqa: F401 - registers the feed tables on Base.metadata
from nkreader.store.fts import is_fts_table
from nkreader.store.fulltext_postgres import SEARCH_TABLES as POSTGRES_SEARCH_TABLES
from nkreader.store.models import Base

config = context.config


def include_object(obj, name, type_, reflected, compare_to):
    """FTS5 virtual tables (and their shadow tables) and PostgreSQL's search tables are managed by
    hand, not by the models."""
    return not (type_ == "table" and (is_fts_table(name) or name in POSTGRES_SEARCH_TABLES))


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("nkreader migrations run only through nkreader.store.migrate")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
