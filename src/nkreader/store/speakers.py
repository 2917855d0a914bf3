"""Speakers: canonical names, their other spellings, usage counts, merging. Callers own the session.

A speaker is an entity (issue 17, migration 0014): its canonical name is the entity's name and
its aliases are the entity's other spellings (`entities`, `entity_variants`), so "Kim Jong Un"
with "Kim Jong-un" and "김정은" is one thing whether it was made with `speakers --alias`, `entity
add` or `entity variant`, and a spelling belongs to one of them only (compared NFKC,
case-folded, as entities compare). Spellings resolve through every entity; the *registered*
speakers (`speaker_groups`: the speakers screen, completion, the suggestion rules) are the
people and organisations.

Annotations keep the spelling they were given; `speaker_stats` groups them under the canonical
name. The services wrap these in transactions and user-facing errors (`services.speakers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, text
from sqlalchemy.orm import Session

from nkreader.analysis import fold
from nkreader.domain import Kind, SpeakerStat, utcnow
from nkreader.store.mappers import time_to_store

SPEAKER_KINDS = ("person", "org")
"""Entity kinds that are speakers of their own accord (a place is one only when quoted)."""

_KINDS = "e.kind IN ('person', 'org')"


def speaker_usage(session: Session) -> list[tuple[str, str, int]]:
    """(speaker, kind, annotations) for every speaker used on annotations."""
    rows = session.execute(
        text(
            "SELECT speaker, kind, count(*) FROM annotations "
            "WHERE speaker IS NOT NULL AND speaker != '' GROUP BY speaker, kind"
        )
    )
    return [(r[0], r[1], r[2]) for r in rows]


def _groups(session: Session, *, registered: bool) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    where = f"WHERE {_KINDS} " if registered else ""
    rows = session.execute(
        text(
            "SELECT e.name, v.variant FROM entities e LEFT JOIN entity_variants v ON v.entity_id = e.id "
            f"{where}ORDER BY e.id, v.id"
        )
    )
    for name, variant in rows:
        aliases = groups.setdefault(name, [])
        if variant is not None and variant != name:
            aliases.append(variant)
    return groups


def speaker_groups(session: Session) -> dict[str, list[str]]:
    """Registered speakers (the people and organisations): canonical name -> its other
    spellings, in the order they were added."""
    return _groups(session, registered=True)


def spelling_owners(session: Session) -> dict[str, str]:
    """Folded spelling -> the name of the entity it belongs to (every kind)."""
    return dict(
        session.execute(
            text("SELECT v.folded, e.name FROM entity_variants v JOIN entities e ON e.id = v.entity_id")
        ).all()
    )


def speaker_stats(session: Session) -> list[SpeakerStat]:
    """Every speaker used on annotations (and every registered one), grouped by canonical name,
    most used first (the speakers screen, the overview, completion)."""
    every = _groups(session, registered=False)
    registered = speaker_groups(session)
    owners = spelling_owners(session)
    found: dict[str, SpeakerStat] = {}
    for spelling, kind, count in speaker_usage(session):
        name = owners.get(fold(spelling), spelling)
        stat = found.get(name)
        if stat is None:
            stat = found[name] = SpeakerStat(name, list(every.get(name, [])), 0, 0, 0, 0)
        if kind == Kind.QUOTE.value:
            stat.quotes += count
        elif kind == Kind.POLICY.value:
            stat.policies += count
        elif kind == Kind.CLAIM.value:
            stat.claims += count
        stat.total += count
    for name, aliases in registered.items():
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


def _owner(session: Session, name: str) -> tuple[int, str, str] | None:
    """(entity id, its name, its kind) of the entity `name` is a spelling of."""
    row = session.execute(
        text(
            "SELECT e.id, e.name, e.kind FROM entity_variants v JOIN entities e ON e.id = v.entity_id "
            "WHERE v.folded = :f"
        ),
        {"f": fold(name)},
    ).first()
    return (row[0], row[1], row[2]) if row else None


def canonical_speaker(session: Session, name: str) -> str:
    """The canonical name of any spelling: the name of the entity it is a spelling of, else itself."""
    found = _owner(session, name) if name else None
    return found[1] if found is not None else name


def _spellings_of(session: Session, entity_id: int) -> list[str]:
    return list(
        session.execute(
            text("SELECT variant FROM entity_variants WHERE entity_id = :e ORDER BY id"), {"e": entity_id}
        ).scalars()
    )


def speaker_spellings(session: Session, name: str, *, partial: bool = False) -> list[str]:
    """Every spelling of the speaker `name` is one of: its canonical name first, then its aliases
    (and `name` as given, if no spelling has exactly that form).

    With `partial`, also every speaker whose name or alias contains `name` in any case
    ("kim" finds "Kim Jong Un" and all its spellings), for filters a user types.
    """
    names = [name]
    if partial:
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        names += session.execute(
            text(
                "SELECT DISTINCT speaker FROM annotations WHERE lower(speaker) LIKE lower(:p) ESCAPE '\\' "
                "UNION SELECT v.variant FROM entity_variants v JOIN entities e ON e.id = v.entity_id "
                f"WHERE {_KINDS} AND lower(v.variant) LIKE lower(:p) ESCAPE '\\'"
            ),
            {"p": pattern},
        ).scalars()
    spellings: dict[str, None] = {}
    for each in names:
        found = _owner(session, each) if each else None
        if found is None:
            spellings[each] = None
            continue
        spellings[found[1]] = None
        spellings.update(dict.fromkeys(_spellings_of(session, found[0])))
        spellings[each] = None
    return list(spellings)


def _add_spelling(session: Session, entity_id: int, spelling: str) -> bool:
    """`spelling` made a spelling of the entity unless its folded form is taken; True if added."""
    if _owner(session, spelling) is not None:
        return False
    session.execute(
        text("INSERT INTO entity_variants (entity_id, variant, folded) VALUES (:e, :v, :f)"),
        {"e": entity_id, "v": spelling, "f": fold(spelling)},
    )
    return True


def _speaker_id(session: Session, name: str, *, create: bool) -> int | None:
    """The entity whose name is `name` (a canonical name); a new person when `create`."""
    found = session.execute(text("SELECT id FROM entities WHERE name = :n"), {"n": name}).scalar()
    if found is None and create:
        owner = _owner(session, name)
        if owner is not None:  # a spelling of an entity under another name: that one
            return owner[0]
        found = session.execute(
            text("INSERT INTO entities (name, kind, created_at) VALUES (:n, 'person', :t) RETURNING id"),
            {"n": name, "t": time_to_store(utcnow())},
        ).scalar_one()
        _add_spelling(session, found, name)
    return found


def add_speaker_alias(session: Session, name: str, alias: str) -> str:
    """Make `alias` another spelling of `name` (of its canonical name); returns the canonical name.

    Raises ValueError when `alias` is already the canonical name of a speaker with aliases
    (merge those instead) or a spelling of another speaker or entity.
    """
    canonical = canonical_speaker(session, name)
    if alias == canonical:
        raise ValueError(f"{alias!r} is already the name of that speaker")
    owner = _owner(session, alias)
    if owner is not None and owner[1] != alias:
        if owner[1] == canonical:
            return canonical
        raise ValueError(f"{alias!r} is already an alias of {owner[1]!r}")
    if owner is not None:  # `alias` is an entity's own name
        if _spellings_of(session, owner[0]) != [alias]:
            raise ValueError(f"{alias!r} has aliases of its own: merge it into {canonical!r} instead")
        session.execute(text("DELETE FROM entity_variants WHERE entity_id = :e"), {"e": owner[0]})
        session.execute(text("DELETE FROM entities WHERE id = :e"), {"e": owner[0]})
    speaker_id = _speaker_id(session, canonical, create=True)
    assert speaker_id is not None
    _add_spelling(session, speaker_id, alias)
    session.flush()
    return canonical


def rewrite_speakers(session: Session, keep: str, spellings: Sequence[str], *, by: str | None = None) -> int:
    """Annotations whose speaker is one of `spellings` name `keep` instead; returns how many.
    Every write to an annotation moves its version on (an open editor then merges, see
    services.edits), a merge included; `by` is stored as their `updated_by`."""
    others = [s for s in dict.fromkeys(spellings) if s != keep]
    if not others:
        return 0
    result = session.execute(
        text(
            "UPDATE annotations SET speaker = :keep, updated_at = :now, updated_by = :by, "
            "version = version + 1 WHERE speaker IN :names"
        ).bindparams(bindparam("names", expanding=True)),
        {"keep": keep, "now": time_to_store(utcnow()), "by": by, "names": others},
    )
    return cast(CursorResult[Any], result).rowcount or 0


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
    changed = rewrite_speakers(session, keep_name, spellings, by=by)
    keep_id = _speaker_id(session, keep_name, create=True)
    assert keep_id is not None
    if merge_name != keep_name:
        merge_id = _speaker_id(session, merge_name, create=False)
        moved: list[str] = []
        if merge_id is not None and merge_id != keep_id:
            # its aliases first, then its name, as they were added
            own = _spellings_of(session, merge_id)
            moved = [s for s in own if s != merge_name] + [s for s in own if s == merge_name]
            session.execute(text("DELETE FROM entity_variants WHERE entity_id = :e"), {"e": merge_id})
            session.execute(text("DELETE FROM entities WHERE id = :e"), {"e": merge_id})
        for spelling in [*moved, merge_name, merge]:
            _add_spelling(session, keep_id, spelling)
    session.flush()
    return changed
