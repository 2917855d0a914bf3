"""Graded sources and entities with variants (issue 17), through the services and the exports."""

from __future__ import annotations

import csv as csv_module
import io
from pathlib import Path

import pytest

from nkreader.analysis import EntityKind
from nkreader.domain import Kind, Status
from nkreader.services import entities, sources
from nkreader.services.exporting import render
from nkreader.services.importing import import_paths
from nkreader.services.interchange import export_brat_folder, render_qdpx
from nkreader.services.library import Library
from nkreader.services.search import search
from nkreader.services.speakers import add_alias

FIRST = (
    "Public trial in Kaecheon\n\n"
    "A public trial was held in Kaecheon on Monday, an additional source in North Hamgyong Province said.\n\n"
    "Residents of Kaechon were made to watch, the source added.\n"
)
SECOND = "개천 공개재판\n\n개천에서 공개재판이 열렸다고 소식통이 전했다.\n"
THIRD = "Prices in Chongjin\n\nRice rose again, a North Hamgyong Province-based source told us.\n"


@pytest.fixture
def graded(library: Library, tmp_path: Path) -> Library:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "first.md").write_text(
        "---\ntitle: Public trial in Kaecheon\npublished: 2025-03-02\n---\n" + FIRST.split("\n\n", 1)[1],
        encoding="utf-8",
    )
    (folder / "second.txt").write_text(SECOND, encoding="utf-8")
    (folder / "third.md").write_text(
        "---\ntitle: Prices in Chongjin\npublished: 2025-04-10\n---\n" + THIRD.split("\n\n", 1)[1],
        encoding="utf-8",
    )
    import_paths(library, [folder])
    ids = {s.title: s.id for s in library.summaries()}
    first, third = ids["Public trial in Kaecheon"], ids["Prices in Chongjin"]
    body = library.article(first).body
    claim = library.annotate(
        first, Kind.CLAIM, 0, body.index(","), speaker="an additional source in North Hamgyong Province"
    )
    library.edit(claim, status=Status.CORROBORATED)
    library.annotate(
        first,
        Kind.QUOTE,
        body.index("Residents"),
        body.index(", the source"),
        speaker="an additional source in North Hamgyong Province",
    )
    t_body = library.article(third).body
    library.annotate(
        third, Kind.CLAIM, 0, t_body.index(","), speaker="a North Hamgyong Province-based source"
    )
    return library


def _claim(library: Library, title: str):
    article = next(s.id for s in library.summaries() if s.title == title)
    return next(a for a in library.annotations(article) if a.kind is Kind.CLAIM)


def test_grade_a_source_and_its_passages(graded: Library) -> None:
    profile = sources.grade(
        graded, "an additional source in North Hamgyong Province", sources.parse_reliability("b")
    )
    assert profile.reliability == "B" and profile.anonymous and profile.label.startswith("S")
    claim = _claim(graded, "Public trial in Kaecheon")
    sources.set_credibility(graded, claim.uuid, sources.parse_credibility("2"))
    with pytest.raises(sources.SourceError, match="A–F"):
        sources.parse_reliability("G")
    with pytest.raises(sources.SourceError, match="1–6"):
        sources.parse_credibility("7")
    (entry,) = [e for e in sources.register(graded) if e.name.startswith("an additional")]
    assert (entry.reliability, entry.claims, entry.quotes, entry.articles) == ("B", 1, 1, 1)
    assert entry.first_seen.isoformat() == entry.last_seen.isoformat() == "2025-03-02"
    assert entry.credibility == {2: 1}
    # every export carries the grades
    markdown = render(graded, "markdown").text
    assert "- Grade: B2 — source B (usually reliable) · credibility 2 (probably true)" in markdown
    assert f"- Speaker: an additional source in North Hamgyong Province ({profile.label})" in markdown
    rows = list(csv_module.DictReader(io.StringIO(render(graded, "csv").text.lstrip("\ufeff"))))
    row = next(r for r in rows if r["annotation_uuid"] == claim.uuid)
    assert (row["source_reliability"], row["credibility"]) == ("B", "2")
    import zipfile

    project = zipfile.ZipFile(io.BytesIO(render_qdpx(graded).data)).read("project.qde").decode()
    assert "B — usually reliable" in project and "2 — probably true" in project


def test_brat_carries_credibility_back(graded: Library, tmp_path: Path) -> None:
    from nkreader.services.annotation_import import import_annotation_file

    sources.grade(graded, "an additional source in North Hamgyong Province", "C")
    claim = _claim(graded, "Public trial in Kaecheon")
    sources.set_credibility(graded, claim.uuid, 3)
    export_brat_folder(graded, tmp_path / "brat")
    ann = next((tmp_path / "brat").glob("*kaecheon*.ann")).read_text(encoding="utf-8")
    assert "\tReliability T1 C" in ann and "\tCredibility T1 3" in ann
    fresh = Library.open(str(tmp_path / "fresh.db"))
    try:
        import_annotation_file(fresh, tmp_path / "brat")
        from nkreader.services.sources import grades_for

        assert grades_for(fresh, [claim.uuid]).credibility == {claim.uuid: 3}
    finally:
        fresh.close()


def test_merge_two_anonymous_sources_or_keep_them_apart(graded: Library) -> None:
    a, b = "an additional source in North Hamgyong Province", "a North Hamgyong Province-based source"
    sources.grade(graded, b, "C", note="works at the market")
    assert [(x, y) for x, y, _ in sources.possible_duplicates(graded)] in ([(a, b)], [(b, a)])
    assert sources.keep_apart(graded, a, b) is True
    assert sources.possible_duplicates(graded) == []
    changed = sources.merge(graded, a, b)
    assert changed == 1
    (entry,) = [e for e in sources.register(graded) if "Hamgyong" in e.name]
    assert entry.name == a and b in entry.aliases
    assert (entry.claims, entry.quotes, entry.articles) == (2, 1, 2)
    assert entry.reliability == "C" and entry.profile.note == "works at the market"
    assert (entry.first_seen.isoformat(), entry.last_seen.isoformat()) == ("2025-03-02", "2025-04-10")
    with pytest.raises(sources.SourceError, match="already one source"):
        sources.merge(graded, b, a)


def test_a_grade_given_to_an_alias_goes_to_the_speaker(graded: Library) -> None:
    add_alias(graded, "an additional source in North Hamgyong Province", "NH source")
    profile = sources.grade(graded, "NH source", "A")
    assert profile.name == "an additional source in North Hamgyong Province"


def test_one_entity_three_spellings_and_search_finds_all(graded: Library) -> None:
    before = {h.article_title for h in search(graded, "Kaechon")}
    assert before == {"Public trial in Kaecheon"}  # only through "Kaechon" in its text
    entity = entities.add(graded, "Kaecheon", "place", ["Kaechon"])
    entities.add(graded, "개천", EntityKind.PLACE)
    merged = entities.merge(graded, "Kaecheon", "개천")
    assert merged.variants == ["Kaecheon", "Kaechon", "개천"] and merged.id == entity.id
    assert entities.query_alternatives(graded, "kaechon trial") == [
        "Kaecheon trial",
        "Kaechon trial",
        "개천 trial",
    ]
    found = search(graded, "Kaechon")
    assert {h.article_title for h in found} == {"Public trial in Kaecheon", "개천 공개재판"}
    assert {h.article_title for h in search(graded, "kaechon trial")} == {"Public trial in Kaecheon"}
    with pytest.raises(entities.EntityError, match="already a spelling of 'Kaecheon'"):
        entities.add(graded, "KAECHON", "place")
    with pytest.raises(entities.EntityError, match="person, a place or an org"):
        entities.add(graded, "Pyongyang", "city")
    assert [e.name for e in entities.entities(graded)] == ["Kaecheon"]


def test_expand_query_leaves_syntax_alone(graded: Library) -> None:
    entities.add(graded, "Kaecheon", "place", ["Kaechon", "개천"])
    expand = lambda q: entities.expand_query(graded, q)  # noqa: E731
    assert expand("Kaechon market") == "(Kaecheon OR Kaechon OR 개천) market"
    assert expand('"kaecheon" OR x') == "(Kaecheon OR Kaechon OR 개천) OR x"
    for untouched in ("Kae*", "title:Kaechon", "NEAR(Kaechon trial)", "-Kaechon", "nothing here"):
        assert expand(untouched) == untouched


def test_mentions_of_an_entity(graded: Library) -> None:
    entity = entities.add(graded, "Kaecheon", "place", ["Kaechon", "개천"])
    body = "In Kaecheon (KAECHON to some) and 개천에서, not Kaechonese."
    spans = entities.mentions(body, entity)
    assert [body[s:e] for s, e in spans] == ["Kaecheon", "KAECHON", "개천"]


def test_browser_text_filter_expands_entity_names(graded: Library) -> None:
    from nkreader.domain import BrowseFilter
    from nkreader.services.browse import browse

    second = next(s.id for s in graded.summaries() if s.title == "개천 공개재판")
    body = graded.article(second).body
    graded.annotate(second, Kind.CLAIM, body.index("개천에서"), body.index("열렸다") + 3)
    rows, _ = browse(graded, BrowseFilter(text="Kaechon"))
    assert len(rows) == 1  # "Residents of Kaechon …" (a quote)
    entities.add(graded, "Kaecheon", "place", ["Kaechon", "개천"])
    rows, total = browse(graded, BrowseFilter(text="Kaechon"))
    # the claim that spells it Kaecheon is found now; a two-letter Hangul spelling inside a word
    # (개천에서) is beyond an OR group on the trigram tables: search finds it, the browser not yet
    assert total == 2 and {r.excerpt[:9] for r in rows} == {"A public ", "Residents"}
    hits = search(graded, "Kaechon", scope="annotations")
    assert {h.article_title for h in hits} == {"Public trial in Kaecheon", "개천 공개재판"}
