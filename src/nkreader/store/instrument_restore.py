"""Restoring the instruments a native export carries (issue 17): insert what is missing, never
overwrite. Callers own the session; each function says whether it wrote anything, so an
import can count what it added and a second import of the same file changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from nkreader.analysis import WordingChange
from nkreader.domain import Kind, utcnow
from nkreader.store.instrument_models import CredibilityRow, WordingChangeRow
from nkreader.store.models import AnnotationRow

__all__ = ["restore_credibility", "restore_wording"]


def _annotation(session: Session, uuid: str) -> tuple[int, str] | None:
    row = session.execute(
        select(AnnotationRow.id, AnnotationRow.kind).where(AnnotationRow.uuid == uuid)
    ).first()
    return (row[0], row[1]) if row else None


def restore_credibility(session: Session, uuid: str, credibility: int) -> bool:
    """Give the annotation `uuid` its credibility unless it has one (or is a policy statement,
    which credibility does not grade); False when nothing was written."""
    found = _annotation(session, uuid)
    if found is None or found[1] == Kind.POLICY.value:
        return False
    if session.get(CredibilityRow, found[0]) is not None:
        return False
    session.add(CredibilityRow(annotation_id=found[0], credibility=credibility, updated_at=utcnow()))
    session.flush()
    return True


def restore_wording(session: Session, uuid: str, change: WordingChange) -> bool:
    """Keep the words the annotation `uuid` was made on unless a record of its own is there."""
    found = _annotation(session, uuid)
    if found is None or session.get(WordingChangeRow, found[0]) is not None:
        return False
    session.add(
        WordingChangeRow(
            annotation_id=found[0],
            original=change.original,
            status=change.status.value,
            changed_at=change.changed_at,
            needs_review=change.needs_review,
        )
    )
    session.flush()
    return True
