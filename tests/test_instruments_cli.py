"""The issue 17 acceptance path on the command line: grade a source, merge two anonymous
sources, make three spellings one entity and search, update an article so a claim's words change,
review it, and export a brief that holds the link and the grade."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from nkreader.cli import main
from nkreader.domain import Kind, LinkType, Status
from nkreader.services.library import Library
from nkreader.services.links import link

A = "an additional source in North Hamgyong Province"
B = "a North Hamgyong Province-based source"
FRONT = "---\ntitle: Public trial in Kaecheon\nsource: Daily NK\nurl: https://example.org/trial\npublished: 2025-03-02\n---\n"
TRIAL = "Seven people were executed in Kaecheon on Monday, {a} said.\n\nResidents of Kaechon were made to watch.\n"
OTHER = "---\ntitle: 개천 공개재판\n---\n개천에서 공개재판이 열렸다고 소식통이 전했다.\n\nSeven were shot, {b} said.\n"


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_acceptance_path(tmp_path: Path, db_path: Path) -> None:
    trial, other = tmp_path / "trial.md", tmp_path / "other.md"
    trial.write_text(FRONT + TRIAL.format(a=A), encoding="utf-8")
    other.write_text(OTHER.format(b=B), encoding="utf-8")
    assert run(db_path, "import", str(trial), str(other))[0] == 0
    library = Library.open(str(db_path))
    ids = {s.title: s.id for s in library.summaries()}
    body = library.article(ids["Public trial in Kaecheon"]).body
    claim = library.annotate(ids["Public trial in Kaecheon"], Kind.CLAIM, 0, body.index(","), speaker=A)
    library.edit(claim, status=Status.CORROBORATED)
    o_body = library.article(ids["개천 공개재판"]).body
    second = library.annotate(
        ids["개천 공개재판"], Kind.CLAIM, o_body.index("Seven"), o_body.index(", a North"), speaker=B
    )
    link(library, second.uuid, claim.uuid, LinkType.CORROBORATES)
    library.close()

    code, out, err = run(db_path, "source", "list")
    assert code == 0 and "possibly the same source" in out
    code, out, _ = run(db_path, "source", "grade", A, "b", "--note", "trader, two reports a month")
    assert code == 0 and "B (usually reliable)" in out and "anonymous" in out
    code, _, err = run(db_path, "source", "grade", A, "Q")
    assert code == 2 and "A–F" in err
    code, out, _ = run(db_path, "credibility", claim.uuid[:8], "2")
    assert code == 0 and "credibility 2 (probably true)" in out
    code, _, err = run(db_path, "credibility", second.uuid[:8], "9")
    assert code == 2 and "1–6" in err
    code, out, _ = run(db_path, "source", "merge", A, B)
    assert code == 0 and "1 annotations changed" in out
    document = json.loads(run(db_path, "source", "list", "--json")[1])
    (entry,) = document["sources"]
    assert entry["name"] == A and B in entry["aliases"] and entry["reliability"] == "B"
    assert (entry["articles"], entry["undated_articles"], entry["claims"]) == (2, 1, 2)
    assert document["possibly_the_same"] == []

    assert run(db_path, "entity", "add", "Kaecheon", "--variant", "Kaechon")[0] == 0
    assert run(db_path, "entity", "add", "개천", "--kind", "place")[0] == 0
    code, out, _ = run(db_path, "entity", "merge", "Kaecheon", "개천")
    assert code == 0 and "Kaechon, 개천" in out
    code, _, err = run(db_path, "entity", "variant", "Pyongyang", "P'yŏngyang")
    assert code == 2 and "no entity is spelled 'Pyongyang'" in err
    # a speaker is an entity: the merged source is a person whose spellings are both descriptions
    assert json.loads(run(db_path, "entity", "list", "--json")[1]) == [
        {"name": A, "kind": "person", "variants": [A, B]},
        {"name": "Kaecheon", "kind": "place", "variants": ["Kaecheon", "Kaechon", "개천"]},
    ]
    code, out, _ = run(db_path, "search", "Kaechon", "--in", "articles")
    assert code == 0 and "Public trial in Kaecheon" in out and "개천 공개재판" in out

    trial.write_text(FRONT + TRIAL.format(a=A).replace("Seven", "Eight"), encoding="utf-8")
    assert run(db_path, "import", "--update", str(trial))[0] == 0
    code, out, _ = run(db_path, "review")
    assert code == 0 and "corroborated on: Seven people were executed in Kaecheon on Monday" in out
    assert "now reads: Eight people" in out

    code, out, _ = run(db_path, "export", "-f", "markdown")
    assert code == 0
    assert "- Corroborated by: “Seven were shot” — *개천 공개재판* (no date)" in out
    assert "- Grade: B2 — source B (usually reliable) · credibility 2 (probably true)" in out
    assert "- Was: “Seven people were executed in Kaecheon on Monday”" in out and "**Review:**" in out

    code, out, _ = run(db_path, "review", "--done", claim.uuid)
    assert code == 0 and "reviewed" in out
    assert run(db_path, "review")[2].strip() == "Nothing to review."
