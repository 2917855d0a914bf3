"""Who last changed an annotation (issue 11): `annotations.updated_by`.

`author` says who made a mark; on a team library the analyst also needs to know who changed
it last (a status set by a colleague, a speaker merged, a mark moved). Every write path stores
the annotator of the process that wrote. Existing marks were last written by their maker as
far as anyone knows, so the column is filled from `author`.

Frozen SQL: this migration imports no nkreader code, so a later change to the models cannot
change what it creates.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite and PostgreSQL): a batch "move and copy" of the table would
    # drop the full-text triggers that live on it (see 0006).
    op.execute("ALTER TABLE annotations ADD COLUMN updated_by TEXT")
    op.execute("UPDATE annotations SET updated_by = author WHERE author IS NOT NULL")


def downgrade() -> None:
    op.execute("ALTER TABLE annotations DROP COLUMN updated_by")  # SQLite >= 3.35
