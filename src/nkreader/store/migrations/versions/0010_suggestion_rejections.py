"""Rejected suggestions (issue 13): per article, the kind and text a user turned down.

Frozen table definition: this migration imports no live nkreader code.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_rejections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("rejected_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_suggestion_rejections_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_rejections")),
        sa.UniqueConstraint("article_id", "kind", "text", name="uq_suggestion_rejections_key"),
    )
    with op.batch_alter_table("suggestion_rejections") as batch:
        batch.create_index(batch.f("ix_suggestion_rejections_article_id"), ["article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("suggestion_rejections") as batch:
        batch.drop_index(batch.f("ix_suggestion_rejections_article_id"))
    op.drop_table("suggestion_rejections")
