"""Opening the app loads only what its first screen needs (issue 14).

Each of these was once on the start path and cost part of every start: trafilatura, lxml and
feedparser came in with the feeds screen's fetch code (half a second); every other screen and
dialog with the help's and the keymap checks' list of binding owners; every CLI command module
(the export module alone pulled in every exporter) with the click group; httpx with the feed
subscriptions; rapidfuzz with the sources register. They load when their feature is used.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import asyncio, json, sys
from nkreader.services.library import Library
from nkreader.tui.app import create_app

library = Library.open(sys.argv[1])
app = create_app(library, keymap_path=None if sys.argv[2] == "-" else __import__("pathlib").Path(sys.argv[2]))

async def main():
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in sys.argv[3:]:
            await pilot.press(key)
            await pilot.pause()

asyncio.run(main())
library.close()
print(json.dumps(sorted(sys.modules)))
"""

LATER = (
    "trafilatura",
    "lxml",
    "feedparser",
    "markdown_it",
    "yaml",
    "httpx",
    "rapidfuzz",
    "nkreader.fetching.http",
    "nkreader.tui.search_screen",
    "nkreader.tui.browser_screen",
    "nkreader.tui.speakers_screen",
    "nkreader.tui.overview_screen",
    "nkreader.tui.agreement_screen",
    "nkreader.tui.feeds_screen",
    "nkreader.tui.revision_screen",
    "nkreader.tui.help",
    "nkreader.tui.commands",
)


def _loaded_after_start(tmp_path: Path, *keys: str, keymap: str | None = None) -> set[str]:
    config = tmp_path / "config.toml"
    if keymap is not None:
        config.write_text(keymap, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "lib.db"), str(config), *keys],
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
        env={**__import__("os").environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg")},
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_first_screen_loads_no_other_screen_fetcher_or_command(tmp_path: Path) -> None:
    loaded = _loaded_after_start(tmp_path)
    assert "nkreader.tui.main_screen" in loaded  # the probe did start the app
    assert sorted(m for m in LATER if m in loaded) == []
    assert sorted(m for m in loaded if m.startswith("nkreader.cli.") and m.endswith("_cmd")) == []


def test_help_imports_the_screens_it_lists(tmp_path: Path) -> None:
    loaded = _loaded_after_start(tmp_path, "question_mark")
    assert {"nkreader.tui.help", "nkreader.tui.search_screen", "nkreader.tui.feeds_screen"} <= loaded


def test_a_keymap_is_checked_against_every_screen(tmp_path: Path) -> None:
    loaded = _loaded_after_start(tmp_path, keymap='[keymap]\n"app.help" = "f1"\n')
    assert {"nkreader.tui.agreement_screen", "nkreader.tui.speakers_screen"} <= loaded


def test_a_page_charset_still_loads_the_page_reader_when_asked() -> None:
    from nkreader.fetching.charset import document_charset

    assert document_charset(b'<html><head><meta charset="euc-kr"></head>', "page") == "euc-kr"
    assert document_charset(b'<?xml version="1.0" encoding="utf-8"?><rss/>', "feed") == "utf-8"
