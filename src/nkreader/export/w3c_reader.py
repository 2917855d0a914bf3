"""Read W3C Web Annotation JSON-LD written by other tools (or by nkreader's `w3c` export).

Accepted shapes: one `Annotation`, a list of them, an `AnnotationPage` (`items`), or an
`AnnotationCollection` whose `first` page is embedded (following embedded `next` pages).
Each annotation becomes an `ExternalAnnotation`: what to attach (kind, note, tags, speaker,
status, author, times) and where (the target's `source` and its `TextQuoteSelector`, plus a
`TextPositionSelector` when there is one). The importer finds the article whose URL is the
source (or whose uuid a `urn:uuid:` source names) and anchors the quote in its text.

Bodies are read the way `export.w3c` writes them, and the way Hypothesis and others do:
- a `TextualBody` with purpose `tagging` whose value is a kind (`claim`, `quote`, `policy` or
  `policy statement`) sets the kind — the first one only; without one the kind is `claim`;
- `tagging` values `speaker:<name>` and `status:<status>` set the speaker and a claim's status,
  `credibility:<1–6>` its credibility grade; `reliability:<A–F>` and `review:needed` (what
  nkreader writes of the source's grade and of an update) are not tags and are left out; any
  other `tagging` value is a tag;
- a `TextualBody` with purpose `commenting`, or with no purpose (Hypothesis' note), or a
  `bodyValue`, is the note (several are joined by a blank line).
Annotations with motivation `linking` whose target and body name two annotations by
`urn:uuid:` and whose `tagging` body is a link type become links.

An annotation keeps its id when it is a `urn:uuid:`; any other id (a Hypothesis URL) is turned
into a name-based UUID, so importing the same file twice finds the same annotations.
"""

from __future__ import annotations

import json
import uuid as uuid_module
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nkreader.domain import Kind, Link, LinkType, Status
from nkreader.export.native import parse_datetime
from nkreader.export.native_reader import MAX_INTEGER as MAX_OFFSET
from nkreader.export.native_reader import AnnotationFileError
from nkreader.analysis import CREDIBILITY, RELIABILITY
from nkreader.export.w3c import CREDIBILITY_TAG, RELIABILITY_TAG, REVIEW_TAG, SPEAKER_TAG, STATUS_TAG

_CREDIBILITY = {str(n) for n in CREDIBILITY}

_KIND_NAMES = {
    "claim": Kind.CLAIM,
    "quote": Kind.QUOTE,
    "policy": Kind.POLICY,
    "policy statement": Kind.POLICY,
    "policy-statement": Kind.POLICY,
}
_ANNOTATION_TYPES = {"Annotation", "oa:Annotation"}


@dataclass(slots=True)
class ExternalAnnotation:
    uuid: str
    source: str | None
    exact: str | None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    kind: Kind = Kind.CLAIM
    note: str = ""
    tags: list[str] = field(default_factory=list)
    speaker: str | None = None
    status: Status = Status.UNVERIFIED
    credibility: int | None = None
    author: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    label: str = ""
    """How to name it in a message: its id, or its position in the file."""


@dataclass(slots=True)
class W3CFile:
    annotations: list[ExternalAnnotation]
    links: list[Link]
    skipped: list[str]
    """One reason per item that is not an annotation nkreader can take."""


def _types(obj: Mapping[str, Any]) -> set[str]:
    value = obj.get("type", obj.get("@type"))
    return set(value) if isinstance(value, list) else {value} if isinstance(value, str) else set()


def is_w3c(document: object) -> bool:
    if isinstance(document, list):
        return any(isinstance(x, Mapping) and _types(x) & _ANNOTATION_TYPES for x in document)
    if not isinstance(document, Mapping):
        return False
    return bool(_types(document) & (_ANNOTATION_TYPES | {"AnnotationCollection", "AnnotationPage"}))


def _items(document: object) -> Iterator[object]:
    if isinstance(document, list):
        for x in document:
            yield from _items(x)
        return
    if not isinstance(document, Mapping):
        yield document
        return
    types = _types(document)
    if "AnnotationCollection" in types:
        page = document.get("first")
        seen = 0
        while isinstance(page, Mapping) and seen < 10_000:
            yield from page.get("items", []) if isinstance(page.get("items"), list) else []
            page = page.get("next")
            seen += 1
        if isinstance(page, str):
            raise AnnotationFileError(
                "the collection's pages are not in the file (only linked); export them embedded"
            )
        return
    if "AnnotationPage" in types:
        yield from document.get("items", []) if isinstance(document.get("items"), list) else []
        return
    yield document


def _uuid_of(item: Mapping[str, Any]) -> str:
    identifier = item.get("id", item.get("@id"))
    if isinstance(identifier, str) and identifier:
        if identifier.lower().startswith("urn:uuid:"):
            try:
                return str(uuid_module.UUID(identifier[9:]))
            except ValueError:
                pass
        return str(uuid_module.uuid5(uuid_module.NAMESPACE_URL, identifier))
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=False)
    return str(uuid_module.uuid5(uuid_module.NAMESPACE_URL, "nkreader:w3c:" + canonical))


def _listed(value: object) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _time(value: object) -> datetime | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value.strip())
    except ValueError:
        return None


def _creator(value: object) -> str | None:
    for creator in _listed(value):
        if isinstance(creator, str) and creator.strip():
            return creator.strip()
        if isinstance(creator, Mapping):
            for key in ("name", "nickname", "id"):
                found = creator.get(key)
                if isinstance(found, list):
                    found = found[0] if found else None
                if isinstance(found, str) and found.strip():
                    return found.strip()
    return None


def _target(item: Mapping[str, Any]) -> tuple[str | None, list[Mapping[str, Any]]]:
    """The first target with a source, and its selectors (`refinedBy` chains are not followed)."""
    for target in _listed(item.get("target")):
        if isinstance(target, str):
            return target, []
        if isinstance(target, Mapping):
            source = target.get("source", target.get("id"))
            if isinstance(source, Mapping):
                source = source.get("id")
            if isinstance(source, str):
                return source, [s for s in _listed(target.get("selector")) if isinstance(s, Mapping)]
    return None, []


def _annotation(item: Mapping[str, Any], label: str) -> ExternalAnnotation:
    source, selectors = _target(item)
    found = ExternalAnnotation(uuid=_uuid_of(item), source=source, exact=None, label=label)
    for selector in selectors:
        kinds = _types(selector)
        if "TextQuoteSelector" in kinds and found.exact is None and isinstance(selector.get("exact"), str):
            found.exact = selector["exact"]
            prefix, suffix = selector.get("prefix"), selector.get("suffix")
            found.prefix = prefix if isinstance(prefix, str) else ""
            found.suffix = suffix if isinstance(suffix, str) else ""
        elif "TextPositionSelector" in kinds and found.start is None:
            start, end = selector.get("start"), selector.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= MAX_OFFSET:
                found.start, found.end = start, end
    kind: Kind | None = None
    notes: list[str] = []
    tags: list[str] = []
    body_value = item.get("bodyValue")
    if isinstance(body_value, str) and body_value.strip():
        notes.append(body_value)
    for body in _listed(item.get("body")):
        if not isinstance(body, Mapping):
            continue
        value = body.get("value", body.get("chars"))
        if not isinstance(value, str) or not value.strip():
            continue
        purposes = set(_listed(body.get("purpose")))
        if "tagging" in purposes:
            name = value.strip()
            lowered = name.casefold()
            if kind is None and lowered in _KIND_NAMES:
                kind = _KIND_NAMES[lowered]
            elif name.startswith(SPEAKER_TAG) and name[len(SPEAKER_TAG) :].strip():
                found.speaker = name[len(SPEAKER_TAG) :].strip()
            elif name.startswith(STATUS_TAG) and name[len(STATUS_TAG) :] in Status._value2member_map_:
                found.status = Status(name[len(STATUS_TAG) :])
            elif name.startswith(CREDIBILITY_TAG) and name[len(CREDIBILITY_TAG) :] in _CREDIBILITY:
                found.credibility = int(name[len(CREDIBILITY_TAG) :])
            elif name == REVIEW_TAG or (name.startswith(RELIABILITY_TAG) and name[-1:] in RELIABILITY):
                continue
            elif name not in tags:
                tags.append(name)
        elif not purposes or purposes & {"commenting", "describing", "replying", "editing"}:
            notes.append(value)
    found.kind = kind or Kind.CLAIM
    found.note = "\n\n".join(notes)
    found.tags = tags
    found.author = _creator(item.get("creator"))
    found.created = _time(item.get("created"))
    found.modified = _time(item.get("modified")) or found.created
    return found


def _link(item: Mapping[str, Any], label: str) -> Link | str:
    source, _ = _target(item)
    target_uuid = link_type = None
    for body in _listed(item.get("body")):
        ref = body if isinstance(body, str) else body.get("id") if isinstance(body, Mapping) else None
        if isinstance(ref, str) and ref.lower().startswith("urn:uuid:"):
            target_uuid = ref[9:]
        elif isinstance(body, Mapping) and body.get("value") in LinkType._value2member_map_:
            link_type = LinkType(body["value"])
    if not (isinstance(source, str) and source.lower().startswith("urn:uuid:") and target_uuid and link_type):
        return f"{label}: a link nkreader cannot read (it needs urn:uuid: ends and a link type)"
    try:
        return Link(
            id=None,
            uuid=_uuid_of(item),
            source_uuid=str(uuid_module.UUID(source[9:])),
            target_uuid=str(uuid_module.UUID(target_uuid)),
            type=link_type,
            created_at=_time(item.get("created")) or parse_datetime("1970-01-01T00:00:00Z"),
        )
    except ValueError:
        return f"{label}: a link whose ends are not UUIDs"


def read_w3c(document: object) -> W3CFile:
    """Annotations and links of a W3C Web Annotation document; raises `AnnotationFileError`."""
    if not is_w3c(document):
        raise AnnotationFileError(
            "the file is neither an nkreader export nor W3C Web Annotations "
            '(no "type": "Annotation", "AnnotationPage" or "AnnotationCollection")'
        )
    result = W3CFile([], [], [])
    for number, item in enumerate(_items(document), 1):
        if not isinstance(item, Mapping) or not _types(item) & _ANNOTATION_TYPES:
            result.skipped.append(f"item {number}: not an Annotation")
            continue
        identifier = item.get("id")
        label = identifier if isinstance(identifier, str) else f"item {number}"
        if "linking" in _listed(item.get("motivation")):
            link = _link(item, label)
            if isinstance(link, Link):
                result.links.append(link)
            else:
                result.skipped.append(link)
            continue
        annotation = _annotation(item, label)
        if annotation.exact is not None and not annotation.exact.strip():
            result.skipped.append(f"{label}: its quote (TextQuoteSelector exact) is empty")
            continue
        result.annotations.append(annotation)
    return result
