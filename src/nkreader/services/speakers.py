"""Speakers (issue 6): canonical names, their aliases, counts, merging.

A speaker is a canonical name with other spellings (aliases): "Kim Jong Un" with "Kim Jong-un"
and "김정은". Annotations keep the spelling they were given; counts, filters and completion
group them under the canonical name. Merging rewrites annotations to the kept name.
"""

from __future__ import annotations

from nkreader.domain import Kind, SpeakerStat
from nkreader.services.library import Library
from nkreader.store import research, speaker_names

__all__ = ["SpeakerError", "SpeakerStat", "add_alias", "canonical", "completions", "merge", "speakers"]


class SpeakerError(ValueError):
    """An alias or merge that cannot be made."""


def _clean(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise SpeakerError("a speaker needs a name")
    return cleaned


def stats(session: object) -> list[SpeakerStat]:
    """Speaker statistics read in an open session (shared with the overview and completion)."""
    groups = research.speaker_groups(session)  # type: ignore[arg-type]
    owner = {alias: name for name, aliases in groups.items() for alias in aliases}
    found: dict[str, SpeakerStat] = {}
    for spelling, kind, count in research.speaker_usage(session):  # type: ignore[arg-type]
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


def speakers(library: Library) -> list[SpeakerStat]:
    """Every speaker used on annotations (and every registered one), grouped by canonical name,
    most used first."""
    with library.database.reading() as session:
        return stats(session)


def completions(library: Library) -> list[str]:
    """Canonical names, each followed by its aliases, most used speaker first (for completion)."""
    with library.database.reading() as session:
        return _completions(session)


def _completions(session: object) -> list[str]:
    names: list[str] = []
    for stat in stats(session):
        names.append(stat.name)
        names.extend(stat.aliases)
    return list(dict.fromkeys(names))


def canonical(library: Library, name: str) -> str:
    """The canonical name of any spelling of a speaker (the name itself when it is no alias)."""
    with library.database.reading() as session:
        return research.canonical_speaker(session, name)


def add_alias(library: Library, name: str, alias: str) -> str:
    """Make `alias` another spelling of the speaker `name`; returns the canonical name.

    SpeakerError when `alias` is already another speaker's alias, or a speaker with aliases of
    its own (merge instead).
    """
    name, alias = _clean(name), _clean(alias)
    with library.database.writing() as session:
        try:
            return research.add_speaker_alias(session, name, alias)
        except ValueError as exc:
            raise SpeakerError(str(exc)) from None


def merge(library: Library, keep: str, merge: str) -> int:
    """Rewrite annotations' speaker from `merge` (and its aliases) to `keep`'s canonical name and
    make those spellings aliases of it, in one transaction; returns how many annotations changed."""
    keep, merge = _clean(keep), _clean(merge)
    if keep == merge:
        raise SpeakerError("cannot merge a speaker into itself")
    with library.database.writing() as session:
        canonical = research.canonical_speaker(session, keep)
        if canonical != keep and canonical == research.canonical_speaker(session, merge):
            # KEEP is already an alias of OTHER's speaker: make KEEP the name that speaker has
            return speaker_names.promote_alias(session, keep, research.speaker_spellings(session, canonical))
        return research.merge_speakers(session, keep, merge)
