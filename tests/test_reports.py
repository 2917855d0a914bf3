"""Reports an analyst files (issue 17): the brief with links, grouping and citations, the CSV's
link and context columns, the library-wide report, undated articles; Markdown escaping (issue 16
item 15)."""

from __future__ import annotations

import csv as csv_module
import io
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkreader.cli import main
from nkreader.domain import Annotation, Article, Kind, LinkType, Status, new_uuid, utcnow
from nkreader.export import markdown
from nkreader.export.evidence import text_fragment_url
from nkreader.export.native import ArticleExport
from nkreader.services.exporting import render
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.links import link
from nkreader.services.reporting import library_report

HYESAN = (
    "Rice prices in Hyesan rose above 7,000 won per kilogram in mid-August, a source in Ryanggang said.\n\n"
    "Corn reached 3,450 won per kilogram.\n"
)
KAECHON = "Traders in Hyesan said rice sold for 7,200 won on Aug. 20.\n\nOthers said prices had fallen.\n"


@pytest.fixture
def analysed(library: Library, tmp_path: Path) -> Library:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: Rice tops 7,000 won\nsource: Yalu Ledger\npublished: 2025-08-21\n"
        "url: https://example.org/hyesan?id=1\n---\n" + HYESAN,
        encoding="utf-8",
    )
    (folder / "b.md").write_text(
        "---\ntitle: Market talk\nsource: Daily Hyesan\n---\n" + KAECHON, encoding="utf-8"
    )
    import_paths(library, [folder])
    ids = {s.title: s.id for s in library.summaries()}
    a, b = ids["Rice tops 7,000 won"], ids["Market talk"]
    body_a, body_b = library.article(a).body, library.article(b).body
    claim = library.annotate(
        a, Kind.CLAIM, 0, body_a.index(", a source"), speaker="a source in Ryanggang", note="===\nsee ---"
    )
    claim = library.edit(claim, status=Status.CORROBORATED, tags=["prices"])
    corn = library.annotate(a, Kind.CLAIM, body_a.index("Corn"), body_a.rindex("kilogram.") + 9)
    support = library.annotate(b, Kind.CLAIM, 0, body_b.index("\n"), speaker="traders")
    support = library.edit(support, status=Status.DISPUTED, tags=["Prices"])
    fallen = library.annotate(b, Kind.CLAIM, body_b.index("Others"), len(body_b.rstrip()))
    link(library, support.uuid, claim.uuid, LinkType.CORROBORATES)
    link(library, fallen.uuid, claim.uuid, LinkType.CONTRADICTS)
    del corn
    return library


def test_brief_groups_claims_by_status_with_links_and_citations(analysed: Library) -> None:
    a = next(s.id for s in analysed.summaries() if s.title == "Rice tops 7,000 won")
    text = render(analysed, "markdown", article_ids=[a]).text
    claims = text[text.index("## Claims") :]
    assert claims.index("### Corroborated (1)") < claims.index("### Unverified (1)")
    assert "- Status:" not in claims  # the heading says it, claims do not repeat it
    # the links reach the brief, with the other article, though only this article is exported
    assert (
        "- Corroborated by: “Traders in Hyesan said rice sold for 7,200 won on Aug. 20.” — *Market talk* "
        "(Daily Hyesan, no date)" in text
    )
    assert (
        "- Contradicted by: “Others said prices had fallen.” — *Market talk* (Daily Hyesan, no date)" in text
    )
    assert "- Speaker: a source in Ryanggang" in text
    cite = next(line for line in text.splitlines() if line.startswith("- Cite:") and "Rice%20prices" in line)
    assert cite.startswith(
        "- Cite: “Rice tops 7,000 won”, Yalu Ledger, 2025-08-21, <https://example.org/hyesan?id=1#:~:text="
    )
    assert "## Sources" in text and "- a source in Ryanggang: 1 claim (1 corroborated)" in text


def test_undated_article_says_no_date(analysed: Library) -> None:
    b = next(s.id for s in analysed.summaries() if s.title == "Market talk")
    text = render(analysed, "markdown", article_ids=[b]).text
    assert "- Date: no date" in text
    assert utcnow().date().isoformat() not in text.split("-->", 1)[1]  # never the import date


def test_text_fragment_urls() -> None:
    url = text_fragment_url("https://x.org/a#top", "short-lived, & gone")
    assert url == "https://x.org/a#top:~:text=short%2Dlived%2C%20%26%20gone"
    long = " ".join(f"w{i}" for i in range(30))
    assert (
        text_fragment_url("https://x.org/a", long)
        == "https://x.org/a#:~:text=w0%20w1%20w2%20w3%20w4,w25%20w26%20w27%20w28%20w29"
    )


def test_csv_carries_links_and_context(analysed: Library) -> None:
    text = render(analysed, "csv").text
    rows = list(csv_module.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    claim = next(r for r in rows if r["speaker"] == "a source in Ryanggang")
    assert claim["prefix"] == "" and claim["suffix"].startswith(", a source in Ryanggang said.")
    relations = sorted(entry.split(" ")[0] for entry in claim["links"].split("; "))
    assert relations == ["contradicted-by", "corroborated-by"]
    assert (
        "Corroborated by: “Traders in Hyesan said rice sold for 7,200 won on Aug. 20.” — Market talk (Daily Hyesan, no date)"
        in claim["linked_passages"].splitlines()
    )
    support = next(r for r in rows if r["speaker"] == "traders")
    assert support["links"].startswith("corroborates ") and support["article_published"] == ""


def test_markdown_escapes_setext_underlines_and_unsafe_links() -> None:
    body = "A heading?\n===\nA rule?\n---\n+ not a list\n    not code\n![img](x)"
    article = Article(1, new_uuid(), "T", body, "h", url="javascript:alert(document.cookie)")
    annotation = Annotation(1, new_uuid(), 1, Kind.QUOTE, 0, len(body), body, note="line\n===\n---\n- x")
    text = markdown.render([ArticleExport(article, [annotation])], exported_at=utcnow())
    assert (
        "> A heading?\n> \\===\n> A rule?\n> \\---\n> \\+ not a list\n> &nbsp;&nbsp;&nbsp;&nbsp;not code\n> \\!\\[img\\](x)"
        in text
    )
    assert "- Note: line  \n  \\===  \n  \\---  \n  \\- x" in text
    assert "<javascript:" not in text and "](javascript" not in text
    assert "- Link: javascript:alert(document.cookie)" in text
    # rendered, nothing became a heading, a rule, a list, code, an image or a link
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(text)
    assert re.findall(r"<h\d>(.*?)</h\d>", html) == ["T", "Quotes"]
    for tag in ("<hr", "<code>", "<pre>", "<img", "<a href", "<li>not a list", "<li>x"):
        assert tag not in html, tag
    assert "A heading?\n===\nA rule?\n---\n+ not a list\n\u00a0\u00a0\u00a0\u00a0not code\n![img](x)" in html


def test_library_report(analysed: Library) -> None:
    text = library_report(analysed)
    assert "- Articles: 2 (1 undated)" in text
    assert "- Claims: 1 corroborated, 1 disputed, 0 refuted, 2 unverified" in text
    corroborated = text[text.index("## Corroborated (1)") : text.index("## Disputed")]
    assert "### Rice tops 7,000 won — Yalu Ledger, 2025-08-21" in corroborated
    assert "- Corroborated by: “Traders" in corroborated and "- Contradicted by: “Others" in corroborated
    disputed = text[text.index("## Disputed (1)") : text.index("## Refuted")]
    assert (
        "### Market talk — Daily Hyesan, no date" in disputed and "- Corroborates: “Rice prices" in disputed
    )
    assert "## Refuted (0)\n\nNone." in text
    unverified = text[text.index("## Unverified, with linked evidence (1)") : text.index("## By source")]
    assert "Others said prices had fallen." in unverified and "Corn" not in unverified
    assert "1 unverified claims without linked evidence are not listed." in text
    assert "| a source in Ryanggang | — | 1 | 0 | 0 | 0 | 0 | 0 |" in text
    assert "| Yalu Ledger | 1 | 1 | 0 | 0 | 1 |" in text


def test_library_report_filters(analysed: Library) -> None:
    text = library_report(analysed, since=date(2025, 8, 1))
    assert "- Articles: 1 (0 undated); 1 undated articles left out by the date filter" in text
    assert "Market talk" not in text.split("## Corroborated", 1)[1].split("- Corroborated by")[0]
    tagged = library_report(analysed, tag="prices")
    assert "- Claims: 1 corroborated, 1 disputed, 0 refuted, 0 unverified" in tagged  # any case


def test_report_command(analysed: Library, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["report", "--db", analysed.location, "--tag", "prices"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!-- nkreader report")
    result = runner.invoke(main, ["report", "--db", analysed.location, "--since", "2025-13-01"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    target = tmp_path / "report.md"
    result = runner.invoke(main, ["report", "--db", analysed.location, "-o", str(target)])
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("<!-- nkreader report")
