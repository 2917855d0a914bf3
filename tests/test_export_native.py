"""Native JSON export: complete, valid against the shipped schema, offsets verifiable."""

from __future__ import annotations

import json
from datetime import date

import jsonschema

from nkreader.domain import ArticleDraft, Kind
from nkreader.export import native
from nkreader.services.exporting import native_document, write_atomic
from nkreader.services.library import Library, content_hash
from nkreader.store.articles import add_article


def add(library: Library, title: str, body: str) -> int:
    draft = ArticleDraft(
        title=title, body=body, source="Yalu Ledger", published=date(2026, 3, 1), language="en"
    )
    with library.database.writing() as session:
        return add_article(session, draft, content_hash(body)).id  # type: ignore[return-value]


def test_export_validates_and_offsets_check(library: Library) -> None:
    body = "Rice rose to 6,200 won. “We cannot buy it,” a trader said.\n\n쌀값이 올랐다."
    article_id = add(library, "Prices [bold]x[/]", body)
    library.annotate(article_id, Kind.CLAIM, 0, 23)
    quote = library.annotate(article_id, Kind.QUOTE, 24, body.index(" a trader"), speaker="a trader")
    library.edit(quote, tags=["market", "hyesan"], note="Second source needed")
    library.annotate(article_id, Kind.POLICY, body.index("쌀"), len(body))
    document = native_document(library)
    jsonschema.validate(document, native.schema())
    [article] = document["articles"]
    assert article["body"] == body
    assert article["title"] == "Prices [bold]x[/]"
    assert [a["kind"] for a in article["annotations"]] == ["claim", "quote", "policy"]
    for annotation in article["annotations"]:
        assert body[annotation["start"] : annotation["end"]] == annotation["exact"]
    assert article["annotations"][1]["tags"] == ["market", "hyesan"]
    assert article["annotations"][1]["speaker"] == "a trader"
    text = native.dumps(document)
    assert "쌀값이 올랐다." in text  # non-ASCII is not escaped


def test_filters_and_no_text(library: Library) -> None:
    first = add(library, "One", "Alpha beta gamma.")
    second = add(library, "Two", "Delta epsilon zeta.")
    library.annotate(first, Kind.CLAIM, 0, 5)
    library.annotate(second, Kind.QUOTE, 0, 5)
    document = native_document(library, kinds=[Kind.QUOTE], include_text=False)
    jsonschema.validate(document, native.schema())
    assert [len(a["annotations"]) for a in document["articles"]] == [0, 1]
    assert all("body" not in a for a in document["articles"])
    only = native_document(library, article_ids=[second])
    assert [a["title"] for a in only["articles"]] == ["Two"]


def test_write_atomic_replaces_whole_file(tmp_path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    write_atomic(target, json.dumps({"a": 1}))
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
