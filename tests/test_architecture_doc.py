"""The architecture document is inside the repository, and the code cites it, not a file users lack."""

from __future__ import annotations

import re

from conftest import ROOT

DOC = ROOT / "docs" / "ARCHITECTURE.md"
SOURCES = sorted((ROOT / "src" / "nkreader").rglob("*.py"))


def test_citations_name_sections_that_exist() -> None:
    sections = set(re.findall(r"^## (\d+)\. ", DOC.read_text(encoding="utf-8"), re.M))
    cited = {
        (path.name, number)
        for path in SOURCES
        for number in re.findall(r"ARCHITECTURE\.md §(\d+)", path.read_text(encoding="utf-8"))
    }
    assert cited, "the code should cite docs/ARCHITECTURE.md"
    assert {(name, n) for name, n in cited if n not in sections} == set()


def test_no_source_cites_the_team_shelf() -> None:
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert "DESIGN" not in text and "../shared" not in text, path


def test_the_store_modules_it_describes_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in re.findall(r"^\| `([a-z_]+\.py)`", text, re.M):
        found = list((ROOT / "src" / "nkreader").rglob(name))
        assert found, f"docs/ARCHITECTURE.md describes {name}, which is gone"
