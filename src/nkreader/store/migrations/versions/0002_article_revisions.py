"""Previous texts of updated articles (`nkreader import --update`).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen: what this migration creates, written out here rather than imported from live code
# (`nkreader.store.fts`, `nkreader.store.models`), so that a later change there cannot change
# what an old migration makes. Times are stored as naive UTC DATETIME (the live `UTCDateTime`
# type only converts values; its DDL is DATETIME's).
UTCDateTime = sa.DateTime


def upgrade() -> None:
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("stored_at", UTCDateTime(), nullable=False),
        sa.Column("replaced_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_revisions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_revisions")),
    )
    with op.batch_alter_table("article_revisions") as batch:
        batch.create_index(batch.f("ix_article_revisions_article_id"), ["article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("article_revisions") as batch:
        batch.drop_index(batch.f("ix_article_revisions_article_id"))
    op.drop_table("article_revisions")
