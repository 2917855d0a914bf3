"""The fast paths of the store: the native export read from rows, the library list, its indexes.

`services.exporting.native_document` reads Core rows and builds the records directly; it must
give exactly the document `native.build_document` makes from domain objects, for every filter.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest

from nkreader.domain import ArticleDraft, Kind, Link, LinkType, Status, new_uuid
from nkreader.export import native
from nkreader.services.exporting import native_document, render, snapshot
from nkreader.services.library import Library, content_hash
from nkreader.store import migrate
from nkreader.store.articles import add_article
from nkreader.store.database import Database
from nkreader.store.links import add_link

BODIES = [
    "Rice rose to 6,200 won in Hyesan. “We cannot buy it,” a trader said.\n\nPrices fell later.",
    '쌀값이 올랐다. 장마당에서 "가격"이 두 배가 되었다.\n\n당국은 단속을 강화했다.',
    "Nothing was marked in this one.",
    "Tabs\tand \\ backslashes, an emoji 😀 and a line\u2028separator stay as stored.",
]


def add(library: Library, body: str, **fields: object) -> int:
    draft = ArticleDraft(title=str(fields.pop("title", body[:12])), body=body, **fields)  # type: ignore[arg-type]
    with library.database.writing() as session:
        return add_article(session, draft, content_hash(body)).id  # type: ignore[return-value]


@pytest.fixture
def filled(any_library: Library) -> tuple[Library, list[int]]:
    library = any_library
    ids = [
        add(
            library,
            BODIES[0],
            source="Yalu Ledger",
            published=date(2026, 3, 1),
            language="en",
            url="https://x/1",
        ),
        add(library, BODIES[1], language="ko", author="기자"),
        add(library, BODIES[2]),
        add(library, BODIES[3], published=date(2025, 12, 31)),
    ]
    first = library.annotate(ids[0], Kind.CLAIM, 0, 33)
    quote = library.annotate(ids[0], Kind.QUOTE, 35, 55, speaker="a trader", tags=["market", "hyesan"])
    library.edit(quote, note="Second source\nneeded", status=Status.DISPUTED)
    same_start = library.annotate(ids[0], Kind.POLICY, 0, 10)
    korean = library.annotate(ids[1], Kind.QUOTE, 0, 7, speaker="김정은", tags=["경제", "쌀"])
    library.annotate(ids[1], Kind.CLAIM, 9, 20)
    library.annotate(ids[3], Kind.POLICY, 0, 4, tags=['a"b', "back\\slash"])
    with library.database.writing() as session:
        add_link(session, Link(None, new_uuid(), quote.uuid, korean.uuid, LinkType.CITES))
        add_link(session, Link(None, new_uuid(), first.uuid, same_start.uuid, LinkType.SAME_AS))
    return library, ids


def by_domain(library: Library, **filters: object) -> dict:
    include_text = bool(filters.pop("include_text", True))
    taken = snapshot(library, **filters)  # type: ignore[arg-type]
    return native.build_document(
        taken.items, exported_at=EXPORTED, links=taken.links, include_text=include_text, filters=taken.filters
    )


EXPORTED = datetime(2026, 11, 28, 15, 4, 5, 123000, tzinfo=UTC)


def fixed(document: dict) -> dict:
    document["exported_at"] = native.format_datetime(EXPORTED)
    return document


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"include_text": False},
        {"kinds": [Kind.QUOTE, Kind.POLICY]},
        {"since": date(2000, 1, 1)},
        {"since": date(2999, 1, 1)},
        {"article_ids": "first-and-second"},
    ],
    ids=["all", "no-text", "kinds", "since-past", "since-future", "articles"],
)
def test_rows_give_the_document_domain_objects_give(filled: tuple[Library, list[int]], filters: dict) -> None:
    library, ids = filled
    if filters.get("article_ids"):
        filters = {"article_ids": [ids[1], ids[0]]}
    fast = fixed(native_document(library, **filters))
    slow = by_domain(library, **dict(filters))
    assert fast == slow
    assert native.dumps(fast) == native.dumps(slow)
    jsonschema.validate(fast, native.schema())


def test_the_export_is_one_line_per_annotation_and_parses_back(filled: tuple[Library, list[int]]) -> None:
    library, _ids = filled
    document = fixed(native_document(library))
    text = native.dumps(document)
    assert json.loads(text) == document
    assert text.endswith("}\n") and text.startswith('{\n  "format": "nkreader-annotations",\n')
    lines = text.split("\n")  # not splitlines(): a body may hold U+2028, written as is
    annotation_lines = [line for line in lines if line.startswith('      {"uuid": ')]
    assert len(annotation_lines) == sum(len(a["annotations"]) for a in document["articles"]) == 6
    article_lines = [
        line for line in lines if line.startswith('    {"uuid": ') and '"annotations": [' in line
    ]
    assert len(article_lines) == 4
    assert sum(line.endswith('"annotations": []},') for line in article_lines) == 1  # nothing marked
    link_lines = [line for line in lines if line.startswith('    {"uuid": ') and '"target": ' in line]
    assert len(link_lines) == 2
    assert "쌀값이 올랐다" in text and "\\uc300" not in text  # non-ASCII as is
    assert native.dumps(json.loads(text)) == text  # parsed and written again: the same bytes
    assert [link["type"] for link in document["links"]] == ["cites", "same-as"]  # by link id


def test_render_json_counts_and_text(filled: tuple[Library, list[int]]) -> None:
    library, ids = filled
    rendered = render(library, "json", article_ids=[ids[0]])
    assert (rendered.articles, rendered.annotations) == (1, 3)
    document = json.loads(rendered.text)
    assert document["filters"] == {"articles": [ids[0]]}
    assert document["links"] == [
        link for link in json.loads(render(library, "json").text)["links"] if link["type"] == "same-as"
    ]


def test_stored_values_in_other_spellings() -> None:
    assert native.stored_datetime("2026-01-02 03:04:05.678901") == "2026-01-02T03:04:05.678Z"
    assert native.stored_datetime("2026-01-02 03:04:05") == "2026-01-02T03:04:05.000Z"
    assert native.stored_datetime(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05.000Z"
    aware = datetime(2026, 1, 2, 12, 4, 5, tzinfo=UTC) + timedelta(0)
    assert native.stored_datetime(aware.astimezone().replace(microsecond=1000)) == "2026-01-02T12:04:05.001Z"
    assert native.stored_date("2026-01-02") == "2026-01-02"
    assert native.stored_date(date(2026, 1, 2)) == "2026-01-02"
    assert native.stored_date(None) is None
    rows = [
        (1, 7, "u1", "claim", 0, 1, "x", "", "", "", None, None, "unverified", "anchored", None, "2026-01-02 03:04:05", "2026-01-02 03:04:06.5", None),
        (2, 7, "u2", "quote", 0, 1, "x", "", "", "", ["t"], None, "unverified", "anchored", None, datetime(2026, 1, 2), datetime(2026, 1, 2), "ben"),
    ]  # fmt: skip
    records = native.annotation_records(rows)[7]
    assert [r["tags"] for r in records] == [[], ["t"]]
    assert [r["updated_by"] for r in records] == [None, "ben"]
    assert [(r["created_at"], r["updated_at"]) for r in records] == [
        ("2026-01-02T03:04:05.000Z", "2026-01-02T03:04:06.500Z"),
        ("2026-01-02T00:00:00.000Z", "2026-01-02T00:00:00.000Z"),
    ]


# --------------------------------------------------------------------------- library list


def test_summaries_counts_and_order(filled: tuple[Library, list[int]]) -> None:
    library, ids = filled
    rows = library.summaries()
    assert [r.id for r in rows] == [ids[2], ids[1], ids[0], ids[3]]  # newest first: imported today
    counts = {r.id: r.counts for r in rows}
    assert counts[ids[0]] == {Kind.CLAIM: 1, Kind.QUOTE: 1, Kind.POLICY: 1}
    assert counts[ids[1]] == {Kind.CLAIM: 1, Kind.QUOTE: 1, Kind.POLICY: 0}
    assert counts[ids[2]] == {Kind.CLAIM: 0, Kind.QUOTE: 0, Kind.POLICY: 0}
    for row in rows:
        assert row == library.summary(row.id)
        assert row.imported_at.tzinfo is UTC


def test_library_list_reads_covering_indexes(filled: tuple[Library, list[int]], db_path: Path, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's query plan")
    with sqlite3.connect(db_path) as connection:
        plan = " ".join(
            str(r[3])
            for r in connection.execute(
                "EXPLAIN QUERY PLAN SELECT article_id, count(*) FILTER (WHERE kind = 'claim'), "
                "count(*) FILTER (WHERE kind = 'quote') FROM annotations GROUP BY article_id"
            )
        )
        assert "COVERING INDEX ix_annotations_article_kind" in plan and "TEMP B-TREE" not in plan
        plan = " ".join(
            str(r[3])
            for r in connection.execute(
                "EXPLAIN QUERY PLAN SELECT id, uuid, title, source, published, imported_at, language "
                "FROM articles ORDER BY coalesce(published, date(imported_at)) DESC, id DESC"
            )
        )
        assert "COVERING INDEX ix_articles_listing" in plan


def test_migration_0003_adds_and_removes_the_indexes(db_path: Path) -> None:
    def indexes() -> set[str]:
        with sqlite3.connect(db_path) as connection:
            return {r[0] for r in connection.execute("select name from sqlite_master where type = 'index'")}

    database = Database.open(str(db_path))
    assert {"ix_annotations_article_kind", "ix_articles_listing"} <= indexes()
    migrate.downgrade(database.engine, "0002")
    database.close()
    assert not {"ix_annotations_article_kind", "ix_articles_listing"} & indexes()
    library = Library.open(str(db_path))  # upgraded on open
    assert migrate.current_revision(library.database.engine) == migrate.head_revision()
    library.close()
    assert {"ix_annotations_article_kind", "ix_articles_listing"} <= indexes()
