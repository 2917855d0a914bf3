"""Store reads and writes of graded sources, credibility and entities (issue 17).

Functions take an open session (the caller's transaction) and return `nkreader.analysis` data.
Speaker groups (canonical name and aliases) are read from the speakers tables directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from nkreader.analysis import (
    UNCHANGED,
    Entity,
    EntityKind,
    SourceEntry,
    SourceProfile,
    Unchanged,
    WordingChange,
    fold,
)
from nkreader.domain import Annotation, Status, utcnow
from nkreader.store.errors import NotFound
from nkreader.store.instrument_models import (
    CredibilityRow,
    EntityRow,
    EntityVariantRow,
    SourceApartRow,
    SourceProfileRow,
    WordingChangeRow,
)
from nkreader.store import speakers as _speakers
from nkreader.store.models import AnnotationRow, ArticleRow

BATCH = 500


class Conflict(ValueError):
    """A write that would break a rule (a spelling that belongs to another entity …)."""


# --------------------------------------------------------------------------- sources


def _profile(row: SourceProfileRow) -> SourceProfile:
    return SourceProfile(row.id, row.name, row.reliability, row.note, row.anonymous)


def profile(session: Session, name: str) -> SourceProfile | None:
    row = session.scalars(select(SourceProfileRow).where(SourceProfileRow.name == name)).first()
    return _profile(row) if row else None


def profiles(session: Session) -> dict[str, SourceProfile]:
    return {row.name: _profile(row) for row in session.scalars(select(SourceProfileRow))}


def profile_by_id(session: Session, profile_id: int) -> SourceProfile | None:
    row = session.get(SourceProfileRow, profile_id)
    return _profile(row) if row else None


def put_profile(
    session: Session,
    name: str,
    *,
    reliability: str | Unchanged | None = UNCHANGED,
    note: str | None = None,
    anonymous: bool | None = None,
) -> SourceProfile:
    """Create or change the profile of `name`; arguments left out keep their value."""
    row = session.scalars(select(SourceProfileRow).where(SourceProfileRow.name == name)).first()
    now = utcnow()
    if row is None:
        row = SourceProfileRow(name=name, reliability=None, note="", anonymous=False, created_at=now)
        session.add(row)
    if not isinstance(reliability, Unchanged):
        row.reliability = reliability
    if note is not None:
        row.note = note
    if anonymous is not None:
        row.anonymous = anonymous
    row.updated_at = now
    session.flush()
    return _profile(row)


def fold_profile_into(session: Session, keep: str, other: str) -> None:
    """After `other` was merged into `keep`: one profile, `keep`'s grade first, notes joined."""
    mine = session.scalars(select(SourceProfileRow).where(SourceProfileRow.name == keep)).first()
    theirs = session.scalars(select(SourceProfileRow).where(SourceProfileRow.name == other)).first()
    if theirs is None:
        return
    if mine is None:
        theirs.name = keep
    else:
        mine.reliability = mine.reliability or theirs.reliability
        mine.note = "\n\n".join(n for n in (mine.note, theirs.note) if n)
        mine.anonymous = mine.anonymous or theirs.anonymous
        mine.updated_at = utcnow()
        session.delete(theirs)
    for row in session.scalars(
        select(SourceApartRow).where((SourceApartRow.first == other) | (SourceApartRow.second == other))
    ):
        session.delete(row)
    session.flush()


def keep_apart(session: Session, a: str, b: str) -> bool:
    """Record that `a` and `b` are different sources; False when it was already recorded."""
    first, second = sorted((a, b))
    exists = session.scalar(
        select(SourceApartRow.id).where(SourceApartRow.first == first, SourceApartRow.second == second)
    )
    if exists:
        return False
    session.add(SourceApartRow(first=first, second=second))
    session.flush()
    return True


def apart_pairs(session: Session) -> set[tuple[str, str]]:
    return {(r.first, r.second) for r in session.scalars(select(SourceApartRow))}


def speaker_groups(session: Session) -> dict[str, list[str]]:
    """Canonical speaker name -> its aliases, sorted (registered speakers only: `store.speakers`)."""
    return {name: sorted(aliases) for name, aliases in sorted(_speakers.speaker_groups(session).items())}


def register(session: Session) -> list[SourceEntry]:
    """Every speaker (by canonical name) with its profile, articles, counts, first and last seen."""
    groups = speaker_groups(session)
    owners = _speakers.spelling_owners(session)
    graded = profiles(session)
    query = (
        select(
            AnnotationRow.speaker,
            AnnotationRow.kind,
            AnnotationRow.article_id,
            ArticleRow.published,
            CredibilityRow.credibility,
        )
        .join(ArticleRow, ArticleRow.id == AnnotationRow.article_id)
        .outerjoin(CredibilityRow, CredibilityRow.annotation_id == AnnotationRow.id)
        .where(AnnotationRow.speaker.is_not(None))
    )
    entries: dict[str, SourceEntry] = {}
    articles: dict[str, set[int]] = {}
    undated: dict[str, set[int]] = {}
    for spelling, kind, article_id, published, credibility in session.execute(query):
        if spelling is None:
            continue
        name = owners.get(fold(spelling), spelling)
        entry = entries.get(name)
        if entry is None:
            entry = entries[name] = SourceEntry(
                name, list(groups.get(name, [])), graded.get(name), 0, 0, 0, 0, None, None, 0
            )
        if kind == "claim":
            entry.claims += 1
        elif kind == "quote":
            entry.quotes += 1
        else:
            entry.policies += 1
        if credibility:
            entry.credibility[credibility] = entry.credibility.get(credibility, 0) + 1
        articles.setdefault(name, set()).add(article_id)
        day = published if isinstance(published, date) or published is None else date.fromisoformat(published)
        if day is None:
            undated.setdefault(name, set()).add(article_id)
        else:
            entry.first_seen = min(entry.first_seen or day, day)
            entry.last_seen = max(entry.last_seen or day, day)
    for name, entry in entries.items():
        entry.articles = len(articles.get(name, ()))
        entry.undated_articles = len(undated.get(name, ()))
    for name, found in graded.items():
        if name not in entries and owners.get(fold(name), name) == name:
            entries[name] = SourceEntry(name, list(groups.get(name, [])), found, 0, 0, 0, 0, None, None, 0)
    return sorted(entries.values(), key=lambda e: (-e.total, e.name.casefold()))


# --------------------------------------------------------------------------- credibility


def set_credibility(session: Session, annotation_uuid: str, credibility: int | None) -> None:
    annotation_id = session.scalar(select(AnnotationRow.id).where(AnnotationRow.uuid == annotation_uuid))
    if annotation_id is None:
        raise NotFound(f"no annotation {annotation_uuid}")
    row = session.get(CredibilityRow, annotation_id)
    if credibility is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(CredibilityRow(annotation_id=annotation_id, credibility=credibility, updated_at=utcnow()))
    else:
        row.credibility = credibility
        row.updated_at = utcnow()
    session.flush()


def credibility_by_uuid(session: Session, uuids: Sequence[str] | None) -> dict[str, int]:
    """Credibility grades of the given annotations (of all graded ones, when None), by uuid."""
    found: dict[str, int] = {}
    if uuids is None:
        # Driven by the (small) grades table: a plain join scanned all annotations (25 ms at 100,000).
        query = (
            select(AnnotationRow.uuid, CredibilityRow.credibility)
            .join(CredibilityRow, CredibilityRow.annotation_id == AnnotationRow.id)
            .where(AnnotationRow.id.in_(select(CredibilityRow.annotation_id)))
        )
        return {uuid: grade for uuid, grade in session.execute(query)}
    for offset in range(0, len(uuids), BATCH):
        batch = list(uuids[offset : offset + BATCH])
        query = (
            select(AnnotationRow.uuid, CredibilityRow.credibility)
            .join(CredibilityRow, CredibilityRow.annotation_id == AnnotationRow.id)
            .where(AnnotationRow.uuid.in_(batch))
        )
        found.update({uuid: grade for uuid, grade in session.execute(query)})
    return found


# --------------------------------------------------------------------------- entities


def _entity(session: Session, row: EntityRow) -> Entity:
    variants = list(
        session.scalars(
            select(EntityVariantRow.variant)
            .where(EntityVariantRow.entity_id == row.id)
            .order_by(EntityVariantRow.id)
        )
    )
    return Entity(row.id, row.name, EntityKind(row.kind), variants)


def _owner_of(session: Session, spelling: str) -> EntityRow | None:
    entity_id = session.scalar(
        select(EntityVariantRow.entity_id).where(EntityVariantRow.folded == fold(spelling))
    )
    return session.get(EntityRow, entity_id) if entity_id is not None else None


def find_entity(session: Session, spelling: str) -> Entity | None:
    """The entity one of whose spellings is `spelling` (in any case)."""
    row = _owner_of(session, spelling)
    return _entity(session, row) if row else None


def add_entity(session: Session, name: str, kind: EntityKind, variants: Iterable[str] = ()) -> Entity:
    if _owner_of(session, name) is not None:
        raise Conflict(f"{name!r} is already a spelling of {_owner_of(session, name).name!r}")  # type: ignore[union-attr]
    row = EntityRow(name=name, kind=kind.value, created_at=utcnow())
    session.add(row)
    session.flush()
    add_variants(session, row.id, [name, *variants])
    return _entity(session, row)


def add_variants(session: Session, entity_id: int, variants: Iterable[str]) -> list[str]:
    """Add spellings to an entity; returns those that were new. A spelling of another entity is
    refused (merge the two instead)."""
    added = []
    for variant in variants:
        owner = _owner_of(session, variant)
        if owner is not None:
            if owner.id != entity_id:
                raise Conflict(f"{variant!r} is already a spelling of {owner.name!r} (merge them instead)")
            continue
        session.add(EntityVariantRow(entity_id=entity_id, variant=variant, folded=fold(variant)))
        session.flush()
        added.append(variant)
    return added


def entities(session: Session) -> list[Entity]:
    rows = list(session.scalars(select(EntityRow).order_by(func.lower(EntityRow.name))))
    return [_entity(session, row) for row in rows]


def merge_entities(session: Session, keep_id: int, other_id: int) -> Entity:
    for row in session.scalars(select(EntityVariantRow).where(EntityVariantRow.entity_id == other_id)):
        row.entity_id = keep_id
    session.flush()
    session.execute(delete(EntityRow).where(EntityRow.id == other_id))
    session.flush()
    kept = session.get(EntityRow, keep_id)
    assert kept is not None
    return _entity(session, kept)


def variants_of_folded(session: Session, folded: Iterable[str]) -> dict[str, list[str]]:
    """For each folded spelling that belongs to an entity, every spelling of that entity."""
    wanted = sorted(set(folded))
    if not wanted:
        return {}
    owners = dict(
        session.execute(
            select(EntityVariantRow.folded, EntityVariantRow.entity_id).where(
                EntityVariantRow.folded.in_(wanted)
            )
        ).all()
    )
    if not owners:
        return {}
    spellings: dict[int, list[str]] = {}
    for entity_id, variant in session.execute(
        select(EntityVariantRow.entity_id, EntityVariantRow.variant)
        .where(EntityVariantRow.entity_id.in_(set(owners.values())))
        .order_by(EntityVariantRow.id)
    ):
        spellings.setdefault(entity_id, []).append(variant)
    return {f: spellings[e] for f, e in owners.items()}


def annotation_uuids_starting(session: Session, prefix: str, limit: int = 2) -> list[str]:
    """Up to `limit` annotation uuids that start with `prefix` (so a user can type a short one)."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = select(AnnotationRow.uuid).where(AnnotationRow.uuid.like(pattern, escape="\\")).limit(limit)
    return list(session.scalars(query))


# --------------------------------------------------------------------------- wording changes


def record_wording_change(session: Session, before: Annotation, after: Annotation) -> None:
    """`before`'s words were replaced by `after`'s in an update: keep the first words, and flag a
    claim (or any annotation) whose status had been set on them."""
    if before.exact == after.exact or before.id is None:
        return
    row = session.get(WordingChangeRow, before.id)
    weighed = before.status is not Status.UNVERIFIED
    if row is None:
        session.add(
            WordingChangeRow(
                annotation_id=before.id,
                original=before.exact,
                status=before.status.value,
                changed_at=utcnow(),
                needs_review=weighed,
            )
        )
    else:
        row.changed_at = utcnow()
        row.needs_review = row.needs_review or weighed
    session.flush()


def wording_changes(session: Session, uuids: Sequence[str] | None = None) -> dict[str, WordingChange]:
    """The wording changes of the given annotations (all, when None), by annotation uuid."""
    query = select(
        AnnotationRow.uuid,
        WordingChangeRow.original,
        WordingChangeRow.status,
        WordingChangeRow.changed_at,
        WordingChangeRow.needs_review,
    ).join(WordingChangeRow, WordingChangeRow.annotation_id == AnnotationRow.id)
    found: dict[str, WordingChange] = {}
    batches = [None] if uuids is None else [list(uuids[i : i + BATCH]) for i in range(0, len(uuids), BATCH)]
    # Driven by the (small) changes table: a plain join scanned all annotations.
    every = query.where(AnnotationRow.id.in_(select(WordingChangeRow.annotation_id)))
    for batch in batches:
        selected = every if batch is None else query.where(AnnotationRow.uuid.in_(batch))
        for uuid, original, status, changed_at, review in session.execute(selected):
            found[uuid] = WordingChange(original, Status(status), changed_at, bool(review))
    return found


def clear_review(session: Session, annotation_uuid: str, *, needs_review: bool = False) -> bool:
    """The analyst has looked at the annotation again: no longer flagged (`needs_review=True`
    flags it again: the undo). False if it already was in that state or has no wording change."""
    annotation_id = session.scalar(select(AnnotationRow.id).where(AnnotationRow.uuid == annotation_uuid))
    row = session.get(WordingChangeRow, annotation_id) if annotation_id is not None else None
    if row is None or bool(row.needs_review) == needs_review:
        return False
    row.needs_review = needs_review
    session.flush()
    return True
