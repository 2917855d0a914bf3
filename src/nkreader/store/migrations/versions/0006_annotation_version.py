"""Annotation versions: every write to an annotation moves its `version` on by one.

An editor remembers the version it showed; a field-level write is stored as is only when
the annotation still has that version, otherwise the services reload it and merge
(`services.edits`). Existing annotations start at version 1.

Frozen SQL: this migration imports no nkreader code, so a later change to the models cannot
change what it creates.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite and PostgreSQL): a batch "move and copy" of the table would
    # drop the full-text triggers that live on it.
    op.execute("ALTER TABLE annotations ADD COLUMN version INTEGER NOT NULL DEFAULT 1")


def downgrade() -> None:
    op.execute("ALTER TABLE annotations DROP COLUMN version")  # SQLite >= 3.35
