"""Interchange with other annotation tools (issue 17): REFI-QDA, brat, Label Studio, Hypothesis."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import shared_folder
from nkreader.cli import main
from nkreader.domain import AnchorState, Kind, LinkType, Status
from nkreader.export import brat, brat_reader, label_studio
from nkreader.services import interchange
from nkreader.services.annotation_import import import_annotation_file
from nkreader.services.exporting import snapshot
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.links import link

QDA = "{urn:QDA-XML:project:1.0}"

ENGLISH = (
    "Rice tops 7,000 won in Hyesan\n\n"
    "Rice prices in Hyesan rose above 7,000 won per kilogram, a source in Ryanggang said.\n\n"
    "“People used to switch to corn,” the source said. “Now corn is going up just as fast.”\n"
)
# characters outside the Basic Multilingual Plane (an emoji, a Hanja of extension B) before
# the marked passages: one code point each, two UTF-16 code units each
ASTRAL = "개천 소식\n\n\U00020000\U0001f4f0 개천에서 공개재판이 열렸다고 소식통이 전했다.\n\n주민 수백 명이 동원됐다.\n"


@pytest.fixture
def marked(library: Library, tmp_path: Path) -> Library:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "hyesan.md").write_text(
        "---\ntitle: Rice tops 7,000 won in Hyesan\nsource: Yalu Ledger\npublished: 2025-08-21\n"
        "url: https://example.org/hyesan\n---\n" + ENGLISH.split("\n\n", 1)[1],
        encoding="utf-8",
    )
    (folder / "kaechon.txt").write_text(ASTRAL, encoding="utf-8")
    import_paths(library, [folder])
    library.annotator = "analyst@example.org"
    by_title = {s.title: s.id for s in library.summaries()}
    hyesan = by_title["Rice tops 7,000 won in Hyesan"]
    kaechon = next(i for t, i in by_title.items() if t != "Rice tops 7,000 won in Hyesan")
    body = library.article(hyesan).body
    claim = library.annotate(hyesan, Kind.CLAIM, 0, body.index(","), note="Check the\nmarket survey\t=== \\n")
    claim = library.edit(claim, status=Status.CORROBORATED, tags=["prices", "hyesan"])
    start = body.index("“People")
    quote = library.annotate(
        hyesan, Kind.QUOTE, start, body.index("fast.”") + 6, speaker="a source in Ryanggang"
    )
    # a passage across a paragraph break: brat writes it as two fragments
    library.annotate(hyesan, Kind.POLICY, body.index("said."), body.index("“People") + 7)
    k_body = library.article(kaechon).body
    k_claim = library.annotate(kaechon, Kind.CLAIM, k_body.index("개천에서"), k_body.index("전했다") + 3)
    k_claim = library.edit(k_claim, status=Status.DISPUTED)
    k_quote = library.annotate(
        kaechon, Kind.QUOTE, k_body.index("주민"), k_body.index("됐다") + 2, speaker="소식통"
    )
    link(library, quote.uuid, claim.uuid, LinkType.CORROBORATES)
    link(library, k_quote.uuid, k_claim.uuid, LinkType.CITES)
    link(library, k_claim.uuid, claim.uuid, LinkType.CONTRADICTS)  # across articles
    return library


def _by_uuid(library: Library) -> dict[str, object]:
    return {a.uuid: a for item in snapshot(library).items for a in item.annotations}


# --------------------------------------------------------------------------- REFI-QDA


def _qdpx(library: Library) -> tuple[zipfile.ZipFile, etree._Element]:
    exported = interchange.render_qdpx(library)
    archive = zipfile.ZipFile(io.BytesIO(exported.data))
    return archive, etree.fromstring(archive.read("project.qde"))


def test_qdpx_validates_against_the_refi_qda_project_schema(marked: Library) -> None:
    folder = shared_folder("conformance", "refi-qda")
    schema = etree.XMLSchema(etree.parse(str(folder / "Project-mrt2019.xsd")))
    _archive, project = _qdpx(marked)
    schema.assertValid(project)


def test_qdpx_selections_codes_memos_and_links(marked: Library) -> None:
    archive, project = _qdpx(marked)
    assert archive.namelist()[0] == "project.qde"
    annotations = _by_uuid(marked)
    codes = {c.get("guid"): c.get("name") for c in project.iter(QDA + "Code")}
    groups = {c.get("name"): [k.get("name") for k in c] for c in project.iter(QDA + "Code") if len(c)}
    assert groups["Kind"] == ["Claim", "Quote", "Policy statement"]
    assert set(groups["Tags"]) == {"prices", "hyesan"}
    assert set(groups["Speakers"]) == {"a source in Ryanggang", "소식통"}
    notes = {n.get("guid"): n.findtext(QDA + "PlainTextContent") for n in project.iter(QDA + "Note")}
    seen = 0
    for source in project.iter(QDA + "TextSource"):
        path = source.get("plainTextPath")
        assert path.startswith("internal://")
        text = archive.read("sources/" + path.removeprefix("internal://")).decode("utf-8")
        for selection in source.iter(QDA + "PlainTextSelection"):
            annotation = annotations[selection.get("guid")]
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == annotation.exact  # code point offsets into the stored text
            applied = {
                codes[c.find(QDA + "CodeRef").get("targetGUID")] for c in selection.iter(QDA + "Coding")
            }
            assert annotation.kind.label in applied
            assert set(annotation.tags) <= applied
            if annotation.speaker:
                assert annotation.speaker in applied
            if annotation.kind is Kind.CLAIM:
                assert annotation.status.value in applied
            memo = selection.find(QDA + "NoteRef")
            assert (notes[memo.get("targetGUID")] if memo is not None else "") == annotation.note
            seen += 1
    assert seen == len(annotations)
    links = {(x.get("originGUID"), x.get("targetGUID"), x.get("name")) for x in project.iter(QDA + "Link")}
    assert len(links) == 3
    assert any(name == "contradicts" for *_ends, name in links)
    outlet = [v.findtext(QDA + "TextValue") for v in project.iter(QDA + "VariableValue")]
    assert "Yalu Ledger" in outlet


def test_qdpx_leaves_out_orphans_and_says_how_many(marked: Library) -> None:
    victim = next(a for a in _by_uuid(marked).values() if a.kind is Kind.POLICY)
    from dataclasses import replace

    marked.put(replace(victim, anchor_state=AnchorState.ORPHANED))
    exported = interchange.render_qdpx(marked)
    assert exported.left_out == 1
    assert exported.annotations == len(_by_uuid(marked)) - 1


# --------------------------------------------------------------------------- brat


def _spans(library: Library) -> set[tuple]:
    return {
        (a.kind, a.start, a.end, a.exact, a.note, tuple(a.tags), a.speaker, a.status)
        for item in snapshot(library).items
        for a in item.annotations
    }


def test_brat_files_hold_exact_offsets(marked: Library, tmp_path: Path) -> None:
    result = interchange.export_brat_folder(marked, tmp_path / "brat")
    assert (result.articles, result.annotations, result.left_out) == (2, 5, 0)
    files = sorted(p.name for p in (tmp_path / "brat").iterdir())
    assert "annotation.conf" in files and "visual.conf" in files
    for ann_path in (tmp_path / "brat").glob("*.ann"):
        text = ann_path.with_suffix(".txt").read_text(encoding="utf-8")
        for line in ann_path.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                _tid, type_spans, written = line.split("\t")
                pieces = [tuple(map(int, p.split())) for p in type_spans.split(" ", 1)[1].split(";")]
                assert written == " ".join(text[s:e] for s, e in pieces)
                assert all("\n" not in text[s:e] for s, e in pieces)
    hyesan = next((tmp_path / "brat").glob("*hyesan*.ann")).read_text(encoding="utf-8")
    assert "\tCorroborates Arg1:" in hyesan
    assert "Check the\\nmarket survey\\t=== \\\\n" in hyesan
    kaechon = next(p for p in (tmp_path / "brat").glob("*.ann") if "hyesan" not in p.name).read_text("utf-8")
    assert "\tLink T1\tcontradicts urn:uuid:" in kaechon  # the link to the other article


def test_brat_round_trips_to_the_same_spans(marked: Library, tmp_path: Path) -> None:
    interchange.export_brat_folder(marked, tmp_path / "brat")
    fresh = Library.open(str(tmp_path / "fresh.db"))
    try:
        report = import_annotation_file(fresh, tmp_path / "brat")
        assert not report.skipped, report.skipped
        assert (report.articles_created, report.added, report.links_added) == (2, 5, 3)
        assert _spans(fresh) == _spans(marked)
        assert set(_by_uuid(fresh)) == set(_by_uuid(marked))
        again = import_annotation_file(fresh, tmp_path / "brat")
        assert (again.added, again.updated, again.links_added, again.articles_created) == (0, 0, 0, 0)
    finally:
        fresh.close()
    # into the library it came from: nothing changes
    report = import_annotation_file(marked, tmp_path / "brat")
    assert (report.added, report.updated, report.articles_created) == (0, 0, 0)
    assert report.articles_matched == 2


def test_brat_from_another_tool(library: Library, tmp_path: Path) -> None:
    text = "KCNA said on Monday that the launch was a success.\r\nOfficials denied it.\r\n"
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8", newline="")
    ann = (
        "T1\tclaim 25 49\tthe launch was a success\n"
        "T2\tPerson 0 4\tKCNA\n"
        "T3\tQuote 52 72\tOfficials denied it.\n"
        "A1\tStatus T1 refuted\n"
        "A2\tNegated T3\n"
        "R1\tContradicts Arg1:T3 Arg2:T1\n"
        "#1\tAnnotatorNotes T1\tsee the satellite images\n"
        "E1\tAttack:T1\n"
    )
    (tmp_path / "doc.ann").write_text(ann, encoding="utf-8")
    report = import_annotation_file(library, tmp_path / "doc.ann")
    assert report.articles_created == 1 and report.added == 2 and report.links_added == 1
    reasons = "\n".join(report.skipped)
    assert "'Person' is not a kind" in reasons and "Negated" in reasons and "events" in reasons
    (article,) = library.summaries()
    stored = {a.kind: a for a in library.annotations(article.id)}
    body = library.article(article.id).body
    claim = stored[Kind.CLAIM]
    assert body[claim.start : claim.end] == claim.exact == "the launch was a success"
    assert claim.status is Status.REFUTED and claim.note == "see the satellite images"
    # the .txt had CRLF: the stored text has LF, and the quote was re-anchored by its words
    assert stored[Kind.QUOTE].exact == "Officials denied it."


def test_brat_bad_input_is_one_line_and_changes_nothing(library: Library, tmp_path: Path) -> None:
    (tmp_path / "lonely.ann").write_text("T1\tClaim 0 4\tword\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        main, ["--db", library.location, "import-annotations", str(tmp_path / "lonely.ann")]
    )
    assert result.exit_code == 1
    assert "no lonely.txt beside lonely.ann" in result.output
    assert "Traceback" not in result.output
    (tmp_path / "wide.txt").write_text("short", encoding="utf-8")
    (tmp_path / "wide.ann").write_text(
        "T1\tClaim 0 400\tword\nT2\tClaim x y\tz\nT3\tClaim 0 3\tlong\n", encoding="utf-8"
    )
    report = import_annotation_file(library, tmp_path / "wide.ann")
    assert report.added == 0 and len(report.skipped) == 3
    assert "outside the text" in report.skipped[0]
    assert "the text at 0 3 is 'sho', not 'long'" in report.skipped[2]


def test_brat_reader_rejects_what_it_cannot_place() -> None:
    parsed = brat_reader.read_ann("T1\tClaim 3 1\tx\nT2\tQuote 0 2;3 5\tab de\n", "abcdef", label="f.ann")
    assert [(s.id, s.start, s.end) for s in parsed.spans] == [("T2", 0, 5)]
    assert parsed.skipped == ["f.ann:1: T1: span 3 1 is empty or outside the text (6 characters)"]
    assert brat.unescape_note(brat.escape_note("a\\nb\n\tc")) == "a\\nb\n\tc"


# --------------------------------------------------------------------------- Label Studio


def _utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[start * 2 : end * 2].decode("utf-16-le")


def test_label_studio_offsets_are_utf16(marked: Library) -> None:
    text, result = interchange.render_label_studio(marked)
    tasks = json.loads(text)
    assert result.annotations == 5
    kaechon = next(t for t in tasks if "\U00020000" in t["data"]["text"])
    body = kaechon["data"]["text"]
    regions = [r for r in kaechon["annotations"][0]["result"] if r.get("type") == "labels"]
    assert len(regions) == 2
    for region in regions:
        value = region["value"]
        assert _utf16_slice(body, value["start"], value["end"]) == value["text"]
        # two astral characters before the passage: its UTF-16 start is two past its code point one
        assert value["start"] == body.index(value["text"]) + 2
    relations = [r for r in kaechon["annotations"][0]["result"] if r.get("type") == "relation"]
    assert [r["labels"] for r in relations] == [["cites"]]  # the link across articles is not a relation


def test_label_studio_per_region_results_match_the_config(marked: Library) -> None:
    tasks = json.loads(interchange.render_label_studio(marked)[0])
    config = etree.fromstring(label_studio.LABEL_CONFIG)
    names = {e.get("name") for e in config.iter() if e.get("name")}
    labels = {e.get("value") for e in config.iter("Label")}
    annotations = _by_uuid(marked)
    for task in tasks:
        for result in task["annotations"][0]["result"]:
            if result["type"] == "relation":
                assert {result["from_id"], result["to_id"]} <= set(annotations)
                continue
            assert result["from_name"] in names and result["to_name"] == "text"
            annotation = annotations[result["id"]]
            if result["type"] == "labels":
                assert result["value"]["labels"][0] in labels
            if result["from_name"] == "status":
                assert result["value"]["choices"] == [annotation.status.value]
            if result["from_name"] == "note":
                assert result["value"]["text"] == [annotation.note]


# --------------------------------------------------------------------------- Hypothesis


def _hypothesis_row(row_id: str, uri: str, exact: str, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": row_id,
        "created": "2025-09-01T10:00:00.000000+00:00",
        "updated": "2025-09-01T10:05:00.000000+00:00",
        "user": "acct:reader@hypothes.is",
        "uri": uri,
        "text": "**Check** this",
        "tags": ["claim", "prices"],
        "group": "__world__",
        "target": [
            {
                "source": uri,
                "selector": [
                    {"type": "RangeSelector", "startContainer": "/p[1]", "startOffset": 0},
                    {"type": "TextPositionSelector", "start": 999, "end": 1020},
                    {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""},
                ],
            }
        ],
        "links": {"html": f"https://hypothes.is/a/{row_id}"},
        "user_info": {"display_name": "A. Reader"},
    }
    row.update(extra)
    return row


def test_hypothesis_api_json(marked: Library, tmp_path: Path) -> None:
    uri = "https://example.org/hyesan"
    document = {
        "total": 3,
        "rows": [
            _hypothesis_row("AbC123", uri, "rose above 7,000 won per kilogram"),
            _hypothesis_row("Reply1", uri, "x", references=["AbC123"], target=[{"source": uri}]),
            _hypothesis_row("Page1", uri, "x", target=[{"source": uri}]),
        ],
    }
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    report = import_annotation_file(marked, path)
    assert report.format == "Hypothesis"
    assert report.added == 1
    assert any("a reply" in r for r in report.skipped) and any("page note" in r for r in report.skipped)
    article = next(s for s in marked.summaries() if s.source == "Yalu Ledger")
    found = [a for a in marked.annotations(article.id) if a.exact == "rose above 7,000 won per kilogram"]
    assert len(found) == 1
    (annotation,) = found
    body = marked.article(article.id).body
    assert body[annotation.start : annotation.end] == annotation.exact
    assert (annotation.kind, annotation.tags, annotation.note) == (Kind.CLAIM, ["prices"], "**Check** this")
    assert annotation.author == "A. Reader"
    assert import_annotation_file(marked, path).added == 0  # the same file twice changes nothing


# --------------------------------------------------------------------------- command line


def test_cli_exports_each_format(marked: Library, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", marked.location]
    result = runner.invoke(main, ["export", *db, "-f", "qdpx", "-o", str(tmp_path / "lib.qdpx")])
    assert result.exit_code == 0, result.output
    assert "5 annotations" in result.output
    assert zipfile.is_zipfile(tmp_path / "lib.qdpx")
    result = runner.invoke(main, ["export", *db, "-f", "brat", "-o", str(tmp_path / "brat")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "brat").glob("*.ann"))) == 2
    result = runner.invoke(main, ["export", *db, "-f", "brat"])
    assert result.exit_code != 0 and "-o" in result.output
    (tmp_path / "file").write_text("x")
    result = runner.invoke(main, ["export", *db, "-f", "brat", "-o", str(tmp_path / "file")])
    assert result.exit_code != 0 and "not a folder" in result.output
    assert (tmp_path / "file").read_text() == "x"
    result = runner.invoke(main, ["export", *db, "-f", "label-studio"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["data"]["text"]
    result = runner.invoke(main, ["export", "-f", "label-studio", "--schema"])
    assert result.exit_code == 0 and '<Labels name="kind"' in result.stdout
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
