"""Articles, annotations, links, reading positions and their full-text tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen: what this migration creates, written out here rather than imported from live code
# (`nkreader.store.fts`, `nkreader.store.models`), so that a later change there cannot change
# what an old migration makes. Times are stored as naive UTC DATETIME (the live `UTCDateTime`
# type only converts values; its DDL is DATETIME's).
UTCDateTime = sa.DateTime

# The FTS5 tables and their triggers (the live ones: `nkreader.store.fts`).
CREATE_STATEMENTS = [
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, source, body,
        content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, source, body)
        VALUES (new.id, new.title, coalesce(new.source, ''), new.body);
    END
    """,
    """
    CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, source, body)
        VALUES ('delete', old.id, old.title, coalesce(old.source, ''), old.body);
    END
    """,
    """
    CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, source, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, source, body)
        VALUES ('delete', old.id, old.title, coalesce(old.source, ''), old.body);
        INSERT INTO articles_fts(rowid, title, source, body)
        VALUES (new.id, new.title, coalesce(new.source, ''), new.body);
    END
    """,
    """
    CREATE VIRTUAL TABLE annotations_fts USING fts5(
        exact, note, speaker, tags,
        content='annotations', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER annotations_fts_ai AFTER INSERT ON annotations BEGIN
        INSERT INTO annotations_fts(rowid, exact, note, speaker, tags)
        VALUES (new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags);
    END
    """,
    """
    CREATE TRIGGER annotations_fts_ad AFTER DELETE ON annotations BEGIN
        INSERT INTO annotations_fts(annotations_fts, rowid, exact, note, speaker, tags)
        VALUES ('delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags);
    END
    """,
    """
    CREATE TRIGGER annotations_fts_au AFTER UPDATE ON annotations BEGIN
        INSERT INTO annotations_fts(annotations_fts, rowid, exact, note, speaker, tags)
        VALUES ('delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags);
        INSERT INTO annotations_fts(rowid, exact, note, speaker, tags)
        VALUES (new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags);
    END
    """,
]
DROP_STATEMENTS = [
    "DROP TRIGGER IF EXISTS annotations_fts_au",
    "DROP TRIGGER IF EXISTS annotations_fts_ad",
    "DROP TRIGGER IF EXISTS annotations_fts_ai",
    "DROP TABLE IF EXISTS annotations_fts",
    "DROP TRIGGER IF EXISTS articles_fts_au",
    "DROP TRIGGER IF EXISTS articles_fts_ad",
    "DROP TRIGGER IF EXISTS articles_fts_ai",
    "DROP TABLE IF EXISTS articles_fts",
]


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("origin_format", sa.String(length=16), nullable=True),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("uuid", name=op.f("uq_articles_uuid")),
    )
    with op.batch_alter_table("articles") as batch:
        batch.create_index(batch.f("ix_articles_content_hash"), ["content_hash"], unique=False)
        batch.create_index(batch.f("ix_articles_origin"), ["origin"], unique=False)
        batch.create_index(batch.f("ix_articles_published"), ["published"], unique=False)
        batch.create_index(batch.f("ix_articles_url"), ["url"], unique=False)

    op.create_table(
        "annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("exact", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("suffix", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("anchor_state", sa.String(length=16), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('claim', 'quote', 'policy')", name=op.f("ck_annotations_kind")),
        sa.CheckConstraint('start >= 0 AND start <= "end"', name=op.f("ck_annotations_span")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_annotations_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotations")),
        sa.UniqueConstraint("uuid", name=op.f("uq_annotations_uuid")),
    )
    with op.batch_alter_table("annotations") as batch:
        batch.create_index("ix_annotations_article_start", ["article_id", "start"], unique=False)
        batch.create_index(batch.f("ix_annotations_kind"), ["kind"], unique=False)
        batch.create_index(batch.f("ix_annotations_speaker"), ["speaker"], unique=False)

    op.create_table(
        "links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["annotations.id"],
            name=op.f("fk_links_source_id_annotations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["annotations.id"],
            name=op.f("fk_links_target_id_annotations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_links")),
        sa.UniqueConstraint("source_id", "target_id", "type", name="uq_links_pair_type"),
        sa.UniqueConstraint("uuid", name=op.f("uq_links_uuid")),
    )
    with op.batch_alter_table("links") as batch:
        batch.create_index(batch.f("ix_links_source_id"), ["source_id"], unique=False)
        batch.create_index(batch.f("ix_links_target_id"), ["target_id"], unique=False)

    op.create_table(
        "reading_positions",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("offset", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_reading_positions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_reading_positions")),
    )

    if op.get_bind().dialect.name == "sqlite":
        for statement in CREATE_STATEMENTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in DROP_STATEMENTS:
            op.execute(statement)
    op.drop_table("reading_positions")
    op.drop_table("links")
    op.drop_table("annotations")
    op.drop_table("articles")
