"""Label Studio JSON export: one task per article, its annotations as completed regions.

Import the file into a Label Studio project whose labeling interface is `LABEL_CONFIG`
(printed by `nkreader export -f label-studio --schema`). Each task's `data` holds the text and
the article's metadata; its one `annotations` entry holds:

- a `labels` region per annotation (`from_name` `kind`: *Claim*, *Quote*, *Policy statement*),
  whose id is the annotation's uuid;
- per-region results on the same id: `status`, `reliability` (the source's, A–F) and
  `credibility` (1–6) (`choices`), `review` (`needs review`, when an update changed the words
  after the status was set, with `was`, the words it was made on), `speaker`, `tags` (one per line) and
  `note` (`textarea`), each only when there is something to say;
- a `relation` result per link between two regions of the task, labelled with its type.

**Offsets.** Label Studio counts `start` and `end` in UTF-16 code units (JavaScript string
indices), nkreader in code points: a character outside the Basic Multilingual Plane (an emoji,
a rare Hanja) counts two in Label Studio. The export converts every offset (`utf16_offsets`),
so `value.text` is exactly the text Label Studio shows at them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from nkreader.analysis import CREDIBILITY, NO_GRADES, RELIABILITY, Grades
from nkreader.domain import AnchorState, Kind, Link, LinkType, Status
from nkreader.export.native import ArticleExport, format_datetime

_LABELS = {Kind.CLAIM: "Claim", Kind.QUOTE: "Quote", Kind.POLICY: "Policy statement"}

LABEL_CONFIG = (
    "<View>\n"
    '  <Labels name="kind" toName="text">\n'
    + "".join(f'    <Label value="{label}"/>\n' for label in _LABELS.values())
    + "  </Labels>\n"
    '  <Text name="text" value="$text"/>\n'
    "  <Relations>\n" + "".join(f'    <Relation value="{t.value}"/>\n' for t in LinkType) + "  </Relations>\n"
    '  <View visibleWhen="region-selected">\n'
    '    <Choices name="status" toName="text" perRegion="true" choice="single">\n'
    + "".join(f'      <Choice value="{s.value}"/>\n' for s in Status)
    + "    </Choices>\n"
    '    <Choices name="reliability" toName="text" perRegion="true" choice="single">\n'
    + "".join(f'      <Choice value="{letter}" hint="{words}"/>\n' for letter, words in RELIABILITY.items())
    + "    </Choices>\n"
    '    <Choices name="credibility" toName="text" perRegion="true" choice="single">\n'
    + "".join(f'      <Choice value="{number}" hint="{words}"/>\n' for number, words in CREDIBILITY.items())
    + "    </Choices>\n"
    '    <Choices name="review" toName="text" perRegion="true" choice="single">\n'
    '      <Choice value="needs review" hint="an update changed the words after the status was set"/>\n'
    "    </Choices>\n"
    '    <TextArea name="was" toName="text" perRegion="true" maxSubmissions="1"/>\n'
    '    <TextArea name="speaker" toName="text" perRegion="true" maxSubmissions="1"/>\n'
    '    <TextArea name="tags" toName="text" perRegion="true"/>\n'
    '    <TextArea name="note" toName="text" perRegion="true"/>\n'
    "  </View>\n"
    "</View>\n"
)
"""The labeling interface the export's `from_name`s and labels belong to."""


def utf16_offsets(text: str) -> list[int]:
    """For each code point offset 0..len(text), the UTF-16 offset of the same place."""
    offsets = [0] * (len(text) + 1)
    position = 0
    for index, character in enumerate(text):
        offsets[index] = position
        position += 2 if ord(character) > 0xFFFF else 1
    offsets[len(text)] = position
    return offsets


def _result(uuid: str, from_name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": uuid,
        "from_name": from_name,
        "to_name": "text",
        "type": kind,
        "origin": "manual",
        "value": value,
    }


def task(
    item: ArticleExport, links: Sequence[Link], *, exported_at: datetime, grades: Grades = NO_GRADES
) -> dict[str, Any]:
    article = item.article
    body = article.body
    to16 = utf16_offsets(body) if any(ord(c) > 0xFFFF for c in body) else None
    results: list[dict[str, Any]] = []
    regions: set[str] = set()
    for annotation in item.annotations:
        if annotation.anchor_state is AnchorState.ORPHANED or annotation.end > len(body):
            continue
        start, end = annotation.start, annotation.end
        if to16 is not None:
            start, end = to16[start], to16[end]
        text = body[annotation.start : annotation.end]
        regions.add(annotation.uuid)

        extras: list[tuple[str, str, dict[str, Any]]] = [
            ("kind", "labels", {"labels": [_LABELS[annotation.kind]]})
        ]
        if annotation.kind is Kind.CLAIM or annotation.status is not Status.UNVERIFIED:
            extras.append(("status", "choices", {"choices": [annotation.status.value]}))
        reliability, credibility = grades.of(annotation.speaker, annotation.uuid)
        if reliability:
            extras.append(("reliability", "choices", {"choices": [reliability]}))
        if credibility:
            extras.append(("credibility", "choices", {"choices": [str(credibility)]}))
        review = grades.review(annotation.uuid)
        if review is not None:
            extras.append(("review", "choices", {"choices": ["needs review"]}))
            extras.append(("was", "textarea", {"text": [review.original]}))
        if annotation.speaker:
            extras.append(("speaker", "textarea", {"text": [annotation.speaker]}))
        if annotation.tags:
            extras.append(("tags", "textarea", {"text": list(annotation.tags)}))
        if annotation.note:
            extras.append(("note", "textarea", {"text": [annotation.note]}))
        for from_name, kind, value in extras:
            results.append(_result(annotation.uuid, from_name, kind, {"start": start, "end": end, **value}))
            if kind == "labels":
                results[-1]["value"]["text"] = text
    for link in links:
        if link.source_uuid in regions and link.target_uuid in regions:
            results.append(
                {
                    "from_id": link.source_uuid,
                    "to_id": link.target_uuid,
                    "type": "relation",
                    "direction": "right",
                    "labels": [link.type.value],
                }
            )
    data: dict[str, Any] = {"text": body, "title": article.title, "nkreader_uuid": article.uuid}
    for key, field_value in (
        ("source", article.source),
        ("url", article.url),
        ("author", article.author),
        ("published", article.published.isoformat() if article.published else None),
    ):
        if field_value:
            data[key] = field_value
    entry: dict[str, Any] = {"result": results, "created_at": format_datetime(exported_at)}
    return {"id": article.id, "data": data, "annotations": [entry] if results else []}


def build_tasks(
    items: Iterable[ArticleExport],
    links: Sequence[Link],
    *,
    exported_at: datetime,
    grades: Grades = NO_GRADES,
) -> list[dict[str, Any]]:
    items = list(items)
    inside = {a.uuid: i for i, item in enumerate(items) for a in item.annotations}
    per_task: dict[int, list[Link]] = {}
    for link in links:
        if inside.get(link.source_uuid) is not None and inside.get(link.source_uuid) == inside.get(
            link.target_uuid
        ):
            per_task.setdefault(inside[link.source_uuid], []).append(link)
    return [
        task(item, per_task.get(i, []), exported_at=exported_at, grades=grades)
        for i, item in enumerate(items)
    ]


def dumps(tasks: Sequence[dict[str, Any]]) -> str:
    return json.dumps(tasks, ensure_ascii=False, indent=2) + "\n"


def render(
    items: Sequence[ArticleExport],
    links: Sequence[Link],
    *,
    exported_at: datetime,
    grades: Grades = NO_GRADES,
) -> str:
    return dumps(build_tasks(items, links, exported_at=exported_at, grades=grades))
