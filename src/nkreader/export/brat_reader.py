"""Read brat standoff `.ann` files (with the `.txt` they annotate), as `export.brat` writes them
and as brat and other tools do.

Understood: text-bound annotations `T` whose type is a kind (`Claim`, `Quote`, `Policy`, in
any case; `Policy_statement` and `Policy-statement` too), discontinuous ones taken from their
first fragment's start to their last one's end; the attribute `Status` (`A`); relations `R`
whose type is a link type; and the notes `#` `AnnotatorNotes` (the note), `Speaker`, `Tag`,
`UUID` and `Link` that `export.brat` writes. Everything else (other entity types, events,
normalizations, other attributes) is reported, one line each, and not imported.

Pure parsing: no store. Offsets are checked against the `.txt`; a span outside it is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nkreader.domain import Kind, LinkType, Status
from nkreader.export.brat import unescape_note

_KINDS = {
    "claim": Kind.CLAIM,
    "quote": Kind.QUOTE,
    "policy": Kind.POLICY,
    "policy_statement": Kind.POLICY,
    "policy-statement": Kind.POLICY,
}
_LINKS = {t.value.replace("-", "_"): t for t in LinkType}
_SPAN = re.compile(r"^(\d+) (\d+)$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(slots=True)
class BratSpan:
    id: str
    kind: Kind
    start: int
    end: int
    uuid: str | None = None
    note: str = ""
    speaker: str | None = None
    tags: list[str] = field(default_factory=list)
    status: Status = Status.UNVERIFIED
    credibility: int | None = None


@dataclass(slots=True)
class BratRelation:
    source: str
    """The T id of Arg1."""
    target: str
    """The T id of Arg2, or `urn:uuid:…` for a `Link` note naming an annotation elsewhere."""
    type: LinkType


@dataclass(slots=True)
class BratFile:
    spans: list[BratSpan]
    relations: list[BratRelation]
    skipped: list[str]


def _link_type(name: str) -> LinkType | None:
    return _LINKS.get(name.strip().lower().replace("-", "_"))


def read_ann(ann: str, text: str, *, label: str = "") -> BratFile:
    """Parse `.ann` content against the `.txt` content `text`; `label` prefixes messages."""
    spans: dict[str, BratSpan] = {}
    relations: list[BratRelation] = []
    skipped: list[str] = []
    notes: list[tuple[str, str, str, int]] = []
    attributes: list[tuple[str, list[str], int]] = []

    def skip(number: int, reason: str) -> None:
        skipped.append(f"{label}:{number}: {reason}")

    for number, raw in enumerate(ann.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        head, _, rest = line.partition("\t")
        if not rest:
            skip(number, "not a brat annotation line (no tab)")
            continue
        letter = head[:1]
        if letter == "T":
            type_and_spans, _, written = rest.partition("\t")
            kind_name, _, span_text = type_and_spans.partition(" ")
            kind = _KINDS.get(kind_name.lower())
            if kind is None:
                skip(number, f"{head}: entity type {kind_name!r} is not a kind (Claim, Quote, Policy)")
                continue
            pieces = [_SPAN.match(piece.strip()) for piece in span_text.split(";")]
            if not pieces or any(p is None for p in pieces):
                skip(number, f"{head}: offsets {span_text!r} are not 'START END[;START END]'")
                continue
            bounds = [(int(p.group(1)), int(p.group(2))) for p in pieces if p]
            start, end = min(s for s, _ in bounds), max(e for _, e in bounds)
            if any(s > e for s, e in bounds) or end > len(text) or start == end:
                skip(
                    number, f"{head}: span {span_text} is empty or outside the text ({len(text)} characters)"
                )
                continue
            found = " ".join(text[s:e] for s, e in bounds)
            if written and written.split() != found.split():
                skip(number, f"{head}: the text at {span_text} is {found[:40]!r}, not {written[:40]!r}")
                continue
            spans[head] = BratSpan(head, kind, start, end)
        elif letter == "A" or letter == "M":
            attributes.append((head, rest.split(), number))
        elif letter == "R":
            fields = rest.split()
            link_type = _link_type(fields[0]) if fields else None
            arguments = dict(f.split(":", 1) for f in fields[1:] if ":" in f)
            if link_type is None:
                skip(number, f"{head}: relation type {fields[0] if fields else ''!r} is not a link type")
            elif "Arg1" not in arguments or "Arg2" not in arguments:
                skip(number, f"{head}: a relation needs Arg1 and Arg2")
            else:
                relations.append(BratRelation(arguments["Arg1"], arguments["Arg2"], link_type))
        elif letter == "#":
            type_and_target, _, value = rest.partition("\t")
            note_type, _, target = type_and_target.partition(" ")
            notes.append((note_type, target.strip(), value, number))
        else:
            skip(number, f"{head}: {'events' if letter == 'E' else 'this kind of line'} are not imported")
    for head, fields, number in attributes:
        if len(fields) >= 3 and fields[0].lower() == "credibility" and fields[1] in spans:
            if fields[2] in {"1", "2", "3", "4", "5", "6"}:
                spans[fields[1]].credibility = int(fields[2])
            else:
                skip(number, f"{head}: credibility {fields[2]!r} is not 1–6")
        elif len(fields) >= 3 and fields[0].lower() == "reliability" and fields[1] in spans:
            pass  # the source's grade, kept with the source in the library, not on a passage
        elif len(fields) >= 2 and fields[0].lower() == "review" and fields[1] in spans:
            pass  # the review flag of an update in the exporting library, not of this one
        elif len(fields) >= 3 and fields[0].lower() == "status" and fields[1] in spans:
            try:
                spans[fields[1]].status = Status(fields[2].lower())
            except ValueError:
                skip(
                    number, f"{head}: status {fields[2]!r} is not one of {', '.join(s.value for s in Status)}"
                )
        else:
            skip(number, f"{head}: attribute {' '.join(fields[:2])!r} is not imported")
    for note_type, target, value, number in notes:
        span = spans.get(target)
        if span is None:
            skip(number, f"note {note_type} refers to {target!r}, which is not an imported span")
            continue
        note_kind = note_type.lower()
        if note_kind == "annotatornotes":
            span.note = unescape_note(value) if not span.note else span.note + "\n\n" + unescape_note(value)
        elif note_kind == "speaker":
            span.speaker = value.strip() or None
        elif note_kind == "tag":
            if value.strip() and value.strip() not in span.tags:
                span.tags.append(value.strip())
        elif note_kind == "uuid":
            if _UUID.match(value.strip().lower()):
                span.uuid = value.strip().lower()
        elif note_kind == "was":
            pass  # the words before the exporting library's update: history there, not here
        elif note_kind == "link":
            link_name, _, other = value.strip().partition(" ")
            link_type = _link_type(link_name)
            if link_type is None or not other.lower().startswith("urn:uuid:"):
                skip(number, f"Link note {value!r} is not 'TYPE urn:uuid:…'")
            else:
                relations.append(BratRelation(target, other.lower(), link_type))
        else:
            skip(number, f"note type {note_type!r} is not imported")
    kept = [r for r in relations if r.source in spans and (r.target in spans or r.target.startswith("urn:"))]
    for relation in relations:
        if relation not in kept:
            skipped.append(f"{label}: a {relation.type.value} relation names a span that was not imported")
    return BratFile(list(spans.values()), kept, skipped)
