"""Covering indexes for the library list: its annotation counts and its article columns.

`GROUP BY article_id, kind` over 100,000 annotations walked `ix_annotations_article_start`
and sorted into a temporary B-tree (~200 ms); with `(article_id, kind)` it reads the
index alone, already in order (~30 ms). The list's article columns come after `body` in
the table, so a table scan read every body's overflow pages to reach them (~33 ms for
10,000 articles); `ix_articles_listing` holds them all (~12 ms).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


LISTING = ["published", "imported_at", "id", "uuid", "title", "source", "language"]


def upgrade() -> None:
    with op.batch_alter_table("annotations") as batch:
        batch.create_index("ix_annotations_article_kind", ["article_id", "kind"], unique=False)
    with op.batch_alter_table("articles") as batch:
        batch.create_index("ix_articles_listing", LISTING, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_listing")
    with op.batch_alter_table("annotations") as batch:
        batch.drop_index("ix_annotations_article_kind")
