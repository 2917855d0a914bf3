"""Terminal safety: an article's escape sequences never reach the real terminal.

The real app (`python -m nkreader --db X`) runs in a pseudo-terminal (TERM=xterm-256color, 160x40).
An article whose title and body hold CSI, OSC (window title, OSC 52 clipboard write, OSC 8 link),
DCS, BEL, C1 controls, bidi overrides and Rich markup is put in the library two ways: straight
into the database (bypassing the importer, which strips controls: the app's own defences must
hold) and through `nkreader import`. The app lists it, opens it, jumps to an annotation whose
note, speaker and tags carry more payloads, opens the note/tags/speaker dialogs, and quits.
Every byte it wrote is kept and searched for the article's own sequences. Each payload is unique
(`pwned-title-7f3a`, clipboard `cHduZWQ=`, `evil.example/7f3a`) or follows a unique marker
(`csi-7f3a` + ESC[2J), so the app's own escape sequences, of which Textual writes many, are
never mistaken for the article's.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from helpers.pty_app import PtyApp
from nkreader.cli import main
from nkreader.domain import ArticleDraft, Kind
from nkreader.services.library import Library, content_hash
from nkreader.store.articles import add_article

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
CLIPBOARD = "cHduZWQ="  # base64 of "pwned"
WINDOW_TITLE = "pwned-title-7f3a"
LINK = "https://evil.example/7f3a"
MARKUP = "[@click=app.quit]click me[/]"

# (marker, control sequence): the marker is plain text that must be visible; what follows it in
# the article must never follow it on the terminal.
PAYLOADS: list[tuple[str, str]] = [
    ("csi-7f3a", f"{ESC}[2J"),
    ("red-7f3a", f"{ESC}[31;5m"),
    ("home-7f3a", f"{ESC}[H"),
    ("title0-7f3a", f"{ESC}]0;{WINDOW_TITLE}{BEL}"),
    ("title2-7f3a", f"{ESC}]2;{WINDOW_TITLE}{ST}"),
    ("clip-7f3a", f"{ESC}]52;c;{CLIPBOARD}{BEL}"),
    ("link-7f3a", f"{ESC}]8;;{LINK}{ST}"),
    ("dcs-7f3a", f"{ESC}Pq#0;2;0;0;0{ST}"),
    ("bell-7f3a", BEL),
    ("c1csi-7f3a", "\x9b2J"),
    ("c1osc-7f3a", f"\x9d0;{WINDOW_TITLE}\x9c"),
    ("nel-7f3a", "\x85"),
]
# (marker, opening control, its closing control)
BIDI: list[tuple[str, str, str]] = [
    ("rlo-7f3a", "\u202e", "\u202c"),  # RIGHT-TO-LEFT OVERRIDE ... POP DIRECTIONAL FORMATTING
    ("lro-7f3a", "\u202d", "\u202c"),  # LEFT-TO-RIGHT OVERRIDE
    ("lri-7f3a", "\u2066", "\u2069"),  # LEFT-TO-RIGHT ISOLATE ... POP DIRECTIONAL ISOLATE
]

TITLE = f"T-7f3a {ESC}]0;{WINDOW_TITLE}{BEL}[b]bold[/b] \x9b2J\u202eevil\u202c end"
BODY = "\n\n".join(
    [
        f"Visible {MARKUP} and [red]plain[/red] text.",
        *(f"{marker}{control}after text." for marker, control in PAYLOADS),
        *(f"{marker}{opening}exe.txt{closing} end." for marker, opening, closing in BIDI),
        "The last paragraph of the hostile article.",
    ]
)
NOTE = f"note-7f3a{ESC}]52;c;{CLIPBOARD}{BEL} and {ESC}[2J note"
SPEAKER = f"spk-7f3a{ESC}]0;{WINDOW_TITLE}{BEL}"
TAG = f"tag-7f3a{ESC}[31m"


def forbidden(text: str) -> list[str]:
    """Every piece of the article's control sequences found in the terminal output."""
    found = []
    for marker, control in PAYLOADS:
        if marker + control in text or marker + control[:2] in text:
            found.append(repr(marker + control))
    for needle in (
        f"{ESC}]52;",  # a clipboard write, whoever made it
        f"{ESC}]0;{WINDOW_TITLE}",
        f"{ESC}]2;{WINDOW_TITLE}",
        f"{ESC}]8;;{LINK}",
        f"spk-7f3a{ESC}",
        f"note-7f3a{ESC}",
        f"tag-7f3a{ESC}",
        f"T-7f3a {ESC}",
    ):
        if needle in text:
            found.append(repr(needle))
    # C1 controls, whether encoded as UTF-8 (U+0080-U+009F) or sent as raw bytes (lone surrogates).
    c1 = sorted({ch for ch in text if 0x80 <= ord(ch) <= 0x9F or 0xDC80 <= ord(ch) <= 0xDC9F})
    if c1:
        found.append(f"C1 controls {c1!r}")
    return found


def stored_directly(db: Path) -> None:
    """Straight into the database, as a damaged import, a merge or another tool could leave it."""
    library = Library.open(str(db))
    try:
        draft = ArticleDraft(
            title=TITLE,
            body=BODY,
            source=f"src-7f3a{ESC}]2;{WINDOW_TITLE}{BEL}",
            author=f"by-7f3a{ESC}[2J",
            url=f"https://example.org/{ESC}]52;c;{CLIPBOARD}{BEL}",
            published=date(2031, 1, 1),
        )
        with library.database.writing() as session:
            article = add_article(session, draft, content_hash(BODY))
        start = BODY.index("Visible")
        library.annotate(
            article.id, Kind.QUOTE, start, start + len("Visible"), note=NOTE, speaker=SPEAKER, tags=[TAG]
        )
    finally:
        library.close()
    with sqlite3.connect(db) as connection:  # the bypass really stored the controls
        title, body = connection.execute("SELECT title, body FROM articles").fetchone()
    assert ESC in title and "\x9b" in title and f"{ESC}]52;" in body and "\u202e" in body


def imported(db: Path, folder: Path) -> None:
    from click.testing import CliRunner

    source = folder / "hostile-7f3a.txt"
    source.write_text(f"{TITLE}\n\n{BODY}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(db), "import", str(source)])
    assert result.exit_code == 0, result.output
    library = Library.open(str(db))
    try:
        row = library.summaries()[0]
        body = library.article(row.id).body
        start = body.index("Visible")
        library.annotate(
            row.id, Kind.QUOTE, start, start + len("Visible"), note=NOTE, speaker=SPEAKER, tags=[TAG]
        )
    finally:
        library.close()


def run_app(db: Path) -> str:
    """Open the newest article, visit the annotation and its three dialogs, quit; all output."""
    with PtyApp(["--db", str(db)], columns=160, rows=40) as app:
        app.wait_for("T-7f3a")
        app.settle(quiet=0.3)
        app.send("enter")
        app.wait_for("The last paragraph")
        app.settle(quiet=0.3)
        for key in ("n", "e"):
            app.send(key)
        app.settle(quiet=0.3)
        app.send("escape", "t")
        app.settle(quiet=0.3)
        app.send("escape", "a")
        app.settle(quiet=0.3)
        app.send("escape")
        app.settle(quiet=0.3)
        app.send("ctrl+q")
        assert app.wait() == 0, app.text()[-2000:]
        return app.text()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    results = {}
    for how in ("stored", "imported"):
        folder = tmp_path_factory.mktemp(how)
        db = folder / "library.db"
        if how == "stored":
            stored_directly(db)
        else:
            imported(db, folder)
        results[how] = run_app(db)
    return results


@pytest.mark.parametrize("how", ["stored", "imported"])
def test_no_article_control_sequence_reaches_the_terminal(outputs: dict[str, str], how: str) -> None:
    text = outputs[how]
    assert forbidden(text) == []
    # The text around them is visible, literally: markup is not interpreted (nor is the app quit by it).
    assert MARKUP in text
    assert "[red]plain[/red]" in text
    assert "[b]bold[/b]" in text
    for marker, _ in PAYLOADS:
        assert marker in text, marker
    assert "note-7f3a" in text and "spk-7f3a" in text and "tag-7f3a" in text


def test_controls_stored_in_the_database_are_shown_not_dropped(outputs: dict[str, str]) -> None:
    """Tampering stays visible: a stored control is drawn as U+FFFD, and what followed it is kept."""
    text = outputs["stored"]
    assert "csi-7f3a\ufffd[2Jafter text." in text
    assert f"clip-7f3a\ufffd]52;c;{CLIPBOARD}\ufffdafter text." in text


@pytest.mark.parametrize("how", ["stored", "imported"])
def test_bidi_overrides_do_not_reach_the_terminal(outputs: dict[str, str], how: str) -> None:
    text = outputs[how]
    leaked = sorted(
        {f"U+{ord(ch):04X}" for ch in text if 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069}
    )
    assert leaked == []
    for marker, _, _ in BIDI:
        assert marker in text
