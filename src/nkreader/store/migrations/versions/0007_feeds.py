"""Feed subscriptions (`nkreader feed ...`): feeds, the entries seen in them, unread articles.

Frozen table definitions (plain SQLAlchemy types, nothing from live nkreader code): what this
revision creates never changes. Times are stored like every other time in the library, as naive
UTC DATETIME values.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("full_text", sa.Boolean(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("last_fetch_at", sa.DateTime(), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_new", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_feeds"),
        sa.UniqueConstraint("url", name="uq_feeds_url"),
        sa.UniqueConstraint("name", name="uq_feeds_name"),
    )
    op.create_table(
        "feed_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.Text(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feeds.id"], name="fk_feed_entries_feed_id_feeds", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_feed_entries_article_id_articles", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_feed_entries"),
        sa.UniqueConstraint("feed_id", "entry_key", name="uq_feed_entries_feed_key"),
    )
    with op.batch_alter_table("feed_entries") as batch:
        batch.create_index("ix_feed_entries_article_id", ["article_id"], unique=False)
    op.create_table(
        "unread_articles",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_unread_articles_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name="pk_unread_articles"),
    )


def downgrade() -> None:
    op.drop_table("unread_articles")
    with op.batch_alter_table("feed_entries") as batch:
        batch.drop_index("ix_feed_entries_article_id")
    op.drop_table("feed_entries")
    op.drop_table("feeds")
