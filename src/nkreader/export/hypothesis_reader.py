"""Read Hypothesis API JSON (`GET /api/search` → `{"total", "rows"}`, `GET /api/annotations/ID`,
or a list of rows) by turning it into the W3C annotations `export.w3c_reader` reads.

A row becomes an `Annotation` with the id Hypothesis gives it in its own W3C export
(`https://hypothes.is/a/ID`), so a file from the API and one from Hypothesis' JSON-LD export
meet the same annotations; its `text` (Markdown, kept as written) is the note, its `tags` are
tags (`claim`, `quote`, `policy` set the kind, `speaker:…` and `status:…` as in W3C files), its
`user` (`acct:name@host`) — or the display name — the author, `created`/`updated` its times,
and each `target` keeps its `source` (else the row's `uri`) and selectors.

Replies (rows with `references`) and page notes (no text selector) mark no passage: they are
reported, not imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_TEXT_SELECTORS = {"TextQuoteSelector", "TextPositionSelector"}


def _is_row(value: object) -> bool:
    return (
        isinstance(value, Mapping)
        and "type" not in value
        and "@context" not in value
        and isinstance(value.get("id"), str)
        and isinstance(value.get("target"), list)
        and ("uri" in value or "links" in value or "user" in value)
    )


def is_hypothesis(document: object) -> bool:
    """Whether `document` is Hypothesis API JSON (a search result, one row, or a list of rows)."""
    if isinstance(document, Mapping) and isinstance(document.get("rows"), list) and "type" not in document:
        return all(_is_row(row) for row in document["rows"])
    if isinstance(document, list):
        return bool(document) and all(_is_row(row) for row in document)
    return _is_row(document)


def _rows(document: object) -> list[Any]:
    if isinstance(document, Mapping) and isinstance(document.get("rows"), list):
        return list(document["rows"])
    return list(document) if isinstance(document, list) else [document]


def _author(row: Mapping[str, Any]) -> str | None:
    info = row.get("user_info")
    if (
        isinstance(info, Mapping)
        and isinstance(info.get("display_name"), str)
        and info["display_name"].strip()
    ):
        return info["display_name"].strip()
    user = row.get("user")
    if isinstance(user, str) and user.strip():
        return user.strip().removeprefix("acct:")
    return None


def _has_passage(targets: list[Any]) -> bool:
    for target in targets:
        if isinstance(target, Mapping):
            for selector in target.get("selector") or []:
                if isinstance(selector, Mapping) and selector.get("type") in _TEXT_SELECTORS:
                    return True
    return False


def to_w3c(document: object) -> tuple[list[dict[str, Any]], list[str]]:
    """W3C annotations for the rows of `document`, and one reason per row left out."""
    annotations: list[dict[str, Any]] = []
    skipped: list[str] = []
    for number, row in enumerate(_rows(document), 1):
        label = f"Hypothesis annotation {row.get('id')}" if isinstance(row, Mapping) else f"row {number}"
        if not _is_row(row):
            skipped.append(f"{label}: not a Hypothesis annotation")
            continue
        if row.get("references"):
            skipped.append(f"{label}: a reply to another annotation, not a passage")
            continue
        targets = [t for t in row["target"] if isinstance(t, Mapping)]
        if not _has_passage(targets):
            skipped.append(f"{label}: a page note (it selects no text)")
            continue
        body: list[dict[str, Any]] = []
        if isinstance(row.get("text"), str) and row["text"].strip():
            body.append({"type": "TextualBody", "value": row["text"], "purpose": "commenting"})
        for tag in row.get("tags") or []:
            if isinstance(tag, str) and tag.strip():
                body.append({"type": "TextualBody", "value": tag, "purpose": "tagging"})
        uri = row.get("uri") if isinstance(row.get("uri"), str) else None
        annotation: dict[str, Any] = {
            "type": "Annotation",
            "id": f"https://hypothes.is/a/{row['id']}",
            "body": body,
            "target": [
                {
                    "source": t.get("source") if isinstance(t.get("source"), str) else uri,
                    "selector": t.get("selector"),
                }
                for t in targets
            ],
        }
        author = _author(row)
        if author:
            annotation["creator"] = author
        for ours, theirs in (("created", "created"), ("modified", "updated")):
            if isinstance(row.get(theirs), str):
                annotation[ours] = row[theirs]
        annotations.append(annotation)
    return annotations, skipped
