"""REFI-QDA project export (`.qdpx`): coded text for QualCoder, ATLAS.ti, NVivo and MAXQDA.

A `.qdpx` file is a zip holding `project.qde` — XML in the namespace `urn:QDA-XML:project:1.0`,
valid against the standard's `Project.xsd` (QDA-XML 1.0, 2019) — and the texts, one
`sources/<guid>.txt` per article (UTF-8), which each `TextSource` names as
`plainTextPath="internal://<guid>.txt"`.

What goes where:

| nkreader | REFI-QDA |
|---|---|
| article | `TextSource` (guid = the article's uuid), with variables *Outlet*, *Published*, *URL*, *Author* |
| annotation | `PlainTextSelection` (guid = the annotation's uuid; start/end = code point offsets) |
| kind, status, tag, speaker, grades, review | a `Code` under the code groups *Kind*, *Status*, *Tags*, *Speakers*, *Source reliability* (A–F), *Credibility* (1–6), *Review* (an update changed the words after the status was set; the note memo then adds "Was: …"), applied by a `Coding` |
| note | a `Note` (memo) the selection refers to with a `NoteRef` |
| link | a `Link` from one selection to the other, named by its type (`corroborates` …), one way |
| annotator | a `User` |

Every other guid (codes, codings, notes, users) is a name-based UUID, so exporting the same
library twice gives the same file apart from its time stamps. An orphaned annotation (its
passage no longer in the text) has no place in the text and is left out of the selections;
`orphaned` is counted in `QdpxExport.left_out`.
"""

from __future__ import annotations

import io
import re
import uuid as uuid_module
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from nkreader import __version__
from nkreader.analysis import CREDIBILITY, NO_GRADES, RELIABILITY, Grades
from nkreader.domain import AnchorState, Annotation, Kind, Link, Status
from nkreader.export.native import ArticleExport

NAMESPACE = "urn:QDA-XML:project:1.0"
_NS = f"{{{NAMESPACE}}}"
_GUID_NAMESPACE = uuid_module.UUID("5b0c9a2e-6f0e-4f55-9d0c-6e6b6b72a017")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# characters XML 1.0 cannot hold at all (ElementTree would write them and make the file unreadable)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_KIND_COLOURS = {Kind.CLAIM: "#4a7bd0", Kind.QUOTE: "#3c9a5f", Kind.POLICY: "#d09a2c"}
_STATUS_COLOURS = {
    Status.UNVERIFIED: "#9e9e9e",
    Status.CORROBORATED: "#2e7d32",
    Status.DISPUTED: "#ef6c00",
    Status.REFUTED: "#c62828",
}


@dataclass(slots=True)
class QdpxExport:
    data: bytes
    articles: int
    annotations: int
    left_out: int
    """Orphaned annotations: not in the text, so not a selection."""


def guid_for(*parts: str) -> str:
    """A stable GUID for a thing nkreader has no uuid for (a code, a coding, a memo)."""
    return str(uuid_module.uuid5(_GUID_NAMESPACE, "\x1f".join(parts)))


def _own_guid(value: str) -> str:
    return value if _GUID.match(value) else guid_for("uuid", value)


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, _NS + tag, {k: _xml(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _xml(text)
    return element


class _CodeBook:
    """The codes, grouped, created as the annotations need them."""

    def __init__(self) -> None:
        self.groups: dict[str, tuple[str, dict[str, tuple[str, str | None]]]] = {}

    def code(self, group: str, name: str, colour: str | None = None) -> str:
        codes = self.groups.setdefault(group, (guid_for("group", group), {}))[1]
        if name not in codes:
            codes[name] = (guid_for("code", group, name), colour)
        return codes[name][0]

    def write(self, project: ET.Element) -> None:
        if not self.groups:
            return
        codes_element = _sub(_sub(project, "CodeBook"), "Codes")
        for group, (group_guid, codes) in self.groups.items():
            group_element = _sub(codes_element, "Code", guid=group_guid, name=group, isCodable="false")
            for name, (code_guid, colour) in codes.items():
                attributes = {"guid": code_guid, "name": name, "isCodable": "true"}
                if colour:
                    attributes["color"] = colour
                _sub(group_element, "Code", **attributes)


def _codes_of(annotation: Annotation, book: _CodeBook, grades: Grades) -> list[str]:
    codes = [book.code("Kind", annotation.kind.label, _KIND_COLOURS[annotation.kind])]
    reliability, credibility = grades.of(annotation.speaker, annotation.uuid)
    if reliability:
        codes.append(book.code("Source reliability", f"{reliability} — {RELIABILITY[reliability]}"))
    if credibility:
        codes.append(book.code("Credibility", f"{credibility} — {CREDIBILITY[credibility]}"))
    if grades.review(annotation.uuid) is not None:
        codes.append(book.code("Review", "Needs review: words changed after the status was set"))
    if annotation.kind is Kind.CLAIM or annotation.status is not Status.UNVERIFIED:
        codes.append(book.code("Status", annotation.status.value, _STATUS_COLOURS[annotation.status]))
    if annotation.speaker:
        codes.append(book.code("Speakers", annotation.speaker))
    codes.extend(book.code("Tags", tag) for tag in annotation.tags)
    return codes


_VARIABLES = ("Outlet", "Published", "URL", "Author")


def _variables(project: ET.Element) -> None:
    variables = _sub(project, "Variables")
    for name in _VARIABLES:
        kind = "Date" if name == "Published" else "Text"
        _sub(variables, "Variable", guid=guid_for("variable", name), name=name, typeOfVariable=kind)


def _variable_value(parent: ET.Element, name: str, value: str, *, date: bool = False) -> None:
    holder = _sub(parent, "VariableValue")
    _sub(holder, "VariableRef", targetGUID=guid_for("variable", name))
    _sub(holder, "DateValue" if date else "TextValue", value)


def build_project(
    items: Sequence[ArticleExport],
    links: Iterable[Link],
    *,
    exported_at: datetime,
    name: str,
    grades: Grades = NO_GRADES,
) -> tuple[ET.Element, int, int]:
    """The `Project` element; returns it with the numbers of selections and left-out orphans."""
    project = ET.Element(
        _NS + "Project",
        {"name": _xml(name), "origin": f"nkreader {__version__}", "creationDateTime": _when(exported_at)},
    )
    book = _CodeBook()
    for kind in Kind:  # every kind is a code, used or not, in nkreader's order
        book.code("Kind", kind.label, _KIND_COLOURS[kind])
    users: dict[str, str] = {}
    notes: list[tuple[str, Annotation, str]] = []
    selected: set[str] = set()
    left_out = 0
    sources = ET.Element(_NS + "Sources")
    for item in items:
        article = item.article
        source_guid = _own_guid(article.uuid)
        source = _sub(
            sources,
            "TextSource",
            guid=source_guid,
            name=article.title,
            plainTextPath=f"internal://{source_guid}.txt",
            creationDateTime=_when(article.imported_at),
            modifiedDateTime=_when(article.updated_at),
        )
        if article.source or article.url:
            _sub(source, "Description", " — ".join(v for v in (article.source, article.url) if v))
        for annotation in item.annotations:
            if annotation.anchor_state is AnchorState.ORPHANED or annotation.end > len(article.body):
                left_out += 1
                continue
            guid = _own_guid(annotation.uuid)
            selected.add(annotation.uuid)
            attributes = {
                "guid": guid,
                "name": annotation.exact[:80],
                "startPosition": str(annotation.start),
                "endPosition": str(annotation.end),
                "creationDateTime": _when(annotation.created_at),
                "modifiedDateTime": _when(annotation.updated_at),
            }
            if annotation.author:
                user = users.setdefault(annotation.author, guid_for("user", annotation.author))
                attributes["creatingUser"] = user
                attributes["modifyingUser"] = user
            selection = _sub(source, "PlainTextSelection", **attributes)
            for code in _codes_of(annotation, book, grades):
                coding = _sub(
                    selection,
                    "Coding",
                    guid=guid_for("coding", guid, code),
                    creationDateTime=_when(annotation.created_at),
                )
                _sub(coding, "CodeRef", targetGUID=code)
            review = grades.review(annotation.uuid)
            memo = "\n\n".join(
                part for part in (annotation.note, f"Was: {review.original}" if review else "") if part
            )
            if memo:
                note_guid = guid_for("note", guid)
                notes.append((note_guid, annotation, memo))
                _sub(selection, "NoteRef", targetGUID=note_guid)
        for variable, value in (
            ("Outlet", article.source),
            ("Published", article.published.isoformat() if article.published else None),
            ("URL", article.url),
            ("Author", article.author),
        ):
            if value:
                _variable_value(source, variable, value, date=variable == "Published")
    if users:
        users_element = _sub(project, "Users")
        for user_name, user_guid in users.items():
            _sub(users_element, "User", guid=user_guid, name=user_name)
    book.write(project)
    _variables(project)
    if len(sources):
        project.append(sources)
    if notes:
        notes_element = _sub(project, "Notes")
        for note_guid, annotation, memo in notes:
            note = _sub(
                notes_element,
                "Note",
                guid=note_guid,
                name=f"Note on “{annotation.exact[:60]}”",
                creationDateTime=_when(annotation.created_at),
                modifiedDateTime=_when(annotation.updated_at),
            )
            _sub(note, "PlainTextContent", memo)
    kept = [link for link in links if link.source_uuid in selected and link.target_uuid in selected]
    if kept:
        links_element = _sub(project, "Links")
        for link in kept:
            _sub(
                links_element,
                "Link",
                guid=_own_guid(link.uuid),
                name=link.type.value,
                direction="OneWay",
                originGUID=_own_guid(link.source_uuid),
                targetGUID=_own_guid(link.target_uuid),
            )
    return project, len(selected), left_out


def render(
    items: Sequence[ArticleExport],
    links: Iterable[Link] = (),
    *,
    exported_at: datetime,
    name: str = "nkreader library",
    grades: Grades = NO_GRADES,
) -> QdpxExport:
    """The `.qdpx` zip: `project.qde` first, then `sources/<guid>.txt` per article."""
    project, selections, left_out = build_project(
        items, links, exported_at=exported_at, name=name, grades=grades
    )
    ET.register_namespace("", NAMESPACE)
    xml = ET.tostring(project, encoding="utf-8", xml_declaration=True)
    buffer = io.BytesIO()
    stamp = exported_at.astimezone(UTC).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", stamp), xml, compress_type=zipfile.ZIP_DEFLATED)
        for item in items:
            info = zipfile.ZipInfo(f"sources/{_own_guid(item.article.uuid)}.txt", stamp)
            archive.writestr(
                info, _xml(item.article.body).encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED
            )
    return QdpxExport(buffer.getvalue(), len(items), selections, left_out)
