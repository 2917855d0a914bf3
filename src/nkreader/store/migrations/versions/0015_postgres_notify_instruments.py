"""PostgreSQL: the instruments' tables notify the live apps too.

Migration 0008 made articles, annotations, links, speakers and speaker_aliases `NOTIFY
nkreader_changes`; 0011 added the sources register, credibility grades, entities and wording
changes, and 0014 folded speakers into entities (dropping the old tables and their triggers). A
source graded or a credibility set in one app was therefore not seen by another app on the same
server until something else changed. This adds the same statement trigger to those tables
(SQLite needs nothing: `PRAGMA data_version` sees every commit).

PostgreSQL only; frozen SQL (the function `nkreader_notify_change` is 0008's).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_TABLES = (
    "source_profiles",
    "source_apart",
    "annotation_credibility",
    "entities",
    "entity_variants",
    "annotation_wording",
    "suggestion_rejections",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION nkreader_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
