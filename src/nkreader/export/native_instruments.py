"""The analyst's instruments (issue 17) in the native JSON export, written and read back.

A native export is the library's backup, so it carries what the analyst weighed as well as
what was marked: each source's reliability grade and notes (`sources`), the pairs of sources
judged to be different people (`sources_apart`), the entities with their spellings
(`entities`), and per annotation its credibility grade and the wording-change record (the
words it was made on, the status it had then, whether it waits for review).

Every key is added only where there is something to say, so the export of a library that
uses none of them is byte for byte what it was before; readers of version 1 that do not know
a key never see it. Reading checks each value and raises `AnnotationFileError` naming the
place, as the rest of the reader does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nkreader.analysis import CREDIBILITY, RELIABILITY, Entity, EntityKind, SourceProfile, WordingChange
from nkreader.domain import Status

__all__ = [
    "ImportedSource",
    "Instruments",
    "entity_record",
    "read_annotation_extras",
    "read_instruments",
    "source_record",
    "wording_record",
]


def source_record(profile: SourceProfile) -> dict[str, Any]:
    """A graded source: its canonical speaker name, A–F (or null), notes, anonymous or not."""
    return {
        "name": profile.name,
        "reliability": profile.reliability,
        "note": profile.note,
        "anonymous": profile.anonymous,
    }


def entity_record(entity: Entity) -> dict[str, Any]:
    """An entity: its name, kind, and every spelling, the name first (as `entity list --json`)."""
    return {"name": entity.name, "kind": entity.kind.value, "variants": list(entity.variants)}


def wording_record(change: WordingChange, format_datetime: Any) -> dict[str, Any]:
    """What an update changed under an annotation: the words it was made on ("was")."""
    return {
        "was": change.original,
        "status": change.status.value,
        "changed_at": format_datetime(change.changed_at),
        "needs_review": change.needs_review,
    }


# --------------------------------------------------------------------------- reading


@dataclass(slots=True)
class ImportedSource:
    name: str
    reliability: str | None
    note: str
    anonymous: bool


@dataclass(slots=True)
class Instruments:
    """The instruments a native file carries, checked; empty for a file without them."""

    sources: list[ImportedSource] = field(default_factory=list)
    apart: list[tuple[str, str]] = field(default_factory=list)
    entities: list[tuple[str, EntityKind, list[str]]] = field(default_factory=list)
    credibility: dict[str, int] = field(default_factory=dict)
    """Annotation uuid -> its credibility grade."""
    wording: dict[str, WordingChange] = field(default_factory=dict)
    """Annotation uuid -> its wording-change record."""

    def __bool__(self) -> bool:
        return bool(self.sources or self.apart or self.entities or self.credibility or self.wording)


def _fail(where: str, key: str, what: str) -> Exception:
    from nkreader.export.native_reader import AnnotationFileError

    return AnnotationFileError(f'{where}: "{key}" {what}')


def _object(where: str, data: object) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        from nkreader.export.native_reader import AnnotationFileError

        raise AnnotationFileError(f"{where}: must be an object")
    return data


def _name(where: str, data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, key, "must be a non-empty text")
    return value


def _names(where: str, data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(where, key, "must be a list of non-empty texts")
    return list(value)


def read_source(where: str, data: object) -> ImportedSource:
    record = _object(where, data)
    reliability = record.get("reliability")
    if reliability is not None and reliability not in RELIABILITY:
        raise _fail(where, "reliability", "must be one of A, B, C, D, E, F or null")
    note = record.get("note", "")
    if not isinstance(note, str):
        raise _fail(where, "note", "must be text")
    anonymous = record.get("anonymous", False)
    if not isinstance(anonymous, bool):
        raise _fail(where, "anonymous", "must be true or false")
    return ImportedSource(_name(where, record, "name"), reliability, note, anonymous)


def read_apart(where: str, data: object) -> tuple[str, str]:
    record = _object(where, data)
    return _name(where, record, "first"), _name(where, record, "second")


def read_entity(where: str, data: object) -> tuple[str, EntityKind, list[str]]:
    record = _object(where, data)
    try:
        kind = EntityKind(str(record.get("kind")))
    except ValueError:
        raise _fail(where, "kind", "must be one of person, place, org") from None
    return _name(where, record, "name"), kind, _names(where, record, "variants")


def read_annotation_extras(
    where: str, data: object, uuid: str, instruments: Instruments, parse_datetime: Any
) -> None:
    """An annotation record's credibility and wording change, into `instruments` by `uuid`."""
    record = _object(where, data)
    credibility = record.get("credibility")
    if credibility is not None:
        if isinstance(credibility, bool) or credibility not in CREDIBILITY:
            raise _fail(where, "credibility", "must be an integer 1–6")
        instruments.credibility[uuid] = credibility
    wording = record.get("wording")
    if wording is None:
        return
    inner = f"{where}.wording"
    change = _object(inner, wording)
    was = change.get("was")
    if not isinstance(was, str):
        raise _fail(inner, "was", "must be text")
    try:
        status = Status(str(change.get("status")))
    except ValueError:
        raise _fail(inner, "status", "must be one of " + ", ".join(s.value for s in Status)) from None
    review = change.get("needs_review", False)
    if not isinstance(review, bool):
        raise _fail(inner, "needs_review", "must be true or false")
    changed = change.get("changed_at")
    try:
        changed_at = parse_datetime(changed) if isinstance(changed, str) else None
    except ValueError:
        changed_at = None
    if changed_at is None:
        raise _fail(inner, "changed_at", "is not a date and time")
    instruments.wording[uuid] = WordingChange(was, status, changed_at, review)


def read_instruments(document: Mapping[str, Any], into: Instruments) -> Instruments:
    """The file-level lists (`sources`, `sources_apart`, `entities`) into `into`."""

    def items(key: str) -> list[tuple[str, object]]:
        found = document.get(key, [])
        if not isinstance(found, list):
            raise _fail("the file", key, "must be a list")
        return [(f"{key}[{i}]", item) for i, item in enumerate(found)]

    into.sources.extend(read_source(where, item) for where, item in items("sources"))
    into.apart.extend(read_apart(where, item) for where, item in items("sources_apart"))
    into.entities.extend(read_entity(where, item) for where, item in items("entities"))
    return into


def sorted_sources(profiles: Iterable[SourceProfile]) -> list[dict[str, Any]]:
    return [source_record(p) for p in sorted(profiles, key=lambda p: p.name)]
