"""SQLAlchemy tables. Only the store sees these; everything else gets domain objects.

Schema changes go through an Alembic migration in `store/migrations/versions`; a test
runs `alembic check` so the models and the migrations cannot drift apart.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend.

    SQLite keeps no zone; without this a round trip would return naive times and
    exports would not compare equal to what was stored.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ArticleRow(Base):
    __tablename__ = "articles"
    __table_args__ = (
        # covering index for the library list (every column it shows, no body): scanning it
        # skips the bodies' overflow pages that a table scan reads to reach the later columns
        Index("ix_articles_listing", "published", "imported_at", "id", "uuid", "title", "source", "language"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    language: Mapped[str | None] = mapped_column(String(35))
    origin: Mapped[str | None] = mapped_column(Text, index=True)
    origin_format: Mapped[str | None] = mapped_column(String(16))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    annotations: Mapped[list[AnnotationRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class AnnotationRow(Base):
    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start <= "end"', name="span"),
        CheckConstraint("kind IN ('claim', 'quote', 'policy')", name="kind"),
        Index("ix_annotations_article_start", "article_id", "start"),
        # covering index for the per-article counts of the library list (GROUP BY article_id, kind)
        Index("ix_annotations_article_kind", "article_id", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    speaker: Mapped[str | None] = mapped_column(Text, index=True)
    status: Mapped[str] = mapped_column(String(16), default="unverified")
    anchor_state: Mapped[str] = mapped_column(String(16), default="anchored")
    author: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    """Moves on by one with every write (migration 0006): editors store only over the version they saw."""
    updated_by: Mapped[str | None] = mapped_column(Text)
    """Who stored the last change (migration 0012); the maker is `author`."""

    article: Mapped[ArticleRow] = relationship(back_populates="annotations")


class LinkRow(Base):
    __tablename__ = "links"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "type", name="uq_links_pair_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("annotations.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("annotations.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ArticleRevisionRow(Base):
    """A text an article had before `import --update` replaced it: nothing annotated is lost."""

    __tablename__ = "article_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(Text)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime())
    """When this text became the article's (its import or its last update)."""
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReadingPositionRow(Base):
    """Where the reader left each article, so reopening it lands on the same words."""

    __tablename__ = "reading_positions"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    offset: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


# Speakers are entities since migration 0014 (`instrument_models.EntityRow`, `store/speakers.py`):
# the `speakers` and `speaker_aliases` tables of migration 0004 are gone.


# Indexes of the annotation browser (migration 0004): its filters and sort orders.
Index("ix_annotations_status", AnnotationRow.status)
Index("ix_annotations_created_at", AnnotationRow.created_at)


# Tables kept in their own modules, registered on Base.metadata here so `alembic check` sees them.
# The issue 17 tables (sources, credibility, entities) share this metadata.
from nkreader.store import instrument_models as _instrument_models  # noqa: E402, F401
from nkreader.store import suggestion_rejections as _suggestion_rejections  # noqa: E402, F401
