"""Every interchange export carries the grades and the review flag (issue 17): an annotation whose
words an update changed after its status was set says so in REFI-QDA (a *Review* code and the old
words in its memo), brat (`Review` attribute and a `Was` note, which nkreader's own brat import
reads without complaint) and Label Studio (`review` choice and `was` text, both in its config)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from test_native_instruments import run, weighed_library

from conftest import shared_folder
from nkreader.export import label_studio
from nkreader.services import interchange
from nkreader.services.annotation_import import import_annotation_file
from nkreader.services.library import Library

QDA = "{urn:QDA-XML:project:1.0}"


def test_qdpx_codes_review_and_keeps_the_old_words_in_the_memo(tmp_path: Path, db_path: Path) -> None:
    weighed_library(db_path, tmp_path / "page.md")
    library = Library.open(str(db_path))
    try:
        archive = zipfile.ZipFile(io.BytesIO(interchange.render_qdpx(library).data))
    finally:
        library.close()
    project = etree.fromstring(archive.read("project.qde"))
    groups = {c.get("name"): [k.get("name") for k in c] for c in project.iter(QDA + "Code") if len(c)}
    assert groups["Review"] == ["Needs review: words changed after the status was set"]
    assert groups["Source reliability"] and groups["Credibility"]
    memos = [n.findtext(QDA + "PlainTextContent") for n in project.iter(QDA + "Note")]
    assert any(m.startswith("Was: Seven people were executed") for m in memos), memos
    try:
        folder = shared_folder("conformance", "refi-qda")
    except pytest.skip.Exception:  # the schema is on the team shelf only
        return
    etree.XMLSchema(etree.parse(str(folder / "Project-mrt2019.xsd"))).assertValid(project)


def test_brat_flags_review_and_reads_its_own_file_back(tmp_path: Path, db_path: Path) -> None:
    weighed_library(db_path, tmp_path / "page.md")
    folder = tmp_path / "brat"
    code, _, err = run(db_path, "export", "-f", "brat", "-o", str(folder))
    assert code == 0, err
    (ann,) = folder.glob("*.ann")
    lines = ann.read_text(encoding="utf-8").splitlines()
    assert any(line.split("\t")[1] == "Review T1" for line in lines)
    assert any(line.startswith("#") and line.split("\t")[1] == "Was T1" and
               line.split("\t")[2].startswith("Seven people") for line in lines)
    assert "Review\tArg:<ENTITY>" in (folder / "annotation.conf").read_text()
    other = Library.open(str(tmp_path / "other.db"))
    try:
        report = import_annotation_file(other, ann)
    finally:
        other.close()
    assert report.added == 2 and report.skipped == []


def test_label_studio_review_and_was_belong_to_the_config(tmp_path: Path, db_path: Path) -> None:
    weighed_library(db_path, tmp_path / "page.md")
    library = Library.open(str(db_path))
    try:
        tasks = json.loads(interchange.render_label_studio(library)[0])
    finally:
        library.close()
    names = {e.get("name") for e in etree.fromstring(label_studio.LABEL_CONFIG).iter() if e.get("name")}
    results = tasks[0]["annotations"][0]["result"]
    by_name = {(r["from_name"], r["id"]): r["value"] for r in results if r.get("type") != "relation"}
    assert {name for name, _ in by_name} <= names
    review = [v for (name, _), v in by_name.items() if name == "review"]
    was = [v for (name, _), v in by_name.items() if name == "was"]
    assert [v["choices"] for v in review] == [["needs review"]]
    assert was[0]["text"][0].startswith("Seven people were executed")
    assert sorted(v["choices"][0] for (name, _), v in by_name.items() if name == "credibility") == ["2", "5"]
