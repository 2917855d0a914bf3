"""nkreader.ingest: the hostile corpus, each format's details, file discovery and limits."""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from ingest_cases import CASES, EXPECTED, KOREAN_BODY, KOREAN_TITLE, write_hostile_corpus
from nkreader.domain import ArticleDraft
from nkreader.ingest import (
    SUPPORTED_SUFFIXES,
    IngestError,
    ReadResult,
    iter_input_files,
    read_bytes,
    read_file,
)

FORBIDDEN = {
    *map(chr, range(0x00, 0x0A)),
    *map(chr, range(0x0B, 0x20)),
    *map(chr, range(0x7F, 0xA0)),
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u2028",
    "\u2029",
}

REFUSALS = {
    "binary.txt": "binary data",
    "empty.txt": "file is empty",
    "whitespace_only.txt": "only whitespace",
    "nul_inside.txt": "NUL",
    "controls_only.txt": "control characters",
    "title_only.txt": "no text after the title",
    "single_line_2mb.txt": "no text after the title",
    "too_large.txt": "too large",
    "broken_front_matter.md": "front matter is not valid YAML: line 3",
    "unclosed_front_matter.md": "front matter has no closing",
    "malformed.json": "malformed JSON: line 1 column 33",
    "json_wrong_shape.json": "expected an article object",
    "json_all_bad.json": 'none of the 3 entries is a usable article; #1: missing "title"',
    "malformed_feed.xml": "malformed XML: line 5",
    "xxe_feed.rss": "XML entity declarations are not allowed",
    "billion_laughs.xml": "XML entity declarations are not allowed",
    "deep_nesting.html": "nested too deeply",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ReadResult | IngestError]:
    folder = tmp_path_factory.mktemp("corpus")
    expectations = write_hostile_corpus(folder)
    assert set(expectations) == set(CASES) == {p.name for p in folder.iterdir()}
    outcomes: dict[str, ReadResult | IngestError] = {}
    for path in iter_input_files([folder]):
        try:
            outcomes[path.name] = read_file(path)
        except IngestError as error:
            outcomes[path.name] = error
    return outcomes


def drafts_of(corpus: dict[str, ReadResult | IngestError], name: str) -> list[ArticleDraft]:
    outcome = corpus[name]
    assert isinstance(outcome, ReadResult), f"{name} was refused: {outcome}"
    return outcome.drafts


# --- the hostile corpus ---------------------------------------------------------------------


def test_every_case_has_its_outcome(tmp_path: Path, corpus: dict[str, ReadResult | IngestError]) -> None:
    expectations = write_hostile_corpus(tmp_path)
    assert set(corpus) == set(expectations)
    for name, expected in expectations.items():
        outcome = "refused" if isinstance(corpus[name], IngestError) else "ok"
        assert outcome == expected, (name, corpus[name])
    assert set(REFUSALS) == {n for n, o in expectations.items() if o == "refused"}
    assert set(EXPECTED) == {n for n, o in expectations.items() if o == "ok"}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_refusal_names_the_problem_in_one_line(
    corpus: dict[str, ReadResult | IngestError], name: str
) -> None:
    error = corpus[name]
    assert isinstance(error, IngestError)
    reason = str(error)
    assert REFUSALS[name] in reason
    assert reason.isprintable() and "\n" not in reason and "Traceback" not in reason
    assert len(reason) < 200
    assert error.path is not None and error.path.endswith(name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_good_files_give_title_and_body(corpus: dict[str, ReadResult | IngestError], name: str) -> None:
    title, phrase = EXPECTED[name]
    first = drafts_of(corpus, name)[0]
    assert first.title == title
    assert phrase in first.body
    assert first.origin is not None and first.origin.split("#")[0].endswith(name)
    assert first.origin_format in {"text", "markdown", "html", "json", "feed"}


def test_no_control_character_survives_anywhere(corpus: dict[str, ReadResult | IngestError]) -> None:
    checked = 0
    for outcome in corpus.values():
        if isinstance(outcome, IngestError):
            continue
        for draft in outcome.drafts:
            for field in fields(draft):
                value = getattr(draft, field.name)
                if isinstance(value, str):
                    assert not FORBIDDEN & set(value), (draft.origin, field.name, value[:80])
                    if field.name != "body":
                        assert "\n" not in value
                    checked += 1
    assert checked > 40


def test_escape_payloads_are_gone(corpus: dict[str, ReadResult | IngestError]) -> None:
    body = drafts_of(corpus, "ansi_escapes.txt")[0].body
    for payload in (
        "pwned",
        "other title",
        "cm0gLXJmIH4vKg",
        "evil.example",
        "2J",
        "c1 title",
        "sixel",
        "apc",
    ):
        assert payload not in body
    assert "click here end." in body and "next line" in body


def test_rich_markup_is_kept_literally(corpus: dict[str, ReadResult | IngestError]) -> None:
    draft = drafts_of(corpus, "rich_markup.txt")[0]
    assert draft.title == "[bold]Rich[/] title"
    assert draft.body == "[bold]x[/] and [/nope] and [@click=app.quit]click[/] stay literal."


def test_korean_is_decoded(corpus: dict[str, ReadResult | IngestError]) -> None:
    for name in ("euc_kr.txt", "euc_kr.html"):
        draft = drafts_of(corpus, name)[0]
        assert (draft.title, draft.body) == (KOREAN_TITLE, KOREAN_BODY)


def test_text_paragraphs_flow(corpus: dict[str, ReadResult | IngestError]) -> None:
    assert drafts_of(corpus, "hard_wrapped.txt")[0].body == (
        "A source said that seven people were sentenced to forced labour in a public trial held last week."
        "\n\nSecond paragraph indented and with tabs."
    )
    assert drafts_of(corpus, "utf8_bom_crlf.txt")[0].body == "First paragraph line two.\n\nSecond paragraph."


def test_list_with_a_bad_entry_keeps_the_good_ones(corpus: dict[str, ReadResult | IngestError]) -> None:
    result = corpus["list_one_bad.json"]
    assert isinstance(result, ReadResult)
    assert [d.title for d in result.drafts] == ["First good", "Third good"]
    assert [d.origin.rsplit("#", 1)[1] for d in result.drafts if d.origin] == ["1", "3"]
    assert result.errors == ['#2: missing "title"']


def test_page_metadata_and_no_boilerplate(corpus: dict[str, ReadResult | IngestError]) -> None:
    draft = drafts_of(corpus, "article.html")[0]
    assert (draft.source, draft.author, draft.url, draft.published, draft.language) == (
        "Example News",
        "Jane Reporter",
        "https://example.org/news/seven-sentenced",
        date(2024, 3, 5),
        "en",
    )
    assert draft.body.count("\n\n") == 2  # three paragraphs, the <h1> went to the title
    for chrome in ("Home", "Share on", "Related stories", "Copyright", "trackReader", "pwned", "color: red"):
        assert chrome not in draft.body


def test_feed_entries(corpus: dict[str, ReadResult | IngestError]) -> None:
    one, two = drafts_of(corpus, "feed.rss")
    assert one.body == "Paragraph one of entry one.\n\nParagraph two with bold and a link.\n\n• item"
    assert (one.source, one.author, one.url, one.published, one.language) == (
        "Example Feed",
        "Reporter One",
        "https://example.org/1",
        date(2024, 3, 5),
        "en",
    )
    assert (one.origin_format, two.title, two.body) == ("feed", "RSS entry two", "Only a description.")
    assert two.origin and two.origin.endswith("feed.rss#2")
    (atom,) = drafts_of(corpus, "feed.atom")
    assert (atom.title, atom.author, atom.published, atom.source) == (
        "Atom entry",
        "Atom Author",
        date(2024, 3, 4),
        "Example Atom",
    )


def test_markdown_front_matter_and_rendering(corpus: dict[str, ReadResult | IngestError]) -> None:
    draft = drafts_of(corpus, "article.md")[0]
    assert (draft.source, draft.author, draft.url, draft.published, draft.language) == (
        "Example News",
        "Jane Reporter",
        "https://example.org/md",
        date(2024, 3, 5),
        "en",
    )
    assert draft.body.split("\n\n") == [
        "A heading that is not the title",
        "Some emphasis, strong and a link.",
        "• first item",
        "• second item",
        "1. one",
        "2. two",
        "code stays as text",
    ]
    assert drafts_of(corpus, "yaml_alias_bomb.md")[0].author is None  # a list of lists is not text


def test_native_export_and_json_metadata(corpus: dict[str, ReadResult | IngestError]) -> None:
    (exported,) = drafts_of(corpus, "native_export.json")
    assert exported.body == "Exported body.\n\nSecond paragraph."
    assert exported.origin and exported.origin.endswith("native_export.json#1")
    (article,) = drafts_of(corpus, "article.json")
    assert article.published == date(2024, 3, 5) and article.origin_format == "json"
    assert article.origin and article.origin.endswith("article.json")  # one object: no '#n'


def test_whole_corpus_reads_quickly(tmp_path: Path) -> None:
    write_hostile_corpus(tmp_path)
    started = time.perf_counter()
    for path in iter_input_files([tmp_path]):
        with contextlib.suppress(IngestError):
            read_file(path)
    assert time.perf_counter() - started < 5


# --- formats in detail --------------------------------------------------------------------


def read(tmp_path: Path, name: str, data: bytes | str, **kwargs: int) -> ReadResult:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return read_file(path, **kwargs)


def refused(tmp_path: Path, name: str, data: bytes | str) -> str:
    with pytest.raises(IngestError) as caught:
        read(tmp_path, name, data)
    return str(caught.value)


def test_text_title_is_the_first_non_empty_line(tmp_path: Path) -> None:
    (draft,) = read(tmp_path, "a.txt", "\n\n  \x1b[1mThe\ttitle\x1b[0m  \nBody.\n").drafts
    assert (draft.title, draft.body, draft.origin_format) == ("The title", "Body.", "text")
    assert draft.origin == str(tmp_path / "a.txt")


def test_markdown_title_from_heading_or_file_name(tmp_path: Path) -> None:
    (draft,) = read(tmp_path, "a.md", "Intro.\n\n# The *title*\n\nText.\n\n# Second h1\n").drafts
    assert draft.title == "The title"
    assert draft.body == "Intro.\n\nText.\n\nSecond h1"
    (draft,) = read(tmp_path, "rice_prices-2024.md", "Just text, no heading.\n").drafts
    assert draft.title == "rice prices 2024"


def test_markdown_drops_html_and_images_keeps_tables(tmp_path: Path) -> None:
    source = (
        "---\ntitle: T\npublished: 2024-03-05T10:00:00+09:00\nauthor: [A, B]\n---\n"
        "<script>alert(1)</script>\n\nText ![alt text](x.png) <b>bold</b> `code` and [link](http://x).\n\n"
        "> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n    indented code\n"
    )
    (draft,) = read(tmp_path, "a.md", source).drafts
    assert draft.body.split("\n\n") == [
        "Text bold code and link.",
        "quoted",
        "a | b",
        "1 | 2",
        "indented code",
    ]
    assert (draft.published, draft.author) == (date(2024, 3, 5), "A, B")


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("title: [unclosed\n", "front matter is not valid YAML: line 2"),
        ("- just\n- a list\n", "front matter is not valid YAML: expected 'key: value' lines"),
        ("a: " + "[" * 2000 + "\n", "front matter is not valid YAML: nested too deeply"),
    ],
    ids=["syntax", "not-a-mapping", "deep"],  # a bad date is named, not refused: test_hardening_ingest
)
def test_bad_front_matter(tmp_path: Path, front: str, reason: str) -> None:
    assert reason in refused(tmp_path, "a.md", f"---\n{front}---\nBody.\n")


def test_json_entry_errors(tmp_path: Path) -> None:
    entries = [
        {"title": "ok", "content": "text"},
        {"title": 5, "body": "x"},
        {"title": "  \x1b[0m ", "body": "x"},
        {"title": "t"},
        {"title": "t", "body": ["x"]},
        {"title": "t", "body": "\x07"},
        {"title": "t", "body": "x", "url": 3},
        {"title": "t", "body": "x", "published": "yesterday"},
        {"title": "t", "body": "x", "published": 2024},
        "a string",
    ]
    result = read(tmp_path, "a.json", json.dumps(entries))
    assert [d.title for d in result.drafts] == ["ok"]
    assert result.errors == [
        '#2: "title" must be a string, not a number',
        '#3: "title" is empty',
        '#4: missing "body" (or "text" or "content")',
        '#5: "body" must be a string, not a list',
        '#6: "body" has no text',
        '#7: "url" must be a string, not a number',
        "#8: \"published\" is not an ISO 8601 date: 'yesterday'",
        '#9: "published" must be an ISO 8601 date string, not a number',
        "#10: an article must be a JSON object, not a string",
    ]


def test_json_whole_file_refusals(tmp_path: Path) -> None:
    assert "nested too deeply" in refused(tmp_path, "a.json", "[" * 100_000 + "]" * 100_000)
    assert "the list is empty" in refused(tmp_path, "a.json", "[]")
    assert '"articles" must be a list' in refused(tmp_path, "a.json", '{"articles": {}}')
    assert 'missing "title"' in refused(tmp_path, "a.json", '{"body": "x"}')


def test_feed_refusals(tmp_path: Path) -> None:
    assert "no entries found" in refused(tmp_path, "a.xml", "<?xml version='1.0'?><note>hi</note>")
    xxe_param = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://x/y.dtd"> %p;]><rss/>'
    assert "XML entity declarations are not allowed" in refused(tmp_path, "b.rss", xxe_param)
    result = read(
        tmp_path,
        "c.rss",
        "<rss version='2.0'><channel><title>F</title><item><title>no text</title></item>"
        "<item><description>Untitled entry whose body gives the title.</description></item></channel></rss>",
    )
    assert result.errors == ["#1: no content or summary text"]
    assert result.drafts[0].title == "Untitled entry whose body gives the title."


def test_feed_with_old_public_doctype_is_read(tmp_path: Path) -> None:
    rss = (
        '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>F</title>'
        "<item><title>T</title><description>Text.</description></item></channel></rss>"
    )
    assert [d.body for d in read(tmp_path, "a.rss", rss).drafts] == ["Text."]


def test_deeply_nested_html_is_refused_quickly(tmp_path: Path) -> None:
    page = "<html><body><p>Start of the article text.</p>" + "<div><span>" * 50_000 + "x</body></html>"
    started = time.perf_counter()
    assert "nested too deeply" in refused(tmp_path, "a.html", page)
    assert time.perf_counter() - started < 2


def test_html_without_article_text(tmp_path: Path) -> None:
    reason = refused(
        tmp_path, "a.html", "<html><head><title>T</title></head><body><script>x()</script></body></html>"
    )
    assert "no article text" in reason or "no text" in reason


# --- files, folders, limits ---------------------------------------------------------------


def test_iter_input_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in [
        "z.txt",
        "a/x.MD",
        "a/y.json",
        "b/c.rss",
        ".hidden/h.txt",
        ".dot.txt",
        "a/notes.xyz",
        "b/noext",
        "README.md",
    ]:
        (tmp_path / name).write_text("x")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    explicit = tmp_path / "a" / "notes.xyz"
    readme = tmp_path / "README.md"
    found = list(iter_input_files([tmp_path, explicit, tmp_path / "z.txt", tmp_path / "missing.txt", readme]))
    assert found == [
        tmp_path / "a" / "x.MD",
        tmp_path / "a" / "y.json",
        tmp_path / "b" / "c.rss",
        tmp_path / "z.txt",
        explicit,
        tmp_path / "missing.txt",
        readme,  # a folder's README is skipped, but read when named
    ]
    assert {
        ".txt",
        ".md",
        ".markdown",
        ".html",
        ".htm",
        ".json",
        ".xml",
        ".rss",
        ".atom",
    } == SUPPORTED_SUFFIXES
    with pytest.raises(IngestError, match=r"^unsupported file type \.xyz$"):
        read_file(explicit)
    with pytest.raises(IngestError, match="no such file"):
        read_file(tmp_path / "missing.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(IngestError, match="not a file"):
        read_file(tmp_path / "folder.txt")


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    data = "Title\n\n" + "text " * 1000
    with pytest.raises(IngestError, match=r"too large \(4\.9 KB; the limit is 1000 bytes\)"):
        read(tmp_path, "a.txt", data, max_bytes=1000)
    assert read(tmp_path, "b.txt", data, max_bytes=10_000).drafts


def test_read_bytes(tmp_path: Path) -> None:
    result = read_bytes(b"Title\n\nBody", "text", origin="https://example.org/a")
    assert result.drafts[0].origin == "https://example.org/a"
    with pytest.raises(IngestError, match="unsupported format"):
        read_bytes(b"x", "pdf", origin="x.pdf")
