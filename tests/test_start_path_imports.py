"""Opening the app loads no importer or feed fetcher: trafilatura, lxml and feedparser came in with the
feeds screen (its fetch code) and were half a second of every start (issue 14); they load when a
feed is fetched or a page imported."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
import nkreader.cli
from nkreader.tui.app import create_app
heavy = ("trafilatura", "lxml", "feedparser", "markdown_it", "yaml")
print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def test_the_app_starts_without_the_page_and_feed_readers() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_a_page_charset_still_loads_the_page_reader_when_asked() -> None:
    from nkreader.fetching.charset import document_charset

    assert document_charset(b'<html><head><meta charset="euc-kr"></head>', "page") == "euc-kr"
    assert document_charset(b'<?xml version="1.0" encoding="utf-8"?><rss/>', "feed") == "utf-8"
