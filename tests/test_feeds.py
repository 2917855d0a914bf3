"""Feeds and web pages from a local HTTP server, as a user meets them on the command line.

Every case ends in articles imported or one clear line naming the feed and the reason: no
traceback, no hang (the limits are made small with the commands' own options).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, shared_folder
from helpers import feed_server
from helpers.feed_server import FeedServer
from nkreader.cli import main
from nkreader.services.library import Library

FEEDS = ROOT / "tests" / "data" / "feeds"
FAST = [
    "--timeout",
    "1.5",
    "--connect-timeout",
    "1",
    "--retries",
    "1",
    "--backoff",
    "0.05",
    "--max-retry-after",
    "2",
]
OUTCOME_PREFIXES = ("refused ", "failed ", "changed ", "updated ", "skipped ", "imported ")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    running = feed_server.start()
    yield running
    running.close()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


def fetch(db: Path, *args: str) -> tuple[int, str, str]:
    return run(db, "feed", "fetch", *FAST, *args)


def summary(out: str) -> str:
    return out.strip().splitlines()[-1]


def titles(db: Path) -> list[str]:
    library = Library.open(str(db))
    try:
        return sorted(s.title for s in library.summaries())
    finally:
        library.close()


KOREAN_FEED = """<?xml version="1.0"{decl}?>
<rss version="2.0"><channel><title>통일 소식</title><language>ko</language>
<item><title>평양 쌀값 상승</title><link>https://example.kr/news/1</link><guid>kr-1</guid>
<description>&lt;p&gt;평양 시장에서 쌀값이 두 주 만에 20% 올랐다고 주민들이 전했다.&lt;/p&gt;</description></item>
<item><title>신의주 국경 경비 강화</title><link>https://example.kr/news/2</link><guid>kr-2</guid>
<description>&lt;p&gt;신의주 일대에서 국경 경비가 강화됐다는 소식이 전해졌다.&lt;/p&gt;</description></item>
</channel></rss>
"""

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="{charset}"><title>{title}</title></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>{title}</h1>
<p>{para} The report was filed from the border city after several days of interviews.</p>
<p>Residents described long queues at the state stores and rising prices in the private markets,
and several said they had stopped buying imported goods altogether because of the cost.</p>
<p>Officials did not respond to questions about the shortages sent through intermediaries.</p>
</article><footer>Copyright notice and share buttons</footer></body></html>
"""


def page(title: str, para: str = "", *, charset: str = "utf-8", lang: str = "en") -> str:
    return PAGE.format(title=title, para=para, charset=charset, lang=lang)


# ---------------------------------------------------------------------- the everyday path


def test_add_then_fetch_twice_second_is_304_and_imports_nothing(server: FeedServer, db_path: Path) -> None:
    url = server.serve("/daily.rss", (FEEDS / "nk-daily.rss").read_bytes())
    code, out, err = run(db_path, "feed", "add", url, "--name", "daily", "--tag", "nk", "--tag", "markets")
    assert code == 0, err
    assert out.strip() == f"added daily: {url} [nk, markets]"
    code, out, err = fetch(db_path)
    assert code == 0, err
    assert "daily: 3 new" in out
    assert summary(out) == "imported 3, skipped 0, failed 0"
    assert "Rice prices climb in Hyesan markets" in titles(db_path)

    code, out, err = fetch(db_path, "daily")
    assert code == 0, err
    assert "daily: not modified" in out
    assert summary(out) == "imported 0, skipped 0, failed 0"
    second = server.requests_for("/daily.rss")[-1].headers
    assert second["if-none-match"].startswith('"')
    assert "if-modified-since" in second
    assert second["user-agent"].startswith("nkreader/")

    code, out, _ = run(db_path, "feed", "list", "--json")
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["name"] == "daily" and record["tags"] == ["nk", "markets"]
    assert record["articles"] == 3 and record["unread"] == 3 and record["last_error"] is None


def test_without_validators_entries_seen_before_are_skipped(server: FeedServer, db_path: Path) -> None:
    url = server.serve("/plain.atom", (FEEDS / "border-atom.atom").read_bytes(), validators=False)
    run(db_path, "feed", "add", url, "--name", "border")
    code, out, _ = fetch(db_path)
    assert code == 0 and summary(out) == "imported 2, skipped 0, failed 0"
    code, out, _ = fetch(db_path)
    assert code == 0 and "border: 0 new" in out
    assert summary(out) == "imported 0, skipped 2, failed 0"
    assert len(titles(db_path)) == 2


def test_a_failing_feed_is_one_line_and_the_others_go_on(server: FeedServer, db_path: Path) -> None:
    good = server.serve("/good.rss", (FEEDS / "nk-daily.rss").read_bytes())
    run(db_path, "feed", "add", good, "--name", "good")
    run(db_path, "feed", "add", server.url("/gone.rss"), "--name", "gone")
    run(
        db_path,
        "feed",
        "add",
        server.route("/broken.rss", feed_server.document(b"<rss><channel><item>")),
        "--name",
        "broken",
    )
    code, out, err = fetch(db_path)
    assert code == 1
    assert "good: 3 new" in out
    lines = err.strip().splitlines()
    assert "failed gone: HTTP 404 Not Found" in lines
    assert next(line for line in lines if line.startswith("failed broken: ")).startswith(
        "failed broken: malformed XML"
    )
    assert summary(out) == "imported 3, skipped 0, failed 2"
    code, out, _ = run(db_path, "feed", "list")
    assert "last fetch failed: HTTP 404 Not Found" in out


def test_unknown_feed_names_are_refused_and_known_ones_fetched(server: FeedServer, db_path: Path) -> None:
    url = server.serve("/daily.rss", (FEEDS / "nk-daily.rss").read_bytes())
    run(db_path, "feed", "add", url, "--name", "daily")
    code, out, err = fetch(db_path, "nope", url)
    assert code == 1
    assert "refused nope: no feed named or at 'nope'" in err
    assert summary(out) == "imported 3, skipped 0, failed 1"


def test_add_refuses_bad_urls_and_taken_names(server: FeedServer, db_path: Path) -> None:
    for url, reason in [
        ("ftp://example.org/feed", "only http and https URLs can be fetched (ftp:)"),
        ("example.org/feed", "only http and https URLs can be fetched (no scheme)"),
        ("http://", "the URL has no host"),
    ]:
        code, _, err = run(db_path, "feed", "add", url)
        assert code == 1 and err.strip() == f"nkreader: cannot add {url}: {reason}"
    run(db_path, "feed", "add", server.url("/a.rss"), "--name", "a")
    code, _, err = run(db_path, "feed", "add", server.url("/a.rss"))
    assert code == 1 and "already subscribed as 'a'" in err
    code, _, err = run(db_path, "feed", "add", server.url("/b.rss"), "--name", "a")
    assert code == 1 and "another feed is already named 'a'" in err


def test_remove_keeps_the_articles(server: FeedServer, db_path: Path) -> None:
    url = server.serve("/daily.rss", (FEEDS / "nk-daily.rss").read_bytes())
    run(db_path, "feed", "add", url, "--name", "daily")
    fetch(db_path)
    code, out, _ = run(db_path, "feed", "remove", "DAILY")
    assert code == 0 and out.startswith("removed daily:")
    assert len(titles(db_path)) == 3
    code, out, err = run(db_path, "feed", "list")
    assert code == 0 and out == "" and "No feeds yet" in err
    code, _, err = run(db_path, "feed", "remove", "daily")
    assert code == 1 and "no feed named or at 'daily'" in err


# ---------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("header", "declaration"),
    [("euc-kr", ""), (None, ' encoding="euc-kr"'), (None, "")],
    ids=["http-header", "xml-declaration", "detected"],
)
def test_euc_kr_korean_feed(server: FeedServer, db_path: Path, header: str | None, declaration: str) -> None:
    body = KOREAN_FEED.format(decl=declaration).encode("euc-kr")
    content_type = "application/rss+xml" + (f"; charset={header}" if header else "")
    url = server.serve("/kr.rss", body, content_type=content_type)
    run(db_path, "feed", "add", url, "--name", "kr")
    code, _out, err = fetch(db_path)
    assert code == 0, err
    assert titles(db_path) == ["신의주 국경 경비 강화", "평양 쌀값 상승"]
    library = Library.open(str(db_path))
    try:
        bodies = [library.article(s.id).body for s in library.summaries()]
    finally:
        library.close()
    assert any("쌀값이 두 주 만에" in body for body in bodies)


def test_header_charset_wins_over_a_stale_declaration(server: FeedServer, db_path: Path) -> None:
    body = KOREAN_FEED.format(decl=' encoding="iso-8859-1"').encode("euc-kr")
    url = server.serve("/stale.rss", body, content_type="text/xml; charset=EUC-KR")
    run(db_path, "feed", "add", url)
    code, _, err = fetch(db_path)
    assert code == 0, err
    assert "평양 쌀값 상승" in titles(db_path)


# ---------------------------------------------------------------------- limits


def test_redirects_followed_up_to_five(server: FeedServer, db_path: Path) -> None:
    server.serve("/final.rss", (FEEDS / "nk-daily.rss").read_bytes())
    for hop in range(1, 7):
        target = "/final.rss" if hop == 1 else f"/hop{hop - 1}"
        server.route(f"/hop{hop}", feed_server.redirect(target, 301 if hop % 2 else 307))
    run(db_path, "feed", "add", server.url("/hop5"), "--name", "five")
    run(db_path, "feed", "add", server.url("/hop6"), "--name", "six")
    run(
        db_path,
        "feed",
        "add",
        server.route("/to-ftp", feed_server.redirect("ftp://127.0.0.1/x")),
        "--name",
        "ftp",
    )
    code, out, err = fetch(db_path)
    assert code == 1
    assert "five: 3 new" in out
    assert "failed six: too many redirects (more than 5)" in err
    assert "failed ftp: only http and https URLs can be fetched (ftp:)" in err


def test_slow_response_times_out(server: FeedServer, db_path: Path) -> None:
    run(
        db_path, "feed", "add", server.route("/slow", feed_server.slow(30, server.stopping)), "--name", "slow"
    )
    run(
        db_path,
        "feed",
        "add",
        server.route("/trickle", feed_server.trickle(server.stopping)),
        "--name",
        "trickle",
    )
    code, out, err = run(db_path, "feed", "fetch", "--timeout", "0.4", "--retries", "1", "--backoff", "0.01")
    assert code == 1
    for name in ("slow", "trickle"):
        assert f"failed {name}: timed out (no complete response within 0.4 s) (after 2 attempts)" in err
    assert summary(out) == "imported 0, skipped 0, failed 2"


def test_endless_body_and_compression_bomb_stop_at_the_cap(server: FeedServer, db_path: Path) -> None:
    run(
        db_path,
        "feed",
        "add",
        server.route("/endless", feed_server.endless(server.stopping)),
        "--name",
        "endless",
    )
    run(db_path, "feed", "add", server.route("/bomb", feed_server.gzip_bomb(50)), "--name", "bomb")
    code, _out, err = fetch(db_path, "--max-size", "1")
    assert code == 1
    for name in ("endless", "bomb"):
        assert f"failed {name}: response is too large (over 1.0 MB, the import size limit)" in err


def test_gzip_bodies_are_decoded(server: FeedServer, db_path: Path) -> None:
    url = server.serve("/gz.rss", (FEEDS / "nk-daily.rss").read_bytes(), gzip_body=True)
    run(db_path, "feed", "add", url)
    code, out, err = fetch(db_path)
    assert code == 0, err
    assert summary(out) == "imported 3, skipped 0, failed 0"
    assert "gzip" in server.requests_for("/gz.rss")[0].headers["accept-encoding"]


def test_429_retry_after_and_500_then_success(server: FeedServer, db_path: Path) -> None:
    daily = (FEEDS / "nk-daily.rss").read_bytes()
    atom = (FEEDS / "border-atom.atom").read_bytes()
    busy = feed_server.sequence(feed_server.status(429, {"Retry-After": "1"}), feed_server.document(daily))
    flaky = feed_server.sequence(feed_server.status(500), feed_server.document(atom, "application/atom+xml"))
    run(db_path, "feed", "add", server.route("/busy", busy), "--name", "busy")
    run(db_path, "feed", "add", server.route("/flaky", flaky), "--name", "flaky")
    code, out, err = fetch(db_path)
    assert code == 0, err
    assert "busy: 3 new" in out and "flaky: 2 new" in out
    assert len(server.requests_for("/busy")) == 2 and len(server.requests_for("/flaky")) == 2


def test_long_retry_after_and_persistent_500_fail_in_one_line(server: FeedServer, db_path: Path) -> None:
    run(
        db_path,
        "feed",
        "add",
        server.route("/later", feed_server.status(503, {"Retry-After": "3600"})),
        "--name",
        "later",
    )
    run(db_path, "feed", "add", server.route("/down", feed_server.status(500)), "--name", "down")
    code, _, err = fetch(db_path)
    assert code == 1
    assert "failed later: service unavailable (503); the server asks to wait 3600 s, try again later" in err
    assert "failed down: server error 500 Internal Server Error (after 2 attempts)" in err
    assert len(server.requests_for("/later")) == 1


def test_connection_refused_is_one_line(db_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run(db_path, "feed", "add", f"http://127.0.0.1:{port}/feed", "--name", "nobody")
    code, _, err = run(db_path, "feed", "fetch", "--retries", "0")
    assert code == 1
    (line,) = [line for line in err.splitlines() if line.startswith("failed nobody: ")]
    assert line.startswith("failed nobody: cannot connect")


def test_proxies_come_from_the_environment(
    server: FeedServer, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server plays the proxy: it gets the absolute URL of a host nobody could reach."""
    proxied = "http://feeds.example.invalid/daily.rss"
    server.serve(proxied, (FEEDS / "nk-daily.rss").read_bytes())
    monkeypatch.setenv("HTTP_PROXY", server.base)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    run(db_path, "feed", "add", proxied, "--name", "proxied")
    code, out, err = fetch(db_path)
    assert code == 0, err
    assert "proxied: 3 new" in out


# ---------------------------------------------------------------------- real feeds


def test_real_feeds_each_end_in_articles_or_one_line(server: FeedServer, db_path: Path) -> None:
    folder = shared_folder("corpora", "real-feeds")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".rss", ".atom"))
    for file in files:
        kind = "application/atom+xml" if file.suffix == ".atom" else "application/rss+xml"
        run(
            db_path,
            "feed",
            "add",
            server.serve(f"/{file.name}", file.read_bytes(), content_type=kind),
            "--name",
            file.stem,
        )
    code, out, err = fetch(db_path)
    assert code in (0, 1)
    outcome = {}
    for line in out.splitlines()[:-1]:
        name, _, rest = line.partition(": ")
        outcome[name] = rest
    for line in err.splitlines():
        assert line.startswith(OUTCOME_PREFIXES), line
        if line.startswith("failed "):
            name, _, reason = line.removeprefix("failed ").partition(": ")
            outcome[name] = reason
    assert set(outcome) == {f.stem for f in files}
    imported = sum(int(v.split()[0]) for v in outcome.values() if v.endswith(" new"))
    assert imported > 300
    assert summary(out).startswith(f"imported {imported}, ")
    code, out, _ = fetch(db_path)
    assert "imported 0, " in summary(out)


# ---------------------------------------------------------------------- web pages


def test_fetch_web_pages_like_saved_html(server: FeedServer, db_path: Path) -> None:
    english = server.serve(
        "/a.html", page("Queues at state stores", "Prices rose.").encode(), content_type="text/html"
    )
    korean = page("평양 시장 물가", "평양 시장의 물가가 올랐다.", charset="euc-kr", lang="ko").encode(
        "euc-kr"
    )
    korean_url = server.serve("/k.html", korean, content_type="text/html; charset=EUC-KR")
    binary = server.serve("/x.png", b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png")
    code, out, err = run(db_path, "fetch", *FAST, english, korean_url, binary, server.url("/missing"))
    assert code == 1
    assert f"imported {english}: Queues at state stores" in out
    assert f"refused {binary}: not a web page or a feed (content type image/png)" in err
    assert f"refused {server.url('/missing')}: HTTP 404 Not Found" in err
    assert summary(out) == "imported 2, skipped 0, failed 2"
    assert "평양 시장 물가" in titles(db_path)
    code, out, _ = run(db_path, "fetch", *FAST, english)
    assert code == 0 and summary(out) == "imported 0, skipped 1, failed 0"


def test_fetch_real_news_pages(server: FeedServer, db_path: Path) -> None:
    folder = shared_folder("corpora", "real-news-pages")
    urls = []
    for source in sorted(folder.glob("*/source.html"))[:8]:
        urls.append(
            server.serve(f"/{source.parent.name}.html", source.read_bytes(), content_type="text/html")
        )
    _code, out, err = run(db_path, "fetch", *FAST, *urls)
    for line in err.splitlines():
        assert line.startswith(OUTCOME_PREFIXES), line
    assert int(summary(out).split()[1].rstrip(",")) >= 6


def test_full_text_fetches_the_linked_pages(server: FeedServer, db_path: Path) -> None:
    one = server.serve(
        "/pages/1", page("Full story one", "The first full story.").encode(), content_type="text/html"
    )
    two = server.url("/pages/2")  # missing: the feed's text is kept
    feed = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Summaries</title>
<item><title>Story one</title><link>{one}</link><guid>s1</guid><description>Short one.</description></item>
<item><title>Story two</title><link>{two}</link><guid>s2</guid><description>Short two.</description></item>
</channel></rss>"""
    run(db_path, "feed", "add", server.serve("/summaries.rss", feed.encode()), "--name", "sum", "--full-text")
    code, _out, err = fetch(db_path)
    assert code == 0, err
    assert f"imported {two}: full text unavailable (HTTP 404 Not Found); the feed's text is used" in err
    library = Library.open(str(db_path))
    try:
        bodies = {s.title: library.article(s.id).body for s in library.summaries()}
    finally:
        library.close()
    assert "The first full story." in bodies["Story one"]
    assert bodies["Story two"] == "Short two."


# ---------------------------------------------------------------------- OPML


def test_opml_import_and_export_round_trip(server: FeedServer, db_path: Path, tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        f"""<?xml version="1.0"?><opml version="1.0"><head><title>mine</title></head><body>
<outline text="Korea"><outline text="Daily" type="rss" xmlUrl="{server.url("/daily.rss")}"/>
<outline title="Atom" xmlUrl="{server.url("/atom")}" category="border,nk/markets"/></outline>
<outline text="bad" xmlUrl="gopher://old.example/feed"/>
</body></opml>""",
        encoding="utf-8",
    )
    code, out, err = run(db_path, "feed", "import-opml", str(opml))
    assert code == 1
    assert "refused gopher://old.example/feed: only http and https URLs can be fetched (gopher:)" in err
    assert summary(out) == "added 2, already subscribed 0, failed 1"
    code, out, _ = run(db_path, "feed", "import-opml", str(opml))
    assert summary(out) == "added 0, already subscribed 2, failed 1"
    target = tmp_path / "out.opml"
    code, _, _ = run(db_path, "feed", "export-opml", "-o", str(target))
    assert code == 0
    other = tmp_path / "other.db"
    code, out, _ = run(other, "feed", "import-opml", str(target))
    assert code == 0 and summary(out) == "added 2, already subscribed 0, failed 0"
    _, listed, _ = run(other, "feed", "list", "--json")
    records = {r["name"]: r for r in map(json.loads, listed.splitlines())}
    assert records["Daily"]["tags"] == ["Korea"]
    assert records["Atom"]["tags"] == ["Korea", "border", "nk", "markets"]


def test_opml_that_is_not_opml_is_one_line(db_path: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body/></opml>')
    code, _, err = run(db_path, "feed", "import-opml", str(bomb))
    assert code == 1 and err.strip() == f"nkreader: {bomb}: XML entity or DTD declarations are not allowed"
    html = tmp_path / "page.opml"
    html.write_text("<html><body/></html>")
    code, _, err = run(db_path, "feed", "import-opml", str(html))
    assert code == 1 and "not an OPML document (its root is <html>)" in err
    code, _, err = run(db_path, "feed", "import-opml", str(tmp_path / "none.opml"))
    assert code == 1 and "cannot read the file" in err
