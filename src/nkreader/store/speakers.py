"""Speakers: canonical names, their aliases, usage counts, merging. Callers own the session.

Annotations keep the spelling they were given; `speaker_stats` groups them under the
canonical name (a registered speaker with its aliases). The services wrap these in
transactions and user-facing errors (`services.speakers`).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, text
from sqlalchemy.orm import Session

from nkreader.domain import Kind, SpeakerStat, utcnow
from nkreader.store.mappers import time_to_store
from nkreader.store.models import SpeakerAliasRow, SpeakerRow


def speaker_usage(session: Session) -> list[tuple[str, str, int]]:
    """(speaker, kind, annotations) for every speaker used on annotations."""
    rows = session.execute(
        text(
            "SELECT speaker, kind, count(*) FROM annotations "
            "WHERE speaker IS NOT NULL AND speaker != '' GROUP BY speaker, kind"
        )
    )
    return [(r[0], r[1], r[2]) for r in rows]


def speaker_groups(session: Session) -> dict[str, list[str]]:
    """Registered speakers: canonical name -> aliases (in the order they were added)."""
    groups: dict[str, list[str]] = {}
    rows = session.execute(
        text(
            "SELECT s.name, sa.alias FROM speakers s LEFT JOIN speaker_aliases sa ON sa.speaker_id = s.id "
            "ORDER BY s.id, sa.id"
        )
    )
    for name, alias in rows:
        aliases = groups.setdefault(name, [])
        if alias is not None:
            aliases.append(alias)
    return groups


def speaker_stats(session: Session) -> list[SpeakerStat]:
    """Every speaker used on annotations (and every registered one), grouped by canonical name,
    most used first (the speakers screen, the overview, completion)."""
    groups = speaker_groups(session)
    owner = {alias: name for name, aliases in groups.items() for alias in aliases}
    found: dict[str, SpeakerStat] = {}
    for spelling, kind, count in speaker_usage(session):
        name = owner.get(spelling, spelling)
        stat = found.get(name)
        if stat is None:
            stat = found[name] = SpeakerStat(name, list(groups.get(name, [])), 0, 0, 0, 0)
        if kind == Kind.QUOTE.value:
            stat.quotes += count
        elif kind == Kind.POLICY.value:
            stat.policies += count
        elif kind == Kind.CLAIM.value:
            stat.claims += count
        stat.total += count
    for name, aliases in groups.items():
        if name not in found:
            found[name] = SpeakerStat(name, list(aliases), 0, 0, 0, 0)
    return sorted(found.values(), key=lambda s: (-s.total, s.name.casefold(), s.name))


def speaker_completions(session: Session) -> list[str]:
    """Canonical names, each followed by its aliases, most used speaker first."""
    names: list[str] = []
    for stat in speaker_stats(session):
        names.append(stat.name)
        names.extend(stat.aliases)
    return list(dict.fromkeys(names))


def canonical_speaker(session: Session, name: str) -> str:
    """The canonical name of any spelling: itself unless it is a registered alias."""
    found = session.execute(
        text(
            "SELECT s.name FROM speaker_aliases sa JOIN speakers s ON s.id = sa.speaker_id WHERE sa.alias = :n"
        ),
        {"n": name},
    ).scalar()
    return found if found is not None else name


def speaker_spellings(session: Session, name: str, *, partial: bool = False) -> list[str]:
    """Every spelling of the speaker `name` is one of: its canonical name first, then its aliases.

    With `partial`, also every speaker whose name or alias contains `name` in any case
    ("kim" finds "Kim Jong Un" and all its spellings), for filters a user types.
    """
    names = [name]
    if partial:
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        names += session.execute(
            text(
                "SELECT DISTINCT speaker FROM annotations WHERE lower(speaker) LIKE lower(:p) ESCAPE '\\' "
                "UNION SELECT alias FROM speaker_aliases WHERE lower(alias) LIKE lower(:p) ESCAPE '\\'"
            ),
            {"p": pattern},
        ).scalars()
    spellings: dict[str, None] = {}
    for each in names:
        canonical = canonical_speaker(session, each)
        spellings[canonical] = None
        aliases = session.execute(
            text(
                "SELECT sa.alias FROM speaker_aliases sa JOIN speakers s ON s.id = sa.speaker_id "
                "WHERE s.name = :n ORDER BY sa.id"
            ),
            {"n": canonical},
        ).scalars()
        spellings.update(dict.fromkeys(aliases))
    return list(spellings)


def _speaker_id(session: Session, name: str, *, create: bool) -> int | None:
    found = session.query(SpeakerRow.id).filter(SpeakerRow.name == name).scalar()
    if found is None and create:
        row = SpeakerRow(name=name)
        session.add(row)
        session.flush()
        return row.id
    return found


def add_speaker_alias(session: Session, name: str, alias: str) -> str:
    """Make `alias` another spelling of `name` (of its canonical name); returns the canonical name.

    Raises ValueError when `alias` is already the canonical name of a speaker with aliases
    (merge those instead) or an alias of another speaker.
    """
    canonical = canonical_speaker(session, name)
    if alias == canonical:
        raise ValueError(f"{alias!r} is already the name of that speaker")
    owner = canonical_speaker(session, alias)
    if owner != alias:
        if owner == canonical:
            return canonical
        raise ValueError(f"{alias!r} is already an alias of {owner!r}")
    if speaker_spellings(session, alias)[1:]:
        raise ValueError(f"{alias!r} has aliases of its own: merge it into {canonical!r} instead")
    speaker_id = _speaker_id(session, canonical, create=True)
    alias_speaker = _speaker_id(session, alias, create=False)
    if alias_speaker is not None:
        session.query(SpeakerRow).filter(SpeakerRow.id == alias_speaker).delete()
    session.add(SpeakerAliasRow(speaker_id=speaker_id, alias=alias))
    session.flush()
    return canonical


def merge_speakers(session: Session, keep: str, merge: str, *, by: str | None = None) -> int:
    """Rewrite the speaker of annotations from `merge` (and its aliases) to `keep`'s canonical
    name and make them aliases of it; returns how many annotations changed. `by`: the annotator
    merging, stored as `updated_by` of those annotations."""
    keep_name = canonical_speaker(session, keep)
    merge_name = canonical_speaker(session, merge)
    if merge_name == keep_name:
        spellings = [merge] if merge != keep_name else []
    else:
        spellings = list(dict.fromkeys([*speaker_spellings(session, merge_name), merge]))
    if not spellings:
        return 0
    # every write to an annotation moves its version on (an open editor then merges, see
    # services.edits), a merge included
    result = session.execute(
        text(
            "UPDATE annotations SET speaker = :keep, updated_at = :now, updated_by = :by, "
            "version = version + 1 WHERE speaker IN :names"
        ).bindparams(bindparam("names", expanding=True)),
        {"keep": keep_name, "now": time_to_store(utcnow()), "by": by, "names": spellings},
    )
    changed = cast(CursorResult[Any], result).rowcount
    keep_id = _speaker_id(session, keep_name, create=True)
    if merge_name != keep_name:
        merge_id = _speaker_id(session, merge_name, create=False)
        if merge_id is not None:
            session.query(SpeakerAliasRow).filter(SpeakerAliasRow.speaker_id == merge_id).update(
                {SpeakerAliasRow.speaker_id: keep_id}
            )
            session.query(SpeakerRow).filter(SpeakerRow.id == merge_id).delete()
        session.flush()
        for spelling in spellings:
            if spelling != keep_name and canonical_speaker(session, spelling) != keep_name:
                session.add(SpeakerAliasRow(speaker_id=keep_id, alias=spelling))
        session.flush()
    return changed or 0
