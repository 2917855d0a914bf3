"""`native.dumps` writes the same bytes as the one-record-a-call layout it replaced, whatever the
records hold: the text that separates two records inside a string, records nesting lists of
records (the separator counted twice: each record is then encoded alone), empty and odd lists."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from nkreader.export import native

_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def reference_dumps(document: Mapping[str, Any]) -> str:
    """The layout as it was written before (one encoder call per record)."""
    out: list[str] = ["{"]
    keys = list(document)
    for index, key in enumerate(keys):
        value = document[key]
        comma = "," if index < len(keys) - 1 else ""
        name = _encode(key)
        if key in native._LISTS and isinstance(value, list) and value:
            out.append(f"  {name}: [")
            last = len(value) - 1
            for position, record in enumerate(value):
                separator = "," if position < last else ""
                if key == "articles":
                    out.append(reference_article_lines(record) + separator)
                else:
                    out.append(f"    {_encode(record)}{separator}")
            out.append(f"  ]{comma}")
        else:
            out.append(f"  {name}: {_encode(value)}{comma}")
    out.append("}\n")
    return "\n".join(out)


def reference_article_lines(record: Mapping[str, Any]) -> str:
    annotations = record.get("annotations")
    keys = list(record)
    if not isinstance(annotations, list) or keys[-1] != "annotations" or len(keys) < 2:
        return f"    {_encode(record)}"
    head = _encode({k: record[k] for k in keys[:-1]})[:-1]
    if not annotations:
        return f'    {head}, "annotations": []}}'
    lines = ",\n      ".join([_encode(a) for a in annotations])
    return f'    {head}, "annotations": [\n      {lines}\n    ]}}'


def annotation(n: int, **extra: Any) -> dict[str, Any]:
    return {"uuid": f"u{n}", "kind": "claim", "start": n, "end": n + 3, "note": "", "tags": ["경제"], **extra}


TRICKY = '}, {"uuid": "x"}, {"uuid": \u2028 \\ \x00 \U0001f600 "'
DOCUMENTS = [
    {"format": "f", "articles": []},
    {
        "format": "f",
        "version": 1,
        "articles": [
            {"uuid": "a", "id": 1, "title": TRICKY, "body": "b\n", "annotations": [annotation(1, note=TRICKY)]},
            {"uuid": "b", "id": 2, "annotations": []},
            {"uuid": "c", "id": 3, "annotations": [annotation(n) for n in range(5)]},
            # a record nesting records with the same first key: encoded one by one
            {"uuid": "d", "id": 4, "annotations": [annotation(1, wording=[{"uuid": "w1"}, {"uuid": "w2"}])] * 3},
            {"annotations": [annotation(1)]},  # nothing before the annotations
            {"uuid": "e", "annotations": "not a list"},
            {"uuid": "f", "annotations": [{}, {"x": 1.5, "y": float("nan")}, [1, 2], "s"]},
        ],
        "links": [{"uuid": "l1", "type": "supports"}, {"uuid": "l2", "type": "contradicts", "note": TRICKY}],
        "speakers": [{"name": "a", "aliases": ["b"]}],
        "sources": ["not", "records"],
        "sources_apart": [{"first": "a", "second": "b"}],
        "entities": [{"name": "x", "variants": [{"name": "y"}, {"name": "z"}]}, {"name": "y", "variants": []}],
        "other": {"nested": [1, 2, {"k": None}]},
    },
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_dumps_is_the_one_record_a_call_layout(document: dict[str, Any]) -> None:
    assert native.dumps(document) == reference_dumps(document)


def test_the_encoder_is_the_compact_json_encoder() -> None:
    for value in ["x", TRICKY, 1, 1.5, float("inf"), None, True, [], {}, {"a": [1, {"b": TRICKY}]}]:
        assert native._encode(value) == _encode(value)


def test_the_file_written_in_pieces_is_dumps(library, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`export_file` streams `native.iter_dumps` into the file: the bytes of `render`'s text."""
    from datetime import UTC, datetime

    from conftest import SAMPLES
    from nkreader.services import exporting
    from nkreader.services.importing import import_paths

    import_paths(library, [SAMPLES])
    summary = library.summaries()[0]
    body = library.article(summary.id).body
    from nkreader.domain import Kind

    library.annotate(summary.id, Kind.CLAIM, 0, min(20, len(body)), note=TRICKY)
    monkeypatch.setattr(exporting, "utcnow", lambda: datetime(2026, 12, 2, tzinfo=UTC))
    target = tmp_path / "out.json"
    articles, annotations = exporting.export_file(library, target)
    text = exporting.render(library, "json").text
    assert target.read_bytes() == text.encode("utf-8")
    assert (articles, annotations) == (len(library.summaries()), 1)
