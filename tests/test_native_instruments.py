"""The native export is a backup of the analyst's weighing too (issue 17): graded sources and
their notes, sources kept apart, credibility per annotation, the wording-change record ("was",
needs review) and entities with their spellings go out in the export, and `import-annotations`
of that file restores them into an empty library, so export → import → export is the same."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from nkreader.cli import main
from nkreader.domain import Kind, Status
from nkreader.export import native
from nkreader.services import entities, revisions, sources
from nkreader.services.annotation_import import AnnotationFileError, import_document
from nkreader.services.exporting import native_document
from nkreader.services.library import Library

A = "an additional source in North Hamgyong Province"
B = "a North Hamgyong Province-based source"
PAGE = "---\ntitle: Public trial in Kaecheon\nurl: https://example.org/trial\n---\n\n{n} people were executed in Kaecheon on Monday, {a} said.\n\nResidents of Kaechon were made to watch, {b} said.\n"


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def weighed_library(db: Path, page: Path) -> None:
    """A library holding every instrument: grades, notes, apart, credibility, a wording change
    waiting for review, an entity with three spellings."""
    page.write_text(PAGE.format(n="Seven", a=A, b=B), encoding="utf-8")
    assert run(db, "import", str(page))[0] == 0
    library = Library.open(str(db))
    try:
        body = library.article(1).body
        claim = library.annotate(1, Kind.CLAIM, body.index("Seven"), body.index(", an"), speaker=A)
        library.edit(claim, status=Status.CORROBORATED)
        quote = library.annotate(1, Kind.QUOTE, body.index("Residents"), body.index(", a North"), speaker=B)
        sources.grade(library, A, "B", note="trader\ntwo reports a month")
        sources.grade(library, B, "D", anonymous=True)
        sources.keep_apart(library, A, B)
        sources.set_credibility(library, claim.uuid, 2)
        sources.set_credibility(library, quote.uuid, 5)
        entities.add(library, "Kaecheon", "place", ["Kaechon", "개천"])
        entities.add(library, "Kim Jong Un", "person", ["김정은"])
    finally:
        library.close()
    page.write_text(PAGE.format(n="Eight", a=A, b=B), encoding="utf-8")
    assert run(db, "import", "--update", str(page))[0] == 0


def comparable(text: str) -> dict:
    """The export without what a new library gives anew (ids, import and export times)."""
    document = json.loads(text)
    document.pop("exported_at")
    for article in document["articles"]:
        article.pop("id")
        article.pop("imported_at")
        article.pop("updated_at")
    return document


def test_export_carries_grades_wording_and_entities(tmp_path: Path, db_path: Path) -> None:
    weighed_library(db_path, tmp_path / "page.md")
    code, text, err = run(db_path, "export")
    assert code == 0, err
    document = json.loads(text)
    jsonschema.validate(document, native.schema())
    assert document["sources"] == [
        {"name": B, "reliability": "D", "note": "", "anonymous": True},
        {"name": A, "reliability": "B", "note": "trader\ntwo reports a month", "anonymous": True},
    ]
    assert document["sources_apart"] == [{"first": B, "second": A}]
    assert document["entities"] == [
        {"name": "Kaecheon", "kind": "place", "variants": ["Kaecheon", "Kaechon", "개천"]},
        {"name": "Kim Jong Un", "kind": "person", "variants": ["Kim Jong Un", "김정은"]},
    ]
    claim, quote = document["articles"][0]["annotations"]
    assert claim["exact"].startswith("Eight people") and claim["credibility"] == 2
    wording = claim["wording"]
    assert wording["was"].startswith("Seven people were executed")
    assert (wording["status"], wording["needs_review"]) == ("corroborated", True)
    assert quote["credibility"] == 5 and "wording" not in quote
    assert len(document["articles"][0]["revisions"]) == 1


def test_import_annotations_restores_them_into_an_empty_library(tmp_path: Path, db_path: Path) -> None:
    weighed_library(db_path, tmp_path / "page.md")
    backup = tmp_path / "backup.json"
    assert run(db_path, "export", "-o", str(backup))[0] == 0
    restored = tmp_path / "restored.db"
    code, out, err = run(restored, "import-annotations", str(backup))
    assert code == 0, err
    for said in ("sources 2 added", "sources kept apart 1 added", "entities 2 added",
                 "credibility grades 2 added", "wording changes 1 added", "earlier texts 1 added"):
        assert said in out
    again = tmp_path / "again.json"
    assert run(restored, "export", "-o", str(again))[0] == 0
    assert comparable(again.read_text()) == comparable(backup.read_text())

    # what the user sees of it in the restored library
    code, out, _ = run(restored, "review")
    assert code == 0 and "corroborated on: Seven people were executed" in out
    code, out, _ = run(restored, "search", "Kaechon", "--in", "articles")
    assert code == 0 and "Public trial in Kaecheon" in out
    listing = json.loads(run(restored, "source", "list", "--json")[1])
    graded = {e["name"]: e["reliability"] for e in listing["sources"]}
    assert graded == {A: "B", B: "D"}
    assert listing["possibly_the_same"] == []  # kept apart came back too

    code, out, _ = run(restored, "import-annotations", str(backup))  # twice: nothing changes
    assert code == 0 and " added" not in out.replace("0 added", "")
    assert comparable(again.read_text()) == comparable(run(restored, "export")[1])


def test_the_librarys_own_judgement_is_not_overwritten(tmp_path: Path, db_path: Path) -> None:
    weighed_library(db_path, tmp_path / "page.md")
    backup = run(db_path, "export")[1]
    library = Library.open(str(db_path))
    try:
        sources.grade(library, A, "E")
        claim = library.annotations(1)[0]
        sources.set_credibility(library, claim.uuid, 6)
        revisions.clear_review(library, claim.uuid)
        report = import_document(library, json.loads(backup))
        assert not report.restored
        document = native_document(library)
    finally:
        library.close()
    assert {s["name"]: s["reliability"] for s in document["sources"]}[A] == "E"
    claim_record = document["articles"][0]["annotations"][0]
    assert claim_record["credibility"] == 6 and claim_record["wording"]["needs_review"] is False


def test_an_entity_spelling_held_by_another_entity_is_named_not_stolen(
    tmp_path: Path, db_path: Path
) -> None:
    weighed_library(db_path, tmp_path / "page.md")
    backup = run(db_path, "export")[1]
    other = Library.open(str(tmp_path / "other.db"))
    try:
        entities.add(other, "Kaechon County", "place", ["개천"])
        report = import_document(other, json.loads(backup))
        found = entities.find(other, "Kaechon")
        assert found is not None and found.name == "Kaechon County"
        assert set(found.variants) == {"Kaechon County", "개천", "Kaecheon", "Kaechon"}
        assert entities.find(other, "김정은").name == "Kim Jong Un"  # type: ignore[union-attr]
    finally:
        other.close()
    assert report.restored["entities"] == 1 and report.restored["entity spellings"] == 2
    assert report.aliases_added == 1  # 김정은: a person's spelling is a speaker alias


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["articles"][0]["annotations"][0].update(credibility=9), '"credibility" must be an integer 1–6'),
        (lambda d: d["articles"][0]["annotations"][0]["wording"].update(status="new"), '.wording: "status" must be one of'),
        (lambda d: d["sources"][0].update(reliability="Q"), 'sources[0]: "reliability" must be one of'),
        (lambda d: d["entities"][0].update(kind="river"), 'entities[0]: "kind" must be one of person'),
        (lambda d: d.update(sources_apart=[{"first": "x"}]), 'sources_apart[0]: "second" must be a non-empty text'),
    ],
)
def test_bad_instruments_refuse_the_file_whole(tmp_path: Path, db_path: Path, change, message: str) -> None:
    weighed_library(db_path, tmp_path / "page.md")
    document = json.loads(run(db_path, "export")[1])
    change(document)
    other = Library.open(str(tmp_path / "other.db"))
    try:
        with pytest.raises(AnnotationFileError, match=message.replace("[", r"\[").replace(".", r"\.")):
            import_document(other, document)
        assert other.summaries() == []
    finally:
        other.close()


def test_round_trip_on_either_backend(any_library: Library, tmp_path: Path) -> None:
    """The same export from SQLite and PostgreSQL, restored exactly into an empty library."""
    from dataclasses import replace

    from nkreader.domain import ArticleDraft
    from nkreader.services.library import content_hash
    from nkreader.store import articles as article_store
    from nkreader.store import instruments

    body = PAGE.format(n="Eight", a=A, b=B).split("---\n", 2)[2].strip()
    with any_library.database.writing() as session:
        article = article_store.add_article(session, ArticleDraft(title="Trial", body=body), content_hash(body))
    assert article.id is not None
    claim = any_library.annotate(article.id, Kind.CLAIM, 0, body.index(", an"), speaker=A)
    sources.grade(any_library, A, "C", note="notes")
    sources.set_credibility(any_library, claim.uuid, 3)
    entities.add(any_library, "Kaecheon", "place", ["개천"])
    with any_library.database.writing() as session:
        before = replace(claim, exact="Seven people were executed", status=Status.DISPUTED)
        instruments.record_wording_change(session, before, claim)
    first = native.dumps(native_document(any_library))
    jsonschema.validate(json.loads(first), native.schema())
    other = Library.open(str(tmp_path / "other.db"))
    try:
        report = import_document(other, json.loads(first))
        assert report.restored == {
            "sources": 1, "entities": 1, "entity spellings": 1, "credibility grades": 1, "wording changes": 1
        }
        again = native.dumps(native_document(other))
    finally:
        other.close()
    assert comparable(again) == comparable(first)
    assert '"wording": {"was": "Seven people were executed", "status": "disputed"' in first
