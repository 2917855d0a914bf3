"""Research tools (issue 6): trigram full-text tables, speakers and aliases, browser indexes.

- `articles_tri`, `annotations_tri`: FTS5 tables with the trigram tokenizer (SQLite >= 3.34),
  kept by triggers like the unicode61 ones, so a Korean substring (`쌀값` in `쌀값이`) is found.
  On an older SQLite they are not made and search falls back to a scan.
- `speakers`, `speaker_aliases`: canonical speaker names and their other spellings.
- `ix_annotations_status`, `ix_annotations_created_at`: the browser's filter and sort.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen: the trigram tables and triggers as this migration creates them, written out here
# rather than imported from `nkreader.store.fts`, so a later change there cannot change them.
TRIGRAM_MIN_SQLITE = (3, 34, 0)
TRIGRAM_CREATE_STATEMENTS = [
    """
    CREATE VIRTUAL TABLE articles_tri USING fts5(
        title, source, body,
        content='articles', content_rowid='id',
        tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER articles_tri_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_tri(rowid, title, source, body)
        VALUES (new.id, new.title, coalesce(new.source, ''), new.body);
    END
    """,
    """
    CREATE TRIGGER articles_tri_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_tri(articles_tri, rowid, title, source, body)
        VALUES ('delete', old.id, old.title, coalesce(old.source, ''), old.body);
    END
    """,
    """
    CREATE TRIGGER articles_tri_au AFTER UPDATE OF title, source, body ON articles BEGIN
        INSERT INTO articles_tri(articles_tri, rowid, title, source, body)
        VALUES ('delete', old.id, old.title, coalesce(old.source, ''), old.body);
        INSERT INTO articles_tri(rowid, title, source, body)
        VALUES (new.id, new.title, coalesce(new.source, ''), new.body);
    END
    """,
    """
    CREATE VIRTUAL TABLE annotations_tri USING fts5(
        exact, note, speaker, tags,
        content='annotations', content_rowid='id',
        tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER annotations_tri_ai AFTER INSERT ON annotations BEGIN
        INSERT INTO annotations_tri(rowid, exact, note, speaker, tags)
        VALUES (new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags);
    END
    """,
    """
    CREATE TRIGGER annotations_tri_ad AFTER DELETE ON annotations BEGIN
        INSERT INTO annotations_tri(annotations_tri, rowid, exact, note, speaker, tags)
        VALUES ('delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags);
    END
    """,
    """
    CREATE TRIGGER annotations_tri_au AFTER UPDATE OF exact, note, speaker, tags ON annotations BEGIN
        INSERT INTO annotations_tri(annotations_tri, rowid, exact, note, speaker, tags)
        VALUES ('delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags);
        INSERT INTO annotations_tri(rowid, exact, note, speaker, tags)
        VALUES (new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags);
    END
    """,
    "INSERT INTO articles_tri(articles_tri) VALUES ('rebuild')",
    "INSERT INTO annotations_tri(annotations_tri) VALUES ('rebuild')",
]
TRIGRAM_DROP_STATEMENTS = [
    "DROP TRIGGER IF EXISTS annotations_tri_au",
    "DROP TRIGGER IF EXISTS annotations_tri_ad",
    "DROP TRIGGER IF EXISTS annotations_tri_ai",
    "DROP TABLE IF EXISTS annotations_tri",
    "DROP TRIGGER IF EXISTS articles_tri_au",
    "DROP TRIGGER IF EXISTS articles_tri_ad",
    "DROP TRIGGER IF EXISTS articles_tri_ai",
    "DROP TABLE IF EXISTS articles_tri",
]


def upgrade() -> None:
    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speakers")),
        sa.UniqueConstraint("name", name=op.f("uq_speakers_name")),
    )
    op.create_table(
        "speaker_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speakers.id"],
            name=op.f("fk_speaker_aliases_speaker_id_speakers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_aliases")),
        sa.UniqueConstraint("alias", name=op.f("uq_speaker_aliases_alias")),
    )
    with op.batch_alter_table("speaker_aliases") as batch:
        batch.create_index(batch.f("ix_speaker_aliases_speaker_id"), ["speaker_id"], unique=False)
    with op.batch_alter_table("annotations") as batch:
        batch.create_index("ix_annotations_status", ["status"], unique=False)
        batch.create_index("ix_annotations_created_at", ["created_at"], unique=False)

    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= TRIGRAM_MIN_SQLITE:
        for statement in TRIGRAM_CREATE_STATEMENTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in TRIGRAM_DROP_STATEMENTS:
            op.execute(statement)
    with op.batch_alter_table("annotations") as batch:
        batch.drop_index("ix_annotations_created_at")
        batch.drop_index("ix_annotations_status")
    with op.batch_alter_table("speaker_aliases") as batch:
        batch.drop_index(batch.f("ix_speaker_aliases_speaker_id"))
    op.drop_table("speaker_aliases")
    op.drop_table("speakers")
