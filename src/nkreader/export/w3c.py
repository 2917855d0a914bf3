"""W3C Web Annotation export (docs/ARCHITECTURE.md §6): one `AnnotationCollection`, its annotations embedded.

The collection holds one embedded `AnnotationPage` (`first`) whose `items` are the annotations,
in export order (article, then start offset). Each annotation:

- `id`: `urn:uuid:<annotation uuid>`; `motivation`: `classifying` (the analyst classifies the
  passage as a claim, a quote or a policy statement);
- `body`: a list of `TextualBody`s:
  - purpose `tagging`, value the kind (`claim`, `quote`, `policy`) — always the first body;
  - purpose `commenting`, value the note (`text/plain`), when there is a note;
  - purpose `tagging` for each tag, in order;
  - purpose `tagging`, value `speaker:<name>`, when a speaker is recorded: other tools show and
    filter it like any tag, and nkreader reads it back as the speaker;
  - purpose `tagging`, value `status:<status>`, for a claim whose status is not `unverified`;
  - the analyst's grades (issue 17), as `tagging` values in the same `prefix:value` convention,
    so the file stays a plain Web Annotation that any tool shows and filters:
    `reliability:<A–F>` (the Admiralty grade of the annotation's source, by its speaker),
    `credibility:<1–6>` (the grade of this quote or claim), and `review:needed` when an update
    changed the words under an annotation whose status had been set on the old ones; nkreader
    reads `credibility:` back (the other two belong to the source and the update, not the file);
- `target`: `{"source": …, "selector": [TextQuoteSelector, TextPositionSelector]}`; the source
  is the article's URL when it has one that is a valid URI (non-ASCII characters
  percent-encoded), else `urn:uuid:<article uuid>`; positions are code point offsets into the
  stored text, like the native export's. An *orphaned* annotation (its passage is no longer in
  the text) carries the quote selector only: its old offsets point at nothing meaningful;
- `created`, `modified` (UTC); `creator` `{"type": "Person", "name": …}` when an annotator is
  recorded.

A link between two exported annotations becomes an annotation with motivation `linking`: the
target is the source annotation (`urn:uuid:…`), the bodies the linked annotation's IRI and a
`tagging` TextualBody naming the relation (`corroborates`, `contradicts`, `same-as`, `cites`).

Pure functions over domain objects; `dumps` gives the text to write.
"""

from __future__ import annotations

import json
import re
import uuid as uuid_module
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from nkreader import __version__
from nkreader.analysis import NO_GRADES, Grades, WordingChange
from nkreader.domain import AnchorState, Annotation, Article, Kind, Link, Status
from nkreader.export.native import ArticleExport, format_datetime

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATION = "classifying"
SPEAKER_TAG = "speaker:"
STATUS_TAG = "status:"
RELIABILITY_TAG = "reliability:"
CREDIBILITY_TAG = "credibility:"
REVIEW_TAG = "review:needed"

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~-._"


def urn(uuid: str) -> str:
    return f"urn:uuid:{uuid}"


def article_source(article: Article) -> str:
    """The target source of an article's annotations: its URL as a valid URI, else its urn:uuid."""
    if article.url:
        url = quote(article.url.strip(), safe=_URL_SAFE)
        if _SCHEME.match(url) and url.isascii():
            return url
    return urn(article.uuid)


def _text_body(value: str, purpose: str) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "TextualBody", "purpose": purpose, "value": value}
    if purpose == "commenting":
        body["format"] = "text/plain"
    return body


def annotation_item(
    annotation: Annotation,
    article: Article,
    grades: Grades = NO_GRADES,
    wording: Mapping[str, WordingChange] | None = None,
) -> dict[str, Any]:
    bodies = [_text_body(annotation.kind.value, "tagging")]
    if annotation.note:
        bodies.append(_text_body(annotation.note, "commenting"))
    bodies.extend(_text_body(tag, "tagging") for tag in annotation.tags)
    if annotation.speaker:
        bodies.append(_text_body(SPEAKER_TAG + annotation.speaker, "tagging"))
    if annotation.kind is Kind.CLAIM and annotation.status is not Status.UNVERIFIED:
        bodies.append(_text_body(STATUS_TAG + annotation.status.value, "tagging"))
    reliability, credibility = grades.of(annotation.speaker, annotation.uuid)
    if reliability:
        bodies.append(_text_body(RELIABILITY_TAG + reliability, "tagging"))
    if credibility:
        bodies.append(_text_body(f"{CREDIBILITY_TAG}{credibility}", "tagging"))
    change = wording.get(annotation.uuid) if wording else None
    if change is not None and change.needs_review:
        bodies.append(_text_body(REVIEW_TAG, "tagging"))
    selectors: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": annotation.exact,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
        }
    ]
    if annotation.anchor_state is not AnchorState.ORPHANED:
        selectors.append({"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end})
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": urn(annotation.uuid),
        "type": "Annotation",
        "motivation": MOTIVATION,
        "created": format_datetime(annotation.created_at),
        "modified": format_datetime(annotation.updated_at),
    }
    if annotation.author:
        item["creator"] = {"type": "Person", "name": annotation.author}
    item["body"] = bodies
    item["target"] = {"source": article_source(article), "selector": selectors}
    return item


def link_item(link: Link) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "id": urn(link.uuid),
        "type": "Annotation",
        "motivation": "linking",
        "created": format_datetime(link.created_at),
        "body": [urn(link.target_uuid), _text_body(link.type.value, "tagging")],
        "target": urn(link.source_uuid),
    }


def collection_id_for(items: Sequence[ArticleExport], exported_at: datetime) -> str:
    """A stable id for one export: the same library exported at the same moment gets the same id."""
    seed = format_datetime(exported_at) + "".join(a.uuid for item in items for a in item.annotations)
    return str(uuid_module.uuid5(uuid_module.NAMESPACE_URL, "nkreader:collection:" + seed))


def build_collection(
    items: Sequence[ArticleExport],
    *,
    exported_at: datetime,
    links: Iterable[Link] = (),
    label: str = "nkreader annotations",
    collection_id: str | None = None,
    grades: Grades = NO_GRADES,
    wording: Mapping[str, WordingChange] | None = None,
) -> dict[str, Any]:
    """The `AnnotationCollection` of every annotation in `items`, plus the links among them."""
    collection_uuid = collection_id or collection_id_for(items, exported_at)
    exported = {a.uuid for item in items for a in item.annotations}
    annotations = [
        annotation_item(a, item.article, grades, wording) for item in items for a in item.annotations
    ]
    annotations += [
        link_item(link) for link in links if link.source_uuid in exported and link.target_uuid in exported
    ]
    page_uuid = str(uuid_module.uuid5(uuid_module.UUID(collection_uuid), "page-1"))
    return {
        "@context": CONTEXT,
        "id": urn(collection_uuid),
        "type": "AnnotationCollection",
        "label": label,
        "total": len(annotations),
        "generated": format_datetime(exported_at),
        "generator": {"type": "Software", "name": f"nkreader {__version__}"},
        "first": {
            "id": urn(page_uuid),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": annotations,
        },
    }


def dumps(document: Mapping[str, Any]) -> str:
    """UTF-8 text without escaping non-ASCII, two-space indent, newline at the end."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    # Web tools embed JSON-LD in <script type="application/ld+json">: a "</script>" or "<!--" in a
    # note must not end or comment out that element. Outside strings JSON holds none of these
    # characters, so escaping them changes no value.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"
