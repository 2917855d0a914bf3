"""Opening the app loads only what its first screen needs (issue 14).

Each of these was once on the start path and cost part of every start: trafilatura, lxml and
feedparser came in with the feeds screen's fetch code (half a second); every other screen and
dialog with the help's and the keymap checks' list of binding owners; every CLI command module
(the export module alone pulled in every exporter) with the click group; httpx with the feed
subscriptions; rapidfuzz with the sources register; SQLAlchemy, its ORM and the table models (0.3 s)
with the library, whose first list is now read with sqlite3 (the store opens once it is painted).
They load when their feature is used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLES
from nkreader.services.importing import import_paths
from nkreader.services.library import Library

PROBE = """
import asyncio, json, sys
from pathlib import Path
from nkreader.services.library import Library
from nkreader.tui.app import NkReaderApp, create_app

painted = []
open_store = NkReaderApp._open_store

def spy(self):  # called once the first screen is painted
    painted.append(sorted(sys.modules))
    open_store(self)

NkReaderApp._open_store = spy
library = Library.deferred(sys.argv[1])  # as `nkreader` opens it
app = create_app(library, keymap_path=None if sys.argv[2] == "-" else Path(sys.argv[2]))

async def main():
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in sys.argv[3:]:
            await pilot.press(key)
            await pilot.pause()

asyncio.run(main())
library.close()
print(json.dumps({"painted": painted[0], "after": sorted(sys.modules)}))
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
    "nkreader.text.normalize",
    "charset_normalizer",
    "nkreader.tui.search_screen",
    "nkreader.tui.browser_screen",
    "nkreader.tui.speakers_screen",
    "nkreader.tui.overview_screen",
    "nkreader.tui.agreement_screen",
    "nkreader.tui.feeds_screen",
    "nkreader.tui.revision_screen",
    "nkreader.tui.help",
    "nkreader.tui.dialogs",
    "nkreader.tui.link_dialog",
    "nkreader.tui.entity_dialogs",
    "textual.widgets._text_area",
    "nkreader.tui.commands",
)


def _loaded(tmp_path: Path, *keys: str, keymap: str | None = None) -> dict[str, set[str]]:
    """Modules loaded when the first screen was painted, and after the keys."""
    db = tmp_path / "lib.db"
    if not db.exists():
        library = Library.open(str(db))
        import_paths(library, [SAMPLES])
        library.close()
    config = tmp_path / "config.toml"
    if keymap is not None:
        config.write_text(keymap, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(db), str(config), *keys],
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg")},
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    return {"painted": set(seen["painted"]), "after": set(seen["after"])}


def _loaded_after_start(tmp_path: Path, *keys: str, keymap: str | None = None) -> set[str]:
    return _loaded(tmp_path, *keys, keymap=keymap)["after"]


def test_the_first_screen_loads_no_other_screen_fetcher_or_command(tmp_path: Path) -> None:
    loaded = _loaded_after_start(tmp_path)
    assert "nkreader.tui.main_screen" in loaded  # the probe did start the app
    assert sorted(m for m in LATER if m in loaded) == []
    assert sorted(m for m in loaded if m.startswith("nkreader.cli.") and m.endswith("_cmd")) == []


def test_the_list_is_painted_before_sqlalchemy_is_imported(tmp_path: Path) -> None:
    seen = _loaded(tmp_path)
    assert "nkreader.tui.library_list" in seen["painted"]
    assert sorted(m for m in seen["painted"] if m.split(".")[0] in ("sqlalchemy", "alembic")) == []
    assert "nkreader.store.models" not in seen["painted"]
    assert {"sqlalchemy.orm", "nkreader.store.database"} <= seen["after"]  # opened once painted


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
