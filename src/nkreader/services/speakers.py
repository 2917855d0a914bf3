"""Speakers (issue 6): canonical names, their aliases, counts, merging.

A speaker is a canonical name with other spellings (aliases): "Kim Jong Un" with "Kim Jong-un"
and "김정은". It is an entity (issue 17): the aliases are the entity's spellings, so an alias
added here is one `entity list` shows and `entity variant` adds to (`store.speakers`).
Annotations keep the spelling they were given; counts, filters and completion group them under
the canonical name. Merging rewrites annotations to the kept name.
"""

from __future__ import annotations

from nkreader.domain import SpeakerStat
from nkreader.services.library import Library

__all__ = ["SpeakerError", "SpeakerStat", "add_alias", "canonical", "completions", "merge", "speakers"]


class SpeakerError(ValueError):
    """An alias or merge that cannot be made."""


def _clean(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise SpeakerError("a speaker needs a name")
    return cleaned


def speakers(library: Library) -> list[SpeakerStat]:
    """Every speaker used on annotations (and every registered one), grouped by canonical name,
    most used first."""
    from nkreader.store.speakers import speaker_stats

    with library.database.reading() as session:
        return speaker_stats(session)


def completions(library: Library) -> list[str]:
    """Canonical names, each followed by its aliases, most used speaker first (for completion)."""
    from nkreader.store.speakers import speaker_completions

    with library.database.reading() as session:
        return speaker_completions(session)


def canonical(library: Library, name: str) -> str:
    """The canonical name of any spelling of a speaker (the name itself when it is no alias)."""
    from nkreader.store.speakers import canonical_speaker

    with library.database.reading() as session:
        return canonical_speaker(session, name)


def add_alias(library: Library, name: str, alias: str) -> str:
    """Make `alias` another spelling of the speaker `name`; returns the canonical name.

    SpeakerError when `alias` is already another speaker's alias, or a speaker with aliases of
    its own (merge instead).
    """
    from nkreader.store.speakers import add_speaker_alias

    name, alias = _clean(name), _clean(alias)
    with library.database.writing() as session:
        try:
            return add_speaker_alias(session, name, alias)
        except ValueError as exc:
            raise SpeakerError(str(exc)) from None


def merge(library: Library, keep: str, merge: str) -> int:
    """Rewrite annotations' speaker from `merge` (and its aliases) to `keep`'s canonical name and
    make those spellings aliases of it, in one transaction; returns how many annotations changed."""
    from nkreader.store import speaker_names
    from nkreader.store.speakers import canonical_speaker, merge_speakers, speaker_spellings

    keep, merge = _clean(keep), _clean(merge)
    if keep == merge:
        raise SpeakerError("cannot merge a speaker into itself")
    with library.database.writing() as session:
        canonical = canonical_speaker(session, keep)
        if canonical != keep and canonical == canonical_speaker(session, merge):
            # KEEP is already an alias of OTHER's speaker: make KEEP the name that speaker has
            return speaker_names.promote_alias(
                session, keep, speaker_spellings(session, canonical), by=library.annotator
            )
        return merge_speakers(session, keep, merge, by=library.annotator)
