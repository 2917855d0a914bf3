"""Revisions as evidence (issue 17): an update that changes a claim's words keeps the old words,
flags a claim whose status was set on them, and every report says so."""

from __future__ import annotations

import csv as csv_module
import io
from pathlib import Path

from nkreader.domain import AnchorState, Kind, Status
from nkreader.services import revisions
from nkreader.services.exporting import render
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.reporting import library_report

FRONT = (
    "---\ntitle: Public trial in Kaecheon\nurl: https://example.org/kaecheon\npublished: 2025-03-02\n---\n"
)
BEFORE = "Seven people were executed in Kaecheon on Monday, a source said.\n\nResidents were made to watch.\n"
AFTER = "Eight people were executed in Kaecheon on Monday, a source said.\n\nResidents were made to watch.\n"


def test_a_changed_claim_keeps_its_words_and_is_flagged(library: Library, tmp_path: Path) -> None:
    page = tmp_path / "trial.md"
    page.write_text(FRONT + BEFORE, encoding="utf-8")
    import_paths(library, [page])
    (summary,) = library.summaries()
    body = library.article(summary.id).body
    claim = library.annotate(summary.id, Kind.CLAIM, 0, body.index(", a source"))
    library.edit(claim, status=Status.CORROBORATED)
    untouched = library.annotate(summary.id, Kind.CLAIM, body.index("Residents"), len(body))
    quote_of_other = library.annotate(summary.id, Kind.QUOTE, 0, body.index(" people"))  # "Seven": gone
    del quote_of_other
    assert revisions.flagged(library) == []

    page.write_text(FRONT + AFTER, encoding="utf-8")
    import_paths(library, [page], update=True)
    stored = {a.uuid: a for a in library.annotations(summary.id)}
    now = stored[claim.uuid]
    assert now.exact.startswith("Eight people") and now.anchor_state is AnchorState.FUZZY
    (flag,) = revisions.flagged(library)
    assert flag.annotation.uuid == claim.uuid
    assert flag.change.original == "Seven people were executed in Kaecheon on Monday"
    assert flag.change.status is Status.CORROBORATED and flag.change.needs_review
    assert untouched.uuid not in revisions.wording_changes(library)

    markdown = render(library, "markdown").text
    assert (
        "- **Review:** the article was updated and these words changed after the status (corroborated) was set"
        in markdown
    )
    assert "- Was: “Seven people were executed in Kaecheon on Monday”" in markdown
    rows = {
        r["annotation_uuid"]: r
        for r in csv_module.DictReader(io.StringIO(render(library, "csv").text.lstrip("\ufeff")))
    }
    assert rows[claim.uuid]["was"] == "Seven people were executed in Kaecheon on Monday"
    assert rows[claim.uuid]["needs_review"] == "yes" and rows[untouched.uuid]["was"] == ""
    report = library_report(library)
    assert "## To review (1)" in report and "set corroborated on “Seven people" in report

    # a second update keeps the words it was *made* on
    page.write_text(FRONT + AFTER.replace("Eight", "Nine"), encoding="utf-8")
    import_paths(library, [page], update=True)
    assert revisions.wording_changes(library)[claim.uuid].original.startswith("Seven")

    assert revisions.clear_review(library, claim.uuid) is True
    assert revisions.flagged(library) == []
    assert revisions.clear_review(library, claim.uuid) is False
    assert "- Was: “Seven" in render(library, "markdown").text  # the old words stay on record
