"""Speakers are entities (issue 17): a speaker's aliases are its entity's spellings.

Until now a speaker's other spellings lived in `speakers` / `speaker_aliases` (migration 0004)
and every named thing's in `entities` / `entity_variants` (0011): two mechanisms for one idea,
and "Kim Jong Un" could be a speaker with the alias 김정은 while the entity "Kim Jong Un" did
not know it. This moves every speaker into `entities` and drops the two old tables:

- a speaker whose name is already a spelling of an entity joins that entity;
- any other speaker becomes a `person` entity of that name;
- each alias becomes a spelling of that entity, unless the spelling (compared as entities
  compare them: NFKC, case-folded, one space between words) is already there, or belongs to
  another entity, where it stays (a spelling belongs to one entity only).

Annotations keep the spelling they were given; nothing else changes. Frozen: nothing here imports
nkreader code (the folding rule is written out below as it was when this was written).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_entities = sa.table(
    "entities",
    sa.column("id", sa.Integer()),
    sa.column("name", sa.Text()),
    sa.column("kind", sa.String(8)),
    sa.column("created_at", sa.DateTime()),
)
_variants = sa.table(
    "entity_variants",
    sa.column("id", sa.Integer()),
    sa.column("entity_id", sa.Integer()),
    sa.column("variant", sa.Text()),
    sa.column("folded", sa.Text()),
)


def _fold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    owners: dict[str, int] = {
        folded: entity_id for entity_id, folded in bind.execute(sa.text("SELECT entity_id, folded FROM entity_variants"))
    }
    names: dict[str, int] = {name: entity_id for entity_id, name in bind.execute(sa.text("SELECT id, name FROM entities"))}
    aliases: dict[int, list[str]] = {}
    for speaker_id, alias in bind.execute(sa.text("SELECT speaker_id, alias FROM speaker_aliases ORDER BY id")):
        aliases.setdefault(speaker_id, []).append(alias)
    for speaker_id, name in list(bind.execute(sa.text("SELECT id, name FROM speakers ORDER BY id"))):
        target = owners.get(_fold(name), names.get(name))
        if target is None:
            target = bind.execute(
                _entities.insert().values(name=name, kind="person", created_at=now).returning(_entities.c.id)
            ).scalar_one()
            names[name] = target
        for spelling in [name, *aliases.get(speaker_id, [])]:
            folded = _fold(spelling)
            if not folded or folded in owners:
                continue  # already this entity's spelling, or another's (which keeps it)
            bind.execute(_variants.insert().values(entity_id=target, variant=spelling, folded=folded))
            owners[folded] = target
    with op.batch_alter_table("speaker_aliases") as batch:
        batch.drop_index(batch.f("ix_speaker_aliases_speaker_id"))
    op.drop_table("speaker_aliases")
    op.drop_table("speakers")


def downgrade() -> None:
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
    # the people and organisations with other spellings become speakers with aliases again
    bind = op.get_bind()
    speakers = sa.table("speakers", sa.column("id", sa.Integer()), sa.column("name", sa.Text()))
    speaker_aliases = sa.table(
        "speaker_aliases", sa.column("speaker_id", sa.Integer()), sa.column("alias", sa.Text())
    )
    spellings: dict[int, list[str]] = {}
    for entity_id, variant in bind.execute(sa.text("SELECT entity_id, variant FROM entity_variants ORDER BY id")):
        spellings.setdefault(entity_id, []).append(variant)
    rows = bind.execute(sa.text("SELECT id, name FROM entities WHERE kind IN ('person', 'org') ORDER BY id"))
    for entity_id, name in list(rows):
        others = [s for s in spellings.get(entity_id, []) if s != name]
        if not others:
            continue
        speaker_id = bind.execute(
            speakers.insert().values(name=name).returning(speakers.c.id)
        ).scalar_one()
        for alias in others:
            bind.execute(speaker_aliases.insert().values(speaker_id=speaker_id, alias=alias))
