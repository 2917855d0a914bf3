"""Issue 6 in the app: claim status, links, search, the annotation browser, speakers and overview."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import insert

from conftest import SAMPLES
from nkreader.domain import ArticleDraft, BrowseFilter, Kind, LinkType, Status, new_uuid
from nkreader.services.browse import browse
from nkreader.services.exporting import native_document
from nkreader.services.importing import import_paths
from nkreader.services.library import Library, content_hash
from nkreader.services.links import links_of
from nkreader.services.speakers import speakers
from nkreader.store.articles import add_article
from nkreader.store.bulk import add_articles
from nkreader.store.models import AnnotationRow
from nkreader.text.segment import sentence_at
from nkreader.tui.annotation_list import AnnotationList
from nkreader.tui.app import create_app
from nkreader.tui.browser_screen import BrowserScreen
from nkreader.tui.main_screen import MainScreen
from nkreader.tui.overview_screen import OverviewScreen, overview_renderable
from nkreader.tui.reader import ReaderView
from nkreader.tui.search_screen import SearchScreen
from nkreader.tui.speakers_screen import SpeakersScreen

HYESAN = SAMPLES / "hyesan-market-prices.txt"
KOREAN = SAMPLES / "chongjin-rice-prices-ko.md"
KAECHON = SAMPLES / "kaechon-public-trial.md"


def app_for(library: Library, tmp_path: Path):
    return create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)


async def until(pilot, condition, *, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (thread workers answer asynchronously)."""
    steps = int(timeout / 0.02)
    for _ in range(steps):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition(), "timed out waiting"


def main_of(pilot) -> MainScreen:
    return pilot.app.main


def article_id(library: Library, title_start: str) -> int:
    return next(s.id for s in library.summaries() if s.title.startswith(title_start))


def annotate_sentence(library: Library, article: int, phrase: str, kind: Kind):
    body = library.article(article).body
    return library.annotate(article, kind, *sentence_at(body, body.index(phrase)))


async def open_in_reader(pilot, article: int, cursor: int | None = None) -> ReaderView:
    main = main_of(pilot)
    main.open_article(article, cursor=cursor)
    main.focus_pane("reader")
    await pilot.pause()
    await until(pilot, lambda: main.links_loaded > 0 or not main.annotations)
    return main.reader


# --------------------------------------------------------------------------- search


async def search_for(pilot, query: str) -> SearchScreen:
    await pilot.press("ctrl+f")
    await until(pilot, lambda: isinstance(pilot.app.screen, SearchScreen))
    screen = pilot.app.screen
    before = screen.searches
    await pilot.press(*query)
    await until(pilot, lambda: screen.searches > before and screen._generation and not screen._pending)
    await until(pilot, lambda: screen._timer is None and not screen._pending)
    return screen


async def test_search_finds_a_phrase_and_opens_the_article_at_it(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN, KOREAN, KAECHON])
    hyesan = article_id(library, "Rice tops")
    claim = annotate_sentence(library, hyesan, "the staple for most", Kind.CLAIM)
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen = await search_for(pilot, '"staple for most"')
        kinds = {hit.kind for hit in screen.hits}
        assert kinds == {"article", "annotation"}, screen.hits
        first_article = next(i for i, hit in enumerate(screen.hits) if hit.kind == "article")
        hit = screen.hits[first_article]
        # the snippet marks the matched words
        assert any(matched and "staple" in text for text, matched in hit.snippet)
        results = screen.query_one("#search-results")
        results.highlighted = first_article
        results.focus()
        await pilot.press("enter")
        await pilot.pause()
        main = main_of(pilot)
        assert pilot.app.screen is main
        assert main.article is not None and main.article.id == hyesan
        body = main.article.body
        assert main.reader.cursor == hit.offset
        assert body[hit.offset :].startswith("staple for most")
        assert main.reader.has_focus

        # Annotations only (f2 twice): Enter in the field opens the first hit, on the annotation.
        await pilot.press("g")
        screen = await search_for(pilot, "staple")
        before = screen.searches
        await pilot.press("f2", "f2")
        await until(
            pilot,
            lambda: (
                screen.scope == "annotations"
                and screen.searches > before
                and screen._timer is None
                and not screen._pending
            ),
        )
        assert [h.annotation_uuid for h in screen.hits] == [claim.uuid]
        await pilot.press("enter")
        await pilot.pause()
        assert main.current_annotation() is not None
        assert main.current_annotation().uuid == claim.uuid
        assert main.reader.cursor == claim.start


async def test_korean_two_syllable_query_finds_the_korean_sample(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN, KOREAN, KAECHON])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen = await search_for(pilot, "수남")
        assert screen.hits
        assert all(hit.article_title.startswith("청진") for hit in screen.hits)
        offset = screen.hits[0].offset
        await pilot.press("enter")
        await pilot.pause()
        main = main_of(pilot)
        assert main.article is not None and main.article.title.startswith("청진")
        assert main.article.body[offset : offset + 2] == "수남"
        assert main.reader.cursor == offset


async def test_a_bad_query_shows_its_error_inline_and_esc_closes(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await search_for(pilot, '"unclosed')
        status = screen.query_one("#search-status")
        assert status.has_class("-error")
        assert "quote" in str(status.render())
        assert screen.hits == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, MainScreen)


async def test_search_results_show_hostile_titles_literally(library: Library, tmp_path: Path) -> None:
    body = "Market prices rose in Hyesan again."
    with library.database.writing() as session:
        add_article(
            session, ArticleDraft(title="[@click=app.quit]Prices[/nope]", body=body), content_hash(body)
        )
    async with app_for(library, tmp_path).run_test(size=(120, 40)) as pilot:
        screen = await search_for(pilot, "prices")
        assert len(screen.hits) == 1
        await pilot.pause()
        assert pilot.app.is_running


# --------------------------------------------------------------------------- claim status


async def test_status_key_sets_the_claim_status_and_u_undoes_it(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    hyesan = article_id(library, "Rice tops")
    claim = annotate_sentence(library, hyesan, "the staple for most", Kind.CLAIM)
    quote = annotate_sentence(library, hyesan, "The won also", Kind.QUOTE)
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_in_reader(pilot, hyesan, cursor=claim.start)
        main = main_of(pilot)
        await pilot.press("V")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert library.annotations(hyesan)[0].status is Status.DISPUTED
        prompt = str(main.annotation_list.get_option_at_index(0).prompt)
        assert "disputed" in prompt

        await pilot.press("u")
        await pilot.pause()
        assert library.annotations(hyesan)[0].status is Status.UNVERIFIED
        assert "disputed" not in str(main.annotation_list.get_option_at_index(0).prompt)

        # Not a claim: a bell and a message, nothing stored, no dialog.
        reader.move_to(quote.start)
        await pilot.press("V")
        await pilot.pause()
        assert pilot.app.screen is main
        assert (
            next(a for a in library.annotations(hyesan) if a.uuid == quote.uuid).status is Status.UNVERIFIED
        )


# --------------------------------------------------------------------------- links


async def test_a_link_between_two_articles_shows_on_both_follows_and_survives(
    db_path: Path, tmp_path: Path
) -> None:
    library = Library.open(str(db_path))
    import_paths(library, [HYESAN, KAECHON])
    hyesan = article_id(library, "Rice tops")
    kaechon = next(s.id for s in library.summaries() if s.id != hyesan)
    source = annotate_sentence(library, hyesan, "the staple for most", Kind.CLAIM)
    kaechon_body = library.article(kaechon).body
    first_sentence = sentence_at(kaechon_body, 0)
    target = library.annotate(kaechon, Kind.CLAIM, *first_sentence)
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        main = main_of(pilot)
        await open_in_reader(pilot, hyesan, cursor=source.start)
        await pilot.press("m")
        await pilot.pause()
        assert main.link_source is not None and main.link_source.uuid == source.uuid

        await open_in_reader(pilot, kaechon, cursor=target.start)
        await pilot.press("L")
        await pilot.pause()
        await pilot.press("x")  # contradicts
        await until(pilot, lambda: target.uuid in main.links)
        [view] = links_of(library, target.uuid)
        assert view.link.type is LinkType.CONTRADICTS and view.direction == "in"
        assert main.link_source is None
        prompts = [str(main.annotation_list.get_option_at_index(i).prompt) for i in range(2)]
        assert "← contradicts" in prompts[1] and "Rice tops" in prompts[1]

        # Enter on the link row opens the other article at the other annotation.
        await pilot.press("tab")
        main.annotation_list.focus()
        await pilot.pause()
        main.annotation_list.highlighted = 1
        await pilot.press("enter")
        await until(pilot, lambda: main.article.id == hyesan and main.links_loaded >= 3)
        assert main.current_annotation().uuid == source.uuid
        assert main.reader.cursor == source.start
        prompts = [str(o.prompt) for o in main.annotation_list.options]
        assert any("→ contradicts" in p for p in prompts)
    library.close()

    reopened = Library.open(str(db_path))
    async with app_for(reopened, tmp_path).run_test(size=(160, 50)) as pilot:
        main = main_of(pilot)
        await open_in_reader(pilot, kaechon)
        prompts = [str(o.prompt) for o in main.annotation_list.options]
        assert any("← contradicts" in p for p in prompts)
    document = native_document(reopened)
    assert "contradicts" in str(document)
    reopened.close()


async def test_L_without_a_marked_annotation_only_rings(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    hyesan = article_id(library, "Rice tops")
    claim = annotate_sentence(library, hyesan, "the staple for most", Kind.CLAIM)
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_in_reader(pilot, hyesan, cursor=claim.start)
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(pilot.app.screen, MainScreen)
        await pilot.press("m", "L")  # the marked one itself
        await pilot.pause()
        assert isinstance(pilot.app.screen, MainScreen)
    assert links_of(library, claim.uuid) == []


# --------------------------------------------------------------------------- browser over 100,000 annotations

ARTICLES, PER_ARTICLE = 100, 1000
KINDS = list(Kind)
STATUSES = list(Status)


def _sentence(a: int, i: int) -> str:
    return f"Sentence {a}-{i} reports item{i % 97} in place{i % 13}."


@pytest.fixture(scope="module")
def big_library_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100 articles × 1,000 annotations, written in one transaction (bulk insert; FTS kept by triggers)."""
    path = tmp_path_factory.mktemp("big") / "big.db"
    library = Library.open(str(path))
    now = datetime(2025, 1, 1, tzinfo=UTC)
    with library.database.writing() as session:
        drafts = []
        for a in range(ARTICLES):
            body = " ".join(_sentence(a, i) for i in range(PER_ARTICLE))
            draft = ArticleDraft(
                title=f"Article {a:03d}",
                body=body,
                source=f"Source {a % 5}",
                published=date(2024, 1 + a % 12, 1),
            )
            drafts.append((draft, content_hash(body)))
        ids = add_articles(session, drafts)
        rows = []
        for a, (article, (draft, _)) in enumerate(zip(ids, drafts, strict=True)):
            position = 0
            for i in range(PER_ARTICLE):
                n = a * PER_ARTICLE + i
                text = _sentence(a, i)
                start = draft.body.index(text, position)
                end = position = start + len(text)
                kind = KINDS[n % 3]
                rows.append(
                    dict(
                        uuid=new_uuid(),
                        article_id=article,
                        kind=kind.value,
                        start=start,
                        end=end,
                        exact=text,
                        prefix=draft.body[max(0, start - 32) : start],
                        suffix=draft.body[end : end + 32],
                        note="",
                        tags=[f"t{n % 10}"],
                        speaker=None if kind is Kind.CLAIM else f"Speaker {n % 50}",
                        status=STATUSES[(n // 3) % 4].value if kind is Kind.CLAIM else "unverified",
                        anchor_state="anchored",
                        author=None,
                        created_at=now + timedelta(seconds=n),
                        updated_at=now,
                    )
                )
        session.execute(insert(AnnotationRow), rows)
    library.close()
    return path


def _expected(n_filter) -> int:
    return sum(1 for n in range(ARTICLES * PER_ARTICLE) if n_filter(n))


def settled(screen: BrowserScreen) -> bool:
    """No filter change waiting for its debounce, and the newest page asked for is shown."""
    return screen._timer is None and screen._last_shown == screen._generation


async def test_browser_filters_sorts_pages_and_jumps_over_100k(
    big_library_path: Path, tmp_path: Path
) -> None:
    library = Library.open(str(big_library_path))
    claims = BrowseFilter(kinds={Kind.CLAIM})
    try:
        async with app_for(library, tmp_path).run_test(size=(200, 50)) as pilot:
            await pilot.press("ctrl+o")
            await until(pilot, lambda: isinstance(pilot.app.screen, BrowserScreen))
            screen: BrowserScreen = pilot.app.screen  # type: ignore[assignment]
            await until(pilot, lambda: screen.loads >= 1 and settled(screen))
            assert screen.total == ARTICLES * PER_ARTICLE
            assert screen.table.row_count == 200
            assert "1–200 of 100,000" in str(screen.query_one("#browser-status").render())

            # Filter: quotes (the kind select), then by "Speaker 7" (typed).
            screen.query_one("#f-kind").value = "quote"
            await pilot.pause()
            await until(pilot, lambda: settled(screen))
            assert screen.total == _expected(lambda n: n % 3 == 1)
            assert {row.kind for row in screen.rows} == {Kind.QUOTE}
            screen.query_one("#f-speaker").focus()
            await pilot.press(*"Speaker 7")
            await until(pilot, lambda: settled(screen))
            assert screen.total == _expected(lambda n: n % 3 == 1 and n % 50 == 7)
            assert {row.speaker for row in screen.rows} == {"Speaker 7"}
            await pilot.press("enter")  # back to the table
            assert screen.table.has_focus

            # Claims; f6 steps through the sorts (published → status), compared with the service's answer.
            screen.query_one("#f-speaker").value = ""
            screen.query_one("#f-kind").value = "claim"
            await pilot.pause()
            await until(pilot, lambda: settled(screen))
            assert screen.total == _expected(lambda n: n % 3 == 0)
            await pilot.press("f6")
            await until(pilot, lambda: settled(screen))
            assert (screen.sort, screen.descending) == ("status", False)
            expected, total = browse(library, claims, sort="status", descending=False, limit=200)
            assert [row.uuid for row in screen.rows] == [row.uuid for row in expected]
            assert total == screen.total
            await pilot.press("f7")
            await until(pilot, lambda: settled(screen))
            assert screen.descending
            statuses = [row.status.value for row in screen.rows]
            expected, _ = browse(library, claims, sort="status", descending=True, limit=200)
            assert [row.uuid for row in screen.rows] == [row.uuid for row in expected]
            assert statuses == [row.status.value for row in expected]

            # Sorting by a header (article), as a click does.
            screen.sort_by("article")
            await until(pilot, lambda: settled(screen))
            titles = [row.article_title for row in screen.rows]
            assert titles == sorted(titles)

            # Paging: ] and past the last row; up past the first goes back.
            await pilot.press("right_square_bracket")
            await until(pilot, lambda: settled(screen))
            assert screen.page_offset == 200
            expected, _ = browse(library, claims, sort="article", descending=False, offset=200, limit=200)
            assert [row.uuid for row in screen.rows] == [row.uuid for row in expected]
            screen.table.move_cursor(row=199)
            await pilot.pause()
            await pilot.press("down")
            await until(pilot, lambda: settled(screen))
            assert screen.page_offset == 400 and screen.table.cursor_row == 0
            await pilot.press("up")
            await until(pilot, lambda: settled(screen))
            assert screen.page_offset == 200 and screen.table.cursor_row == 199
            assert "201–400 of 33,334" in str(screen.query_one("#browser-status").render())

            # Enter opens the annotation in its article.
            screen.table.move_cursor(row=5)
            await pilot.pause()
            row = screen.rows[5]
            await pilot.press("enter")
            await pilot.pause()
            main = main_of(pilot)
            assert pilot.app.screen is main
            assert main.article.id == row.article_id
            assert main.current_annotation().uuid == row.uuid
            assert main.reader.cursor == main.current_annotation().start
    finally:
        library.close()


async def test_browser_status_key_and_text_filter(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    hyesan = article_id(library, "Rice tops")
    claim = annotate_sentence(library, hyesan, "the staple for most", Kind.CLAIM)
    annotate_sentence(library, hyesan, "The won also", Kind.QUOTE)
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(pilot.app.screen, BrowserScreen))
        screen: BrowserScreen = pilot.app.screen  # type: ignore[assignment]
        await until(pilot, lambda: screen.loads >= 1)
        assert screen.total == 2
        await pilot.press("ctrl+l", *"staple")
        await until(pilot, lambda: screen.total == 1 and screen._timer is None)
        await pilot.press("enter")  # to the table
        await pilot.press("V")
        await pilot.pause()
        loads = screen.loads
        await pilot.press("c")
        await until(pilot, lambda: screen.loads > loads)
        assert screen.rows[0].status is Status.CORROBORATED
        assert library.annotations(hyesan)[0].status is Status.CORROBORATED
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, MainScreen)
    assert claim.uuid


# --------------------------------------------------------------------------- speakers and overview


async def run_palette(pilot, command: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_speakers_screen_adds_an_alias_and_merges(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    hyesan = article_id(library, "Rice tops")
    for phrase, speaker in [("the staple for most", "Kim Jong Un"), ("The won also", "Kim Jong-un")]:
        quote = annotate_sentence(library, hyesan, phrase, Kind.QUOTE)
        library.edit(quote, speaker=speaker)
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await run_palette(pilot, "Speakers")
        await until(pilot, lambda: isinstance(pilot.app.screen, SpeakersScreen))
        screen: SpeakersScreen = pilot.app.screen  # type: ignore[assignment]
        await until(pilot, lambda: screen.loads >= 1)
        names = [s.name for s in screen.stats]
        assert set(names) == {"Kim Jong Un", "Kim Jong-un"}
        # mark "Kim Jong-un", move to "Kim Jong Un", merge
        screen.table.move_cursor(row=names.index("Kim Jong-un"))
        await pilot.press("space")
        screen.table.move_cursor(row=names.index("Kim Jong Un"))
        await pilot.pause()
        loads = screen.loads
        await pilot.press("M")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: screen.loads > loads)
        [stat] = screen.stats
        assert stat.name == "Kim Jong Un" and stat.quotes == 2 and "Kim Jong-un" in stat.aliases

        loads = screen.loads
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"김정은")
        await pilot.press("enter")
        await until(pilot, lambda: screen.loads > loads)
        assert "김정은" in screen.stats[0].aliases
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, MainScreen)
    assert [s.name for s in speakers(library)] == ["Kim Jong Un"]


async def test_overview_screen_counts(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN, KOREAN])
    hyesan = article_id(library, "Rice tops")
    quote = annotate_sentence(library, hyesan, "the staple for most", Kind.QUOTE)
    library.edit(quote, speaker="A trader")
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await run_palette(pilot, "Overview")
        await until(pilot, lambda: isinstance(pilot.app.screen, OverviewScreen))
        screen: OverviewScreen = pilot.app.screen  # type: ignore[assignment]
        await until(pilot, lambda: screen.data is not None)
        assert screen.data.articles == 2 and screen.data.annotations == 1
        await pilot.pause()
        console = Console(record=True, width=120, file=io.StringIO())
        console.print(overview_renderable(screen.data))
        shown = console.export_text()
        assert "A trader" in shown and "북방경제통신" in shown


async def test_new_keys_show_in_help_with_ids(library: Library, tmp_path: Path) -> None:
    app = app_for(library, tmp_path)
    ids = app.known_binding_ids()
    for binding_id in [
        "annotate.status",
        "annotate.link_mark",
        "annotate.link",
        "app.search",
        "app.browser",
        "search.scope",
        "browser.sort",
        "speakers.merge",
        "overview.close",
    ]:
        assert binding_id in ids
    assert AnnotationList  # the list is part of the help too


async def test_x_on_a_link_row_removes_the_link_not_the_annotation(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    hyesan = article_id(library, "Rice tops")
    first = annotate_sentence(library, hyesan, "Rice prices in", Kind.CLAIM)
    second = annotate_sentence(library, hyesan, "the staple for most", Kind.CLAIM)
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        main = main_of(pilot)
        await open_in_reader(pilot, hyesan, cursor=first.start)
        await pilot.press("m")
        main.reader.move_to(second.start)
        await pilot.press("L", "s")  # same as
        await until(pilot, lambda: first.uuid in main.links and second.uuid in main.links)
        main.annotation_list.focus()
        await pilot.pause()
        rows = [str(o.prompt) for o in main.annotation_list.options]
        link_row = next(i for i, p in enumerate(rows) if "→ same-as" in p)
        main.annotation_list.highlighted = link_row
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: not main.links)
        assert len(library.annotations(hyesan)) == 2
        assert links_of(library, first.uuid) == []


async def test_palette_opens_search_and_browser(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await run_palette(pilot, "Search the library")
        await until(pilot, lambda: isinstance(pilot.app.screen, SearchScreen))
        await pilot.press("escape")
        await pilot.pause()
        await run_palette(pilot, "Browse every annotation")
        await until(pilot, lambda: isinstance(pilot.app.screen, BrowserScreen))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, MainScreen)
