"""Tables of the analyst's instruments (issue 17): graded sources and named entities.

Kept apart from `models` so the issue's tables read as one unit; they share its `Base` (and so
its metadata, naming convention and migrations). Schema changes go through a migration.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nkreader.store.models import Base, UTCDateTime


class SourceProfileRow(Base):
    """A speaker treated as a source: its reliability grade (Admiralty A–F) and the analyst's notes.

    Keyed by the canonical speaker name, as annotations spell it; its id is the source's stable
    identity ("S3"), which survives renaming and merging.
    """

    __tablename__ = "source_profiles"
    __table_args__ = (
        CheckConstraint(
            "reliability IS NULL OR reliability IN ('A','B','C','D','E','F')", name="reliability"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    reliability: Mapped[str | None] = mapped_column(String(1))
    note: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SourceApartRow(Base):
    """Two sources the analyst has judged to be different people: never offered as one again."""

    __tablename__ = "source_apart"
    __table_args__ = (UniqueConstraint("first", "second", name="uq_source_apart_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first: Mapped[str] = mapped_column(Text)
    second: Mapped[str] = mapped_column(Text)


class CredibilityRow(Base):
    """The credibility (Admiralty 1–6) the analyst gave one quote or claim."""

    __tablename__ = "annotation_credibility"
    __table_args__ = (CheckConstraint("credibility BETWEEN 1 AND 6", name="credibility"),)

    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True
    )
    credibility: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EntityRow(Base):
    """A named person, place or organisation mentioned in articles."""

    __tablename__ = "entities"
    __table_args__ = (CheckConstraint("kind IN ('person', 'place', 'org')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EntityVariantRow(Base):
    """Another spelling of an entity (a transliteration, the Hangul); `folded` is its case-folded
    form, unique, so one spelling belongs to one entity."""

    __tablename__ = "entity_variants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    variant: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text, unique=True)


class WordingChangeRow(Base):
    """The words an annotation was made on, kept when an update changed them (issue 17).

    Written once, at the first change: later updates keep the original words. `status` is the
    status the annotation had then; a claim already corroborated, disputed or refuted on the old
    words `needs_review` until the analyst has looked at it again.
    """

    __tablename__ = "annotation_wording"

    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True
    )
    original: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    needs_review: Mapped[bool] = mapped_column(default=False)
