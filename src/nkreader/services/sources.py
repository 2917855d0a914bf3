"""Sources, graded (issue 17): a speaker treated as a source, with the Admiralty grades.

A *source* is a canonical speaker with a profile: reliability A–F, notes, and whether it is
anonymous ("a source in North Hamgyong Province"). Its id is its stable identity (S3): merging
two sources keeps one profile (the kept one's grade first, notes joined) and rewrites the other's
annotations, as merging speakers does; two sources judged to be different people can be *kept
apart*, so they are not offered as possible duplicates again. Each quote or claim can carry a
credibility grade 1–6.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nkreader.analysis import (
    CREDIBILITY,
    RELIABILITY,
    UNCHANGED,
    Grades,
    SourceEntry,
    SourceProfile,
    Unchanged,
    clean_name,
)
from nkreader.domain import Kind
from nkreader.services.library import Library

__all__ = [
    "Grades",
    "SourceError",
    "grade",
    "grades_for",
    "keep_apart",
    "merge",
    "possible_duplicates",
    "register",
    "set_credibility",
]

_ANONYMOUS = re.compile(r"\b(source|sources|resident|official|insider|defector|informant)s?\b", re.IGNORECASE)
_FILLER = {
    "a",
    "an",
    "the",
    "in",
    "of",
    "from",
    "another",
    "additional",
    "second",
    "based",
    "who",
    "works",
    "for",
}


class SourceError(ValueError):
    """A grade or merge that cannot be made; the message is one line, for the user."""


def parse_reliability(value: str) -> str | None:
    """`A`..`F` (any case), or `-`/`none` to clear."""
    text = value.strip().upper()
    if text in {"-", "NONE", ""}:
        return None
    if text not in RELIABILITY:
        raise SourceError(
            f"reliability is a letter A–F (A: {RELIABILITY['A']} … F: {RELIABILITY['F']}), not {value!r}"
        )
    return text


def parse_credibility(value: str | int) -> int | None:
    text = str(value).strip().lower()
    if text in {"-", "none", ""}:
        return None
    if not text.isdigit() or int(text) not in CREDIBILITY:
        raise SourceError(
            f"credibility is a number 1–6 (1: {CREDIBILITY[1]} … 6: {CREDIBILITY[6]}), not {value!r}"
        )
    return int(text)


def _name(name: str) -> str:
    cleaned = clean_name(name)
    if not cleaned:
        raise SourceError("a source needs a name")
    return cleaned


def grade(
    library: Library,
    name: str,
    reliability: str | Unchanged | None = UNCHANGED,
    *,
    note: str | None = None,
    anonymous: bool | None = None,
) -> SourceProfile:
    """Mark the speaker `name` (any of its spellings) as a source and set what is given."""
    from nkreader.store import instruments
    from nkreader.store import speakers as _speakers

    name = _name(name)
    if anonymous is None and not isinstance(reliability, Unchanged):
        anonymous = bool(_ANONYMOUS.search(name)) or None
    with library.database.writing() as session:
        canonical = _speakers.canonical_speaker(session, name)
        return instruments.put_profile(
            session, canonical, reliability=reliability, note=note, anonymous=anonymous
        )


def register(library: Library) -> list[SourceEntry]:
    """The sources register: every speaker, graded or not, most passages first."""
    from nkreader.store import instruments

    with library.database.reading() as session:
        return instruments.register(session)


def merge(library: Library, keep: str, other: str) -> int:
    """`other` is the same source as `keep`: its annotations rewritten to `keep` and its spellings
    made aliases (as `speakers --merge`), its profile folded into `keep`'s; one transaction."""
    from nkreader.store import instruments
    from nkreader.store import speakers as _speakers

    keep, other = _name(keep), _name(other)
    with library.database.writing() as session:
        keep_name = _speakers.canonical_speaker(session, keep)
        other_name = _speakers.canonical_speaker(session, other)
        if keep_name == other_name:
            raise SourceError(f"{other!r} and {keep!r} are already one source ({keep_name})")
        try:
            changed = _speakers.merge_speakers(session, keep_name, other_name)
        except ValueError as exc:
            raise SourceError(str(exc)) from None
        instruments.fold_profile_into(session, keep_name, other_name)
        return changed


def keep_apart(library: Library, a: str, b: str) -> bool:
    """Record that `a` and `b` are different sources; False when it was already recorded."""
    from nkreader.store import instruments
    from nkreader.store import speakers as _speakers

    a, b = _name(a), _name(b)
    with library.database.writing() as session:
        first, second = _speakers.canonical_speaker(session, a), _speakers.canonical_speaker(session, b)
        if first == second:
            raise SourceError(f"{a!r} and {b!r} are one source ({first}); they cannot be kept apart")
        return instruments.keep_apart(session, first, second)


def _words(name: str) -> str:
    return " ".join(w for w in re.findall(r"\w+", name.casefold()) if w not in _FILLER)


def possible_duplicates(
    library: Library, entries: Sequence[SourceEntry] | None = None
) -> list[tuple[str, str, int]]:
    """Pairs of anonymous-looking sources whose descriptions are alike (not kept apart), best first:
    (name, name, similarity 0–100)."""
    from rapidfuzz import fuzz  # 20 ms of import, for this question only

    from nkreader.store import instruments

    entries = list(entries) if entries is not None else register(library)
    with library.database.reading() as session:
        apart = instruments.apart_pairs(session)
    anonymous = [e.name for e in entries if (e.profile and e.profile.anonymous) or _ANONYMOUS.search(e.name)]
    pairs = []
    for i, a in enumerate(anonymous):
        for b in anonymous[i + 1 :]:
            if tuple(sorted((a, b))) in apart:
                continue
            score = int(fuzz.token_set_ratio(_words(a), _words(b)))
            if score >= 75:
                pairs.append((a, b, score))
    return sorted(pairs, key=lambda p: -p[2])


def set_credibility(library: Library, annotation_uuid: str, credibility: int | None) -> None:
    """Grade one quote or claim 1–6 (None clears it)."""
    from nkreader.store import annotations as _annotations
    from nkreader.store import instruments

    with library.database.writing() as session:
        annotation = _annotations.find_annotation(session, annotation_uuid)
        if annotation is None:
            raise SourceError(f"no annotation {annotation_uuid}")
        if annotation.kind is Kind.POLICY:
            raise SourceError("credibility grades quotes and claims, not policy statements")
        instruments.set_credibility(session, annotation_uuid, credibility)


def grades_for(library: Library, uuids: Sequence[str] | None, *, wording: bool = False) -> Grades:
    """The sources' grades, and the credibility of the given annotations (of every graded one: None);
    with `wording`, their wording changes too (the interchange exports flag those for review)."""
    from nkreader.store import instruments

    with library.database.reading() as session:
        groups = instruments.speaker_groups(session)
        reliability: dict[str, str] = {}
        labels: dict[str, str] = {}
        for name, found in instruments.profiles(session).items():
            for spelling in (name, *groups.get(name, [])):
                labels[spelling] = found.label
                if found.reliability:
                    reliability[spelling] = found.reliability
        credibility = instruments.credibility_by_uuid(session, None if uuids is None else list(uuids))
        changes = instruments.wording_changes(session, None if uuids is None else list(uuids)) if wording else {}
    return Grades(reliability, credibility, labels, changes)


def resolve_annotation(library: Library, text: str) -> str:
    """The uuid of the annotation `text` names: its uuid, or a unique start of it (8+ characters)."""
    from nkreader.store import instruments

    prefix = text.strip().lower()
    if len(prefix) < 8:
        raise SourceError(
            f"{text!r} is too short to name an annotation (give 8 or more characters of its uuid)"
        )
    with library.database.reading() as session:
        found = instruments.annotation_uuids_starting(session, prefix)
    if not found:
        raise SourceError(f"no annotation {text}")
    if len(found) > 1:
        raise SourceError(f"{text!r} names more than one annotation; give more of its uuid")
    return found[0]
