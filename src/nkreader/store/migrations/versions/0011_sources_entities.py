"""Graded sources and named entities (issue 17).

- `source_profiles`: a speaker as a source, with its reliability (A–F), notes, anonymous flag;
- `source_apart`: pairs of sources judged to be different people;
- `annotation_credibility`: credibility (1–6) of a quote or claim;
- `entities`, `entity_variants`: named people, places, organisations and their spellings;
- `annotation_wording`: the words an annotation was made on, when an update changed them.

Frozen definitions: nothing here imports live nkreader code.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "reliability IS NULL OR reliability IN ('A','B','C','D','E','F')",
            name=op.f("ck_source_profiles_reliability"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_profiles")),
        sa.UniqueConstraint("name", name=op.f("uq_source_profiles_name")),
    )
    op.create_table(
        "source_apart",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first", sa.Text(), nullable=False),
        sa.Column("second", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_apart")),
        sa.UniqueConstraint("first", "second", name="uq_source_apart_pair"),
    )
    op.create_table(
        "annotation_credibility",
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("credibility", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("credibility BETWEEN 1 AND 6", name=op.f("ck_annotation_credibility_credibility")),
        sa.ForeignKeyConstraint(
            ["annotation_id"],
            ["annotations.id"],
            name=op.f("fk_annotation_credibility_annotation_id_annotations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("annotation_id", name=op.f("pk_annotation_credibility")),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('person', 'place', 'org')", name=op.f("ck_entities_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("name", name=op.f("uq_entities_name")),
    )
    op.create_table(
        "entity_variants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.Text(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_variants_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_variants")),
        sa.UniqueConstraint("folded", name=op.f("uq_entity_variants_folded")),
    )
    with op.batch_alter_table("entity_variants") as batch:
        batch.create_index(batch.f("ix_entity_variants_entity_id"), ["entity_id"], unique=False)
    op.create_table(
        "annotation_wording",
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("original", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotation_id"],
            ["annotations.id"],
            name=op.f("fk_annotation_wording_annotation_id_annotations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("annotation_id", name=op.f("pk_annotation_wording")),
    )


def downgrade() -> None:
    op.drop_table("annotation_wording")
    with op.batch_alter_table("entity_variants") as batch:
        batch.drop_index(batch.f("ix_entity_variants_entity_id"))
    op.drop_table("entity_variants")
    op.drop_table("entities")
    op.drop_table("annotation_credibility")
    op.drop_table("source_apart")
    op.drop_table("source_profiles")
