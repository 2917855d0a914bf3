"""Real Korean policy text (the shared New Year addresses, CRLF, ~30 KB each): import, segment, search, read.

Skips cleanly where ../shared is absent (a user's clone has none); CI always has it.
"""

from __future__ import annotations

from pathlib import Path

from conftest import shared_folder
from nkreader.domain import Kind
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.search import search
from nkreader.text.segment import sentence_at, sentence_spans
from nkreader.tui.app import create_app
from nkreader.tui.reader import ReaderView

SENTENCE = "우리는 지울수 없는 또 한번의 력사의 깊은 발자취를 남기며"


def corpus() -> Path:
    return shared_folder("corpora", "nk-new-year-addresses")


def test_addresses_import_with_crlf_normalized_and_sentences_end_in_korean(library: Library) -> None:
    report = import_paths(library, sorted(corpus().glob("20*.txt")))
    assert report.imported == 4 and report.failed == 0
    article_id = next(r.id for r in library.summaries() if "2019" in library.article(r.id).origin)
    body = library.article(article_id).body
    assert "\r" not in body and "\n\n\n" not in body
    start = body.index(SENTENCE)
    first = sentence_at(body, start)
    assert body[first[0] : first[1]].endswith("맞이하였습니다.")
    spans = [s for paragraph in body.split("\n\n") for s in sentence_spans(paragraph)]
    assert len(spans) > 100
    assert sum(paragraph_text.endswith(("다.", "!", "?")) for paragraph_text in body.split("\n\n")) > 50


def test_two_syllable_korean_search_finds_the_addresses(library: Library) -> None:
    import_paths(library, sorted(corpus().glob("20*.txt")))
    hits = search(library, "보폭", scope="articles")
    assert hits, "a two-syllable substring inside a longer word is found"
    for hit in hits:
        body = library.article(hit.article_id).body
        assert body[hit.offset : hit.offset + 2] == "보폭"


async def test_reading_and_marking_a_korean_address(library: Library, tmp_path: Path) -> None:
    import_paths(library, [corpus() / "2019.txt"])
    app = create_app(library, keymap_path=tmp_path / "none.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen.query_one(ReaderView)
        await pilot.press("slash", *"발자취를", "enter")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("G", "g")
        assert reader.cursor == 0
    [policy] = library.annotations(library.summaries()[0].id)
    assert policy.kind is Kind.POLICY
    assert policy.exact.startswith(SENTENCE) and policy.exact.endswith("맞이하였습니다.")
