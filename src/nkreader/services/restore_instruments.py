"""Restoring what a native export holds of the analyst's instruments (issue 17): graded
sources, sources kept apart, entities with their spellings, each annotation's credibility and
wording change. Merged like the rest of an import: what the library already holds stays as it
is (a grade given here is not overwritten by the file's), so importing a file twice changes
nothing. Runs after the annotations and speakers are in, in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nkreader.analysis import UNCHANGED, clean_name
from nkreader.export.native_instruments import Instruments
from nkreader.services.library import Library
from nkreader.store import instrument_restore, instruments
from nkreader.store.speakers import SPEAKER_KINDS, canonical_speaker
from nkreader.text.normalize import normalize_line

if TYPE_CHECKING:
    from nkreader.services.annotation_import import AnnotationImportReport

__all__ = ["merge_instruments"]


def _line(text: str) -> str:
    return clean_name(normalize_line(text))


def merge_entities(library: Library, found: Instruments, report: AnnotationImportReport) -> None:
    """The file's entities, before its speakers and sources: a speaker is an entity, so the
    entity's kind (a person, an organisation) comes from here, and a source's profile is keyed
    by the canonical name the entity gives."""
    if found.entities:
        with library.database.writing() as session:
            _entities(session, found, report)


def merge_instruments(library: Library, found: Instruments, report: AnnotationImportReport) -> None:
    """Everything else: sources and their grades, sources kept apart, credibility, wording."""
    if not (found.sources or found.apart or found.credibility or found.wording):
        return
    with library.database.writing() as session:
        _sources(session, found, report)
        for uuid, grade in found.credibility.items():
            if instrument_restore.restore_credibility(session, uuid, grade):
                report.count("credibility grades")
        for uuid, change in found.wording.items():
            if instrument_restore.restore_wording(session, uuid, change):
                report.count("wording changes")


def _sources(session: Any, found: Instruments, report: AnnotationImportReport) -> None:
    for source in found.sources:
        name = _line(source.name)
        if not name:
            continue
        canonical = canonical_speaker(session, name)
        if instruments.profile(session, canonical) is not None:
            continue  # graded here already: the analyst's own judgement stays
        reliability = source.reliability if source.reliability is not None else UNCHANGED
        instruments.put_profile(
            session,
            canonical,
            reliability=reliability,
            note=source.note.replace("\r\n", "\n"),
            anonymous=source.anonymous,
        )
        report.count("sources")
    for first, second in found.apart:
        a = canonical_speaker(session, _line(first))
        b = canonical_speaker(session, _line(second))
        if a and b and a != b and instruments.keep_apart(session, a, b):
            report.count("sources kept apart")


def _entities(session: Any, found: Instruments, report: AnnotationImportReport) -> None:
    for raw_name, kind, raw_variants in found.entities:
        name = _line(raw_name)
        spellings = [s for s in dict.fromkeys(_line(v) for v in [raw_name, *raw_variants]) if s]
        if not name:
            continue
        owners = {s: instruments.find_entity(session, s) for s in spellings}
        entity = next((e for e in owners.values() if e is not None), None)
        if entity is None:
            entity = instruments.add_entity(session, name, kind, [])
            report.count("entities")
        free = []
        for spelling, owner in owners.items():
            if owner is None:
                free.append(spelling)
            elif owner.id != entity.id:
                report.skipped.append(
                    f"entity {name!r}: the spelling {spelling!r} belongs to {owner.name!r} here"
                )
        for _ in instruments.add_variants(session, entity.id, free):
            if entity.kind.value in SPEAKER_KINDS:
                report.aliases_added += 1  # a person's or organisation's spelling: a speaker alias
            else:
                report.count("entity spellings")
