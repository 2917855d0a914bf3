"""Full-text search (issue 6): syntax, Korean substrings, exact offsets, snippets, the CLI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nkreader.cli import main
from nkreader.domain import Kind
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.search import SearchError, search

KOREAN = "청진 수남시장 쌀값"


@pytest.fixture
def samples(any_library: Library) -> Library:
    """The sample articles, on SQLite and on PostgreSQL in turn."""
    import_paths(any_library, [SAMPLES])
    return any_library


def article_id(library: Library, title_start: str) -> int:
    return next(s.id for s in library.summaries() if s.title.startswith(title_start))


def snippet_text(hit) -> str:
    return "".join(piece for piece, _ in hit.snippet)


def matched(hit) -> list[str]:
    return [piece for piece, on in hit.snippet if on]


def check_offset(library: Library, hit, words: list[str]) -> None:
    """The offset is where one of `words` starts in the body, in code points."""
    body = library.article(hit.article_id).body
    assert any(body[hit.offset : hit.offset + len(w)].casefold() == w.casefold() for w in words), body[
        hit.offset : hit.offset + 30
    ]


def test_phrase_finds_articles_and_annotations(samples: Library) -> None:
    target = article_id(samples, "Respected Comrade")
    body = samples.article(target).body
    start = body.index("Central Committee")
    samples.annotate(target, Kind.POLICY, start, start + len("Central Committee of the Workers"))
    hits = search(samples, '"Central Committee"')
    kinds = {h.kind for h in hits}
    assert kinds == {"article", "annotation"}
    for hit in hits:
        assert "central committee" in snippet_text(hit).casefold()
        assert any(m.casefold() == "central committee" for m in matched(hit))
        check_offset(samples, hit, ["Central Committee"])
    assert hits == sorted(hits, key=lambda h: -h.rank)


def test_prefix_and_boolean_operators(samples: Library) -> None:
    prefix = search(samples, "econom*", scope="articles")
    assert prefix
    for hit in prefix:
        assert any(m.casefold().startswith("econom") for m in matched(hit))
        check_offset(samples, hit, ["econom"])
    rice = {h.article_id for h in search(samples, "rice", scope="articles")}
    market = {h.article_id for h in search(samples, "market", scope="articles")}
    assert {h.article_id for h in search(samples, "rice AND market", scope="articles")} == rice & market
    assert {h.article_id for h in search(samples, "rice market", scope="articles")} == rice & market
    assert {h.article_id for h in search(samples, "rice OR market", scope="articles")} == rice | market
    assert {h.article_id for h in search(samples, "market NOT rice", scope="articles")} == market - rice
    grouped = {h.article_id for h in search(samples, "(rice OR trial) market", scope="articles")}
    trial = {h.article_id for h in search(samples, "trial", scope="articles")}
    assert grouped == (rice | trial) & market


def test_column_filter_and_punctuated_words(samples: Library) -> None:
    hits = search(samples, "title:trial")
    assert hits and all(h.kind == "article" and "trial" in h.article_title.casefold() for h in hits)
    # a word with a hyphen is quoted for the user, not read as syntax
    assert search(samples, "Jong-un") is not None


@pytest.mark.parametrize("query", ["쌀값", "수남", "수남시장", "쌀값 청진"])
def test_korean_substrings_find_the_korean_sample(samples: Library, query: str) -> None:
    hits = search(samples, query, scope="articles")
    korean = article_id(samples, KOREAN)
    assert korean in {h.article_id for h in hits}
    hit = next(h for h in hits if h.article_id == korean)
    body = samples.article(korean).body
    first = min(body.find(w) for w in query.split() if w in body)
    assert hit.offset == first
    assert body[hit.offset : hit.offset + len(query.split()[0])] in query.split()
    assert any(m in query.split() for m in matched(hit))


def test_korean_substring_in_annotations(samples: Library) -> None:
    korean = article_id(samples, KOREAN)
    body = samples.article(korean).body
    start = body.index("수남시장")
    samples.annotate(korean, Kind.CLAIM, start, start + 20, speaker="김정은", tags=["쌀값동향"])
    for query in ("수남", "남시장", "쌀값", "김정"):
        hits = search(samples, query, scope="annotations")
        assert [h.annotation_kind for h in hits] == [Kind.CLAIM], query
        assert hits[0].offset == start


def test_offsets_are_exact_code_points(samples: Library) -> None:
    # text with characters outside the BMP before the match: code points, not UTF-16 or bytes
    from nkreader.domain import ArticleDraft
    from nkreader.services.library import content_hash
    from nkreader.store.articles import add_article

    body = "😀😀 emoji first. Then the Needle appears, and a needle again."
    with samples.database.writing() as session:
        add_article(session, ArticleDraft(title="Emoji", body=body), content_hash(body))
    hit = next(h for h in search(samples, "needle") if h.article_title == "Emoji")
    assert hit.offset == body.index("Needle")
    assert matched(hit) == ["Needle", "needle"]


def test_snippet_is_one_line_from_the_stored_text(samples: Library) -> None:
    from nkreader.domain import ArticleDraft
    from nkreader.services.library import content_hash
    from nkreader.store.articles import add_article

    body = "First paragraph.\n\n[bold]markup[/bold] stays text and the keyword is here.\n\n" + "x " * 200
    with samples.database.writing() as session:
        add_article(session, ArticleDraft(title="Markup", body=body), content_hash(body))
    hit = next(h for h in search(samples, "keyword") if h.article_title == "Markup")
    text = snippet_text(hit)
    assert "\n" not in text
    assert "[bold]markup[/bold]" in text
    assert len(text) <= 130


@pytest.mark.parametrize("query", ['"unclosed', "(rice", "rice OR", "AND", "nosuchcolumn:rice", "*", "  "])
def test_a_bad_query_is_one_line(samples: Library, query: str) -> None:
    with pytest.raises(SearchError) as info:
        search(samples, query)
    assert "\n" not in str(info.value) and str(info.value)


def test_kind_filter_and_scope(samples: Library) -> None:
    target = article_id(samples, "Respected Comrade")
    body = samples.article(target).body
    start = body.index("Central Committee")
    quote = samples.annotate(target, Kind.QUOTE, start, start + 40)
    samples.annotate(target, Kind.CLAIM, start, start + 40)
    quotes = search(samples, '"Central Committee"', kind=Kind.QUOTE)
    assert [(h.kind, h.annotation_uuid) for h in quotes] == [("annotation", quote.uuid)]
    articles = search(samples, '"Central Committee"', scope="articles")
    assert articles and all(h.kind == "article" for h in articles)
    assert len(search(samples, "the", limit=3)) == 3


def test_trigram_tables_exist() -> None:
    assert sqlite3.sqlite_version_info >= (3, 34)


def run(db: Path | str, *args: str):
    return CliRunner().invoke(main, ["search", "--db", str(db), *args], catch_exceptions=False)


def test_cli_search(samples: Library, db_url: str) -> None:
    result = run(db_url, "쌀값")
    assert result.exit_code == 0
    assert KOREAN in result.output
    assert "쌀값" in result.output
    result = run(db_url, '"Central Committee"', "--in", "articles", "--limit", "1")
    assert result.exit_code == 0
    assert result.output.count("\n") == 2
    assert run(db_url, "zzzzqqq").exit_code == 1
    bad = run(db_url, '"unclosed')
    assert bad.exit_code == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_cli_search_never_parses_markup(any_library: Library, db_url: str) -> None:
    from nkreader.domain import ArticleDraft
    from nkreader.services.library import content_hash
    from nkreader.store.articles import add_article

    body = "The [bold red]needle[/] and [link=x]more[/link] are plain text."
    with any_library.database.writing() as session:
        add_article(session, ArticleDraft(title="[b]Title[/b]", body=body), content_hash(body))
    result = run(db_url, "needle")
    assert result.exit_code == 0
    assert "[bold red]needle[/]" in result.output
    assert "[b]Title[/b]" in result.output


def test_upgrading_an_existing_library_indexes_its_articles(samples: Library) -> None:
    from nkreader.store import migrate

    engine = samples.database.engine
    migrate.downgrade(engine, "0003")
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    korean = article_id(samples, KOREAN)
    assert korean in {h.article_id for h in search(samples, "수남시장")}
