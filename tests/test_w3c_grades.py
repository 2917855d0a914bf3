"""The W3C export carries the analyst's grades (issue 17) as tagging bodies in the `prefix:value`
convention it already uses for speaker and status — `reliability:B`, `credibility:2`,
`review:needed` — so the file still passes every MUST schema of the W3C conformance suite, and
nkreader's W3C import reads the credibility back without turning any of them into tags."""

from __future__ import annotations

import json
from pathlib import Path

from test_exports import validate_w3c
from test_native_instruments import A, B, run, weighed_library

from nkreader.services.annotation_import import import_document
from nkreader.services.library import Library
from nkreader.services.sources import grades_for


def test_w3c_items_carry_reliability_credibility_and_review(tmp_path: Path, db_path: Path) -> None:
    weighed_library(db_path, tmp_path / "page.md")
    target = tmp_path / "annotations.jsonld"
    code, _, err = run(db_path, "export", "-f", "w3c", "-o", str(target))
    assert code == 0, err
    result = validate_w3c(target)
    assert result.returncode == 0, result.stdout[-3000:]
    items = json.loads(target.read_text())["first"]["items"]
    tagged = {
        item["id"][9:]: [b["value"] for b in item["body"] if b.get("purpose") == "tagging"] for item in items
    }
    claim, quote = tagged.values()
    assert claim == ["claim", "speaker:" + A, "status:corroborated", "reliability:B", "credibility:2", "review:needed"]
    assert quote == ["quote", "speaker:" + B, "reliability:D", "credibility:5"]


def test_w3c_import_restores_credibility_and_keeps_grades_out_of_tags(tmp_path: Path, db_path: Path) -> None:
    weighed_library(db_path, tmp_path / "page.md")
    document = json.loads(run(db_path, "export", "-f", "w3c")[1])
    other_db = tmp_path / "other.db"
    page = tmp_path / "page.md"
    assert run(other_db, "import", str(page))[0] == 0  # the same article, by its URL
    other = Library.open(str(other_db))
    try:
        report = import_document(other, document)
        assert report.added == 2 and report.restored == {"credibility grades": 2}
        annotations = other.annotations(1)
        assert all(not any(":" in tag for tag in a.tags) for a in annotations)
        grades = grades_for(other, [a.uuid for a in annotations])
        assert sorted(grades.credibility.values()) == [2, 5]
        again = import_document(other, document)
        assert not again.changed
    finally:
        other.close()
