"""Refreshing feeds through the service: changed entries, unread marks, and a fetch killed mid-way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from helpers import feed_server
from helpers.feed_server import FeedServer
from nkreader.domain import AnchorState, Kind
from nkreader.fetching.http import Limits
from nkreader.services.feed_refresh import refresh_feeds
from nkreader.services.feeds import ReadState, Subscriptions
from nkreader.services.library import Library

FEEDS = ROOT / "tests" / "data" / "feeds"
FAST = Limits(timeout=2, connect_timeout=1, retries=0, backoff=0.01)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    running = feed_server.start()
    yield running
    running.close()


def feed_xml(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>https://example.org/{guid}</link><guid>{guid}</guid>"
        f"<description>{text}</description></item>"
        for guid, title, text in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


def test_changed_entry_goes_through_the_update_path(server: FeedServer, library: Library) -> None:
    first = "The ministry said exports of coal to China had resumed in October."
    server.serve("/f.rss", feed_xml([("g1", "Coal exports", first)]), validators=False)
    feed = Subscriptions(library).add(server.url("/f.rss"), name="f")
    (result,) = refresh_feeds(library, [feed], limits=FAST)
    assert result.new == 1
    article_id = result.report.events[0].article_id
    assert article_id is not None
    start = first.index("exports of coal")
    library.annotate(article_id, Kind.CLAIM, start, start + len("exports of coal"))
    ReadState(library).mark_read([article_id])

    second = "Customs figures published on Monday: " + first
    server.serve("/f.rss", feed_xml([("g1", "Coal exports", second)]), validators=False)
    (result,) = refresh_feeds(library, [Subscriptions(library).find("f")], limits=FAST)
    (event,) = result.report.events
    assert event.outcome.value == "updated" and event.article_id == article_id
    assert "annotations: 1 anchored" in (event.reason or "") or "1 moved" in (event.reason or "")
    article = library.article(article_id)
    assert article.body == second
    (annotation,) = library.annotations(article_id)
    assert second[annotation.start : annotation.end] == "exports of coal"
    assert annotation.anchor_state in (AnchorState.ANCHORED, AnchorState.MOVED)
    with sqlite3.connect(library.database.path) as db:
        kept = db.execute("SELECT body FROM article_revisions WHERE article_id = ?", (article_id,)).fetchall()
    assert kept == [(first,)]
    assert article_id in ReadState(library).unread_ids()  # new text: unread again

    (result,) = refresh_feeds(library, [Subscriptions(library).find("f")], limits=FAST)
    assert [e.reason for e in result.report.events] == ["seen before"]


def test_new_articles_are_unread_until_read_and_toggle(server: FeedServer, library: Library) -> None:
    server.serve("/d.rss", (FEEDS / "nk-daily.rss").read_bytes())
    feed = Subscriptions(library).add(server.url("/d.rss"), name="daily", tags=["nk"])
    arrived: list[int] = []
    refresh_feeds(
        library,
        [feed],
        limits=FAST,
        on_stored=lambda _feed, events: arrived.extend(e.article_id for e in events if e.article_id),
    )
    state = ReadState(library)
    assert state.unread_ids() == set(arrived) and len(arrived) == 3
    (listing,) = Subscriptions(library).listing()
    assert (listing.articles, listing.unread, listing.feed.last_new) == (3, 3, 3)
    assert state.mark_read([arrived[0]]) == 1
    assert state.toggle(arrived[1]) is False
    assert state.toggle(arrived[1]) is True
    assert state.unread_ids() == {arrived[1], arrived[2]}
    assert state.feed_names() == dict.fromkeys(arrived, "daily")
    assert Subscriptions(library).listing()[0].unread == 2


def test_a_feed_removed_while_refreshing_stores_nothing_more(server: FeedServer, library: Library) -> None:
    server.serve("/d.rss", (FEEDS / "nk-daily.rss").read_bytes())
    feed = Subscriptions(library).add(server.url("/d.rss"), name="daily")
    Subscriptions(library).remove("daily")
    (result,) = refresh_feeds(library, [feed], limits=FAST)
    assert result.removed and library.is_empty()


# ---------------------------------------------------------------------- killed mid-fetch

ENTRIES = 60


def _pages_and_feed(server: FeedServer) -> dict[str, str]:
    """A summary-only feed of ENTRIES items whose pages answer slowly (full text is fetched)."""
    expected: dict[str, str] = {}
    items = []
    for n in range(ENTRIES):
        text = f"Report {n}: officials in Hyesan confirmed the closure of market {n} for {n + 3} days."
        html = (
            f"<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1>"
            f"<p>{text}</p><p>Traders said the closure would cost them {n * 1000} won a day.</p>"
            "</article></body></html>"
        ).encode()
        url = server.url(f"/p/{n}")

        def slow_page(request, html=html):  # type: ignore[no-untyped-def]
            time.sleep(0.04)
            feed_server.document(html, "text/html")(request)

        server.route(f"/p/{n}", slow_page)
        expected[url] = text
        items.append(
            f"<item><title>Report {n}</title><link>{url}</link><guid>r{n}</guid><description>s{n}</description></item>"
        )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>{"".join(items)}</channel></rss>'
    server.serve("/slow.rss", feed.encode())
    return expected


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
        return int(connection.execute(sql).fetchone()[0])


def test_a_fetch_killed_midway_leaves_whole_articles_and_the_next_one_resumes(
    server: FeedServer, db_path: Path
) -> None:
    expected = _pages_and_feed(server)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cli = [sys.executable, "-m", "nkreader", "--db", str(db_path)]
    subprocess.run(
        [*cli, "feed", "add", server.url("/slow.rss"), "--name", "slow", "--full-text"],
        env=env,
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        [*cli, "feed", "fetch", "--retries", "0"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if _count(db_path, "SELECT count(*) FROM articles") >= 20:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the fetch ended before it could be interrupted"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    stored = _count(db_path, "SELECT count(*) FROM articles")
    assert 20 <= stored < ENTRIES
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = connection.execute("SELECT url, body FROM articles").fetchall()
        for url, body in rows:
            assert body.startswith(expected[url]), url  # the page's text, whole
        entries = connection.execute("SELECT count(*), count(article_id) FROM feed_entries").fetchone()
        assert entries == (stored, stored)
        assert connection.execute("SELECT etag, last_fetch_at FROM feeds").fetchone() == (None, None)

    done = subprocess.run([*cli, "feed", "fetch"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == f"imported {ENTRIES - stored}, skipped {stored}, failed 0"
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT count(DISTINCT url), count(*) FROM articles").fetchone() == (
            ENTRIES,
            ENTRIES,
        )
        assert connection.execute("SELECT etag IS NOT NULL FROM feeds").fetchone() == (1,)
