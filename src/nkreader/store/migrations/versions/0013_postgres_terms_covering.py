"""PostgreSQL: the word counts' key carries the count, so bm25 reads the index alone.

bm25 reads, for each query word, (row, count) of every row holding it from `*_pgterms`. Keyed
by (word, row, column) only, each of those reads visited the table as well, one page per row
(a word's rows are stored apart, in the order their articles came): 10,000 pages for a word in
every article, 80–140 ms of a 200 ms search at 10,000 articles. With the count in the key
(`INCLUDE (tf)`) the same read is an index-only scan of a few dozen pages (2 ms).

PostgreSQL only; frozen SQL.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_TERMS = ("articles_pgterms", "annotations_pgterms")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TERMS:
        op.execute(
            f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey, "
            f"ADD CONSTRAINT {table}_pkey PRIMARY KEY (lexeme, id, weight) INCLUDE (tf)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TERMS:
        op.execute(
            f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey, "
            f"ADD CONSTRAINT {table}_pkey PRIMARY KEY (lexeme, id, weight)"
        )
