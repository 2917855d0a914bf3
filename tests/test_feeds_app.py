"""The feeds view and unread articles, driven with keys in a real app against a local HTTP server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES
from helpers import feed_server
from helpers.feed_server import FeedServer
from nkreader.services.feeds import ReadState, Subscriptions
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.app import create_app
from nkreader.tui.feeds_screen import FeedsScreen
from nkreader.tui.help import HelpScreen
from nkreader.tui.library_list import LibraryList
from nkreader.tui.main_screen import MainScreen

FEEDS = ROOT / "tests" / "data" / "feeds"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    running = feed_server.start()
    yield running
    running.close()


async def until(pilot, condition, what: str, tries: int = 400) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_refresh_in_the_feeds_view_then_open_an_article_marks_it_read(
    server: FeedServer, library: Library, tmp_path: Path
) -> None:
    import_paths(library, [SAMPLES / "hyesan-market-prices.txt"])  # a file article: read from the start
    url = server.serve("/daily.rss", (FEEDS / "nk-daily.rss").read_bytes())
    Subscriptions(library).add(url, name="daily")
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, FeedsScreen) and app.screen.loads, "the feeds view")
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        assert [listing.feed.name for listing in screen.listings] == ["daily"]
        await pilot.press("r")
        await until(
            pilot, lambda: not app.feed_refresher.busy and screen.listings[0].unread == 3, "the refresh"
        )
        assert screen.listings[0].feed.last_new == 3
        library_list = app.screen_stack[0].query_one(LibraryList)
        assert library_list.total_count == 4  # new articles are in the library while the view is open
        unread = ReadState(library).unread_ids()
        assert len(unread) == 3 and all(library_list.is_unread(i) for i in unread)

        await pilot.press("enter")  # back to the library, on the feed's newest unread article
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        chosen = library_list.highlighted_id
        assert chosen in unread
        await pilot.press("enter")  # open it: read
        await until(pilot, lambda: not library_list.is_unread(chosen), "the read mark")
        assert chosen not in ReadState(library).unread_ids()

        main = app.screen
        main.focus_pane("library")
        await pilot.pause()
        await pilot.press("U")  # unread only
        await pilot.pause()
        assert sorted(library_list.visible_ids) == sorted(unread - {chosen})
        await pilot.press("M")  # the highlighted unread one becomes read, and stays shown until refiltered
        await pilot.pause()
        toggled = library_list.highlighted_id
        assert toggled is not None and not library_list.is_unread(toggled)
        assert toggled not in ReadState(library).unread_ids()
        await pilot.press("U")
        await pilot.pause()
        assert library_list.row_count == 4


async def test_a_failing_feed_shows_its_error_and_feeds_keys_are_in_help(
    server: FeedServer, library: Library, tmp_path: Path
) -> None:
    Subscriptions(library).add(server.url("/gone.rss"), name="gone")
    Subscriptions(library).add(server.serve("/d.rss", (FEEDS / "nk-daily.rss").read_bytes()), name="daily")
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, FeedsScreen) and app.screen.loads, "the feeds view")
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        await pilot.press("R")
        await until(
            pilot,
            lambda: not app.feed_refresher.busy and any(li.feed.last_error for li in screen.listings),
            "the refresh",
        )
        by_name = {listing.feed.name: listing for listing in screen.listings}
        assert by_name["gone"].feed.last_error == "HTTP 404 Not Found"
        assert by_name["daily"].unread == 3
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = {row[2] for _, rows in app.help_groups() for row in rows if len(row) > 2}
        assert {"feeds.refresh", "feeds.refresh_all", "feeds.add", "app.feeds", "library.unread_only"} <= ids
        await pilot.press("escape")
        await asyncio.sleep(0)


async def test_adding_a_feed_in_the_view_fetches_it(
    server: FeedServer, library: Library, tmp_path: Path
) -> None:
    url = server.serve(
        "/atom", (FEEDS / "border-atom.atom").read_bytes(), content_type="application/atom+xml"
    )
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, FeedsScreen) and app.screen.loads, "the feeds view")
        screen = app.screen
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*url, "enter")
        await until(
            pilot,
            lambda: not app.feed_refresher.busy and screen.listings and screen.listings[0].unread,
            "the fetch",
        )
        assert screen.listings[0].unread == 2
        assert len(library.summaries()) == 2
