"""Two analysts, two real apps, one library (issue 11's acceptance, literally): `nkreader --as ana`
and `nkreader --as ben` run side by side in two pseudo-terminals; a claim marked in one shows up in
the other, with its maker's name, without a key pressed there (the app's poll: SQLite's data
version, PostgreSQL's LISTEN/NOTIFY). Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from conftest import SAMPLES
from helpers.pty_app import PtyApp
from nkreader.services.importing import import_paths
from nkreader.services.library import Library

_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def plain(app: PtyApp, start: int = 0) -> str:
    """What the app wrote after byte `start`, without its escape sequences."""
    return _ESCAPES.sub("", app.output[start:].decode("utf-8", "replace"))


def wait_plain(app: PtyApp, needle: str, start: int, timeout: float) -> float:
    """Seconds until `needle` shows in the app's output after byte `start`."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if needle in plain(app, start):
            return time.monotonic() - began
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} not shown within {timeout} s; output ends: {plain(app, start)[-800:]!r}")


@pytest.mark.slow
def test_two_apps_see_each_others_marks_with_their_names(db_url: str, tmp_path: Path) -> None:
    setup = Library.open(db_url)
    import_paths(setup, [SAMPLES / "hyesan-market-prices.txt"])
    article = setup.summaries()[0].id
    setup.close()
    with (
        PtyApp(["--db", db_url, "--as", "ana"], columns=160, rows=50) as ana,
        PtyApp(["--db", db_url, "--as", "ben"], columns=160, rows=50) as ben,
    ):
        for app in (ana, ben):
            app.wait_for("Rice tops", timeout=60)
            app.settle(quiet=0.3)
            app.send("enter")  # open the article (the only one, highlighted)
            app.wait_for("Ryanggang", timeout=30)
            app.settle(quiet=0.3)

        seen = len(ben.output)
        ana.send("c")  # ana marks the first sentence as a claim
        wait_plain(ana, "· ana", 0, 20)
        wait_plain(ben, "· ana", seen, 20)  # ben pressed nothing: his app polled and showed it

        seen = len(ana.output)
        ben.send(")", ")")  # two sentences on
        ben.send("q")  # ben marks a quote
        wait_plain(ben, "· ben", 0, 20)
        wait_plain(ana, "· ben", seen, 20)

        for app in (ana, ben):
            app.send("ctrl+q")
            assert app.wait(timeout=30) == 0
            assert "Traceback" not in plain(app)
    library = Library.open(db_url)
    try:
        marks = library.annotations(article)
    finally:
        library.close()
    assert sorted((a.kind.value, a.author, a.updated_by) for a in marks) == [
        ("claim", "ana", "ana"),
        ("quote", "ben", "ben"),
    ]
