"""Suggestions the user rejected, per article: never suggested again for that article.

A rejection keeps the kind and the suggested text (whitespace folded), not the offsets, so it
still holds after the article's text is updated and the passage moves. Rows go with their
article (ON DELETE CASCADE).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from nkreader.domain import utcnow
from nkreader.store.models import Base, UTCDateTime


class SuggestionRejectionRow(Base):
    __tablename__ = "suggestion_rejections"
    __table_args__ = (UniqueConstraint("article_id", "kind", "text", name="uq_suggestion_rejections_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    rejected_at: Mapped[datetime] = mapped_column(UTCDateTime())


def rejected_keys(session: Session, article_id: int) -> set[tuple[str, str]]:
    rows = session.execute(
        select(SuggestionRejectionRow.kind, SuggestionRejectionRow.text).where(
            SuggestionRejectionRow.article_id == article_id
        )
    )
    return {(kind, text) for kind, text in rows}


def add_rejection(session: Session, article_id: int, kind: str, text: str) -> bool:
    """Remember a rejection; False when it was already remembered."""
    found = session.scalar(
        select(SuggestionRejectionRow.id).where(
            SuggestionRejectionRow.article_id == article_id,
            SuggestionRejectionRow.kind == kind,
            SuggestionRejectionRow.text == text,
        )
    )
    if found is not None:
        return False
    session.add(SuggestionRejectionRow(article_id=article_id, kind=kind, text=text, rejected_at=utcnow()))
    session.flush()
    return True


def remove_rejection(session: Session, article_id: int, kind: str, text: str) -> None:
    session.execute(
        delete(SuggestionRejectionRow).where(
            SuggestionRejectionRow.article_id == article_id,
            SuggestionRejectionRow.kind == kind,
            SuggestionRejectionRow.text == text,
        )
    )


def count_rejections(session: Session, article_id: int | None = None) -> int:
    query = select(SuggestionRejectionRow.id)
    if article_id is not None:
        query = query.where(SuggestionRejectionRow.article_id == article_id)
    return len(session.scalars(query).all())


def list_rejections(session: Session, article_ids: list[int] | None = None) -> list[tuple[int, str, str, datetime]]:
    """(article id, kind, text, rejected at) of every rejection, oldest first; only these articles
    when `article_ids` is given."""
    query = select(
        SuggestionRejectionRow.article_id,
        SuggestionRejectionRow.kind,
        SuggestionRejectionRow.text,
        SuggestionRejectionRow.rejected_at,
    ).order_by(SuggestionRejectionRow.article_id, SuggestionRejectionRow.rejected_at, SuggestionRejectionRow.id)
    if article_ids is not None:
        query = query.where(SuggestionRejectionRow.article_id.in_(article_ids))
    return [(a, k, t, at) for a, k, t, at in session.execute(query)]


def remove_rejections(session: Session, article_ids: list[int] | None = None) -> int:
    """Forget every rejection (of these articles); returns how many were forgotten."""
    query = delete(SuggestionRejectionRow)
    if article_ids is not None:
        query = query.where(SuggestionRejectionRow.article_id.in_(article_ids))
    result = session.execute(query)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
