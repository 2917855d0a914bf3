"""The agreement screen (issue 11): the CLI's figures for the open article or the library, the
disagreements stepped through with j/k and n/N, and Enter landing on the passage in the reader
with both annotators' marks drawn. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from click.testing import CliRunner

from conftest import SAMPLES
from nkreader.cli import main
from nkreader.domain import Kind
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.agreement_screen import AgreementScreen
from nkreader.tui.app import NkReaderApp, create_app
from nkreader.tui.main_screen import MainScreen
from test_tui_widgets import screen_text

ANA = [(0, 40, Kind.CLAIM), (100, 160, Kind.QUOTE), (300, 340, Kind.CLAIM), (400, 460, Kind.CLAIM)]
BEN = [(0, 40, Kind.CLAIM), (105, 160, Kind.QUOTE), (500, 540, Kind.CLAIM), (402, 460, Kind.QUOTE)]


def build(db: str, plan: dict[str, list[tuple[int, int, Kind]]]) -> tuple[int, int]:
    """The samples; each annotator of `plan` marks the rice article. Returns (rice, another id)."""
    setup = Library.open(db)
    import_paths(setup, [SAMPLES])
    summaries = setup.summaries()
    setup.close()
    rice = next(s.id for s in summaries if s.title.startswith("Rice tops"))
    other = next(s.id for s in summaries if s.id != rice)
    for who, spans in plan.items():
        library = Library.open(db, annotator=who)
        for start, end, kind in spans:
            library.annotate(rice, kind, start, end)
        library.close()
    return rice, other


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


async def open_agreement(pilot, app: NkReaderApp, article: int | None) -> AgreementScreen:  # type: ignore[no-untyped-def]
    if article is not None:
        app.main.open_article(article)
        app.main.focus_pane("reader")
        await pilot.pause()
    await pilot.press("ctrl+t")
    screen = app.screen
    assert isinstance(screen, AgreementScreen)
    for _ in range(600):  # the figures are counted in a worker: up to 30 s on a loaded machine
        if screen.loads:
            break
        await pilot.pause(0.05)
    assert screen.loads
    await pilot.pause()
    return screen


async def test_the_cli_figures_the_disagreements_and_enter_lands_on_the_passage(
    db_url: str, tmp_path: Path
) -> None:
    rice, _ = build(db_url, {"ana": ANA, "ben": BEN})
    cli = CliRunner().invoke(main, ["--db", db_url, "agreement", "--between", "ana", "ben", "--article", str(rice)])
    assert cli.exit_code == 0, cli.output
    cli_rows = [line for line in cli.output.splitlines()[1:] if line.strip()]
    assert len(cli_rows) == 3
    library = Library.open(db_url, annotator="ana")
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await open_agreement(pilot, app, rice)
            seen = screen_text(app)
            assert "Agreement · this article: Rice tops 7,000 won" in seen
            # the CLI's rows, figure for figure (the screen names the pair once, on its first row)
            for row in cli_rows:
                assert squeeze(row.replace("ana / ben", "")).strip() in squeeze(seen), row
            assert "4 disagreements" in seen
            listed = [line.split()[:3] for line in seen.splitlines() if re.match(r"\s*(only|bounds|kind) ", line)]
            assert [" ".join(cells[:2]) for cells in listed] == [
                "bounds differ",
                "only ana",
                "kind differs",
                "only ben",
            ]
            assert "ana: quote 100–160" in seen and "ben: quote 105–160" in seen
            await pilot.press("j")  # the next: ana's claim alone
            seen = screen_text(app)
            assert "ana: claim 300–340" in seen and "ben: no mark here" in seen
            await pilot.press("n", "N", "j")  # n/N step too: now the kind that differs
            seen = screen_text(app)
            assert "ana: claim 400–460" in seen and "ben: quote 402–460" in seen
            await pilot.press("enter")
            await pilot.pause()
            main_screen = app.screen
            assert isinstance(main_screen, MainScreen)
            assert main_screen.session.article_id == rice
            assert main_screen.reader.cursor == 400
            ana_mark = next(a for a in main_screen.annotations if (a.author, a.start) == ("ana", 400))
            ben_mark = next(a for a in main_screen.annotations if (a.author, a.start) == ("ben", 402))
            assert main_screen.session.current_uuid == ana_mark.uuid
            drawn = {h.key: h for h in main_screen.reader.highlights}
            assert {ana_mark.uuid, ben_mark.uuid} <= set(drawn)  # both annotators' marks on the text
            assert drawn[ben_mark.uuid].other and not drawn[ana_mark.uuid].other  # hers as usual, his beside
            seen = screen_text(app)
            assert "ana claim 400–460 · ben quote 402–460 (kind differs" in seen
            assert "Annotations · mine beside ben" in seen
            # back to the list: where the reviewer left it
            await open_agreement(pilot, app, None)
            assert "ana: claim 400–460" in screen_text(app)
            await pilot.press("k")
            assert "ana: claim 300–340" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
    finally:
        library.close()


async def test_the_whole_library_and_back_to_the_article(db_url: str, tmp_path: Path) -> None:
    rice, other = build(db_url, {"ana": ANA, "ben": BEN})
    library = Library.open(db_url, annotator="ana")
    library.annotate(other, Kind.POLICY, 0, 30)  # a mark ben never saw: another article
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_agreement(pilot, app, other)
            seen = screen_text(app)
            assert "Only ana has marked this article." in seen
            assert "nkreader --as NAME" in seen
            assert "In the whole library: ana, ben (press a to see it)." in seen
            await pilot.press("enter")  # nothing to open: the screen stays
            assert app.screen is screen
            loads = screen.loads
            await pilot.press("a")
            for _ in range(200):
                if screen.loads > loads:
                    break
                await pilot.pause(0.05)
            await pilot.pause()
            seen = screen_text(app)
            assert "Agreement · whole library" in seen
            # ben never marked that other article: it is left out, not a disagreement
            assert "4 disagreements" in seen
            assert "Rice tops" in seen  # the article column
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert app.main.session.article_id == rice and app.main.reader.cursor == 100
            # the scope is remembered: the library again, on the same disagreement
            await open_agreement(pilot, app, None)
            seen = screen_text(app)
            assert "Agreement · whole library" in seen and "ana: quote 100–160" in seen
    finally:
        library.close()


async def test_nobody_else_yet_says_how_to_add_an_annotator(tmp_path: Path) -> None:
    db = str(tmp_path / "lib.db")
    rice, _ = build(db, {"ana": ANA})
    library = Library.open(db, annotator="ana")
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_agreement(pilot, app, rice)
            seen = squeeze(screen_text(app))
            assert "Only ana has marked this article. Agreement needs a second annotator" in seen
            assert '"nkreader --as NAME"' in seen
            assert "disagreement" not in seen
    finally:
        library.close()


async def test_the_palette_offers_it_and_the_help_lists_its_keys(tmp_path: Path) -> None:
    db = str(tmp_path / "lib.db")
    build(db, {"ana": ANA, "ben": BEN})
    library = Library.open(db, annotator="ana")
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            commands = {c.title: c for c in app.get_system_commands(app.screen)}
            command = commands["Agreement between annotators"]
            assert command.help.endswith("(key: ^t)")
            ran = command.callback()
            if inspect.isawaitable(ran):
                await ran
            for _ in range(200):
                if isinstance(app.screen, AgreementScreen) and app.screen.loads:
                    break
                await pilot.pause(0.05)
            assert isinstance(app.screen, AgreementScreen)
            groups = dict(app.help_groups())
            ids = {row[2] for row in groups["Agreement"]}
            assert {"agreement.next", "agreement.previous", "agreement.open", "agreement.scope"} <= ids
            assert any(row[2] == "app.agreement" for row in groups["Application"])
    finally:
        library.close()


async def test_a_mark_made_meanwhile_is_counted_without_a_key(db_url: str, tmp_path: Path) -> None:
    """ana reviews; ben marks one more passage in his own app: the screen counts it again within
    the poll (LISTEN/NOTIFY on PostgreSQL), staying on the disagreement ana had highlighted."""
    rice, _ = build(db_url, {"ana": ANA, "ben": BEN})
    library = Library.open(db_url, annotator="ana")
    ben = Library.open(db_url, annotator="ben")
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            screen = await open_agreement(pilot, app, rice)
            await pilot.press("j")
            assert "4 disagreements" in screen_text(app) and "ana: claim 300–340" in screen_text(app)
            ben.annotate(rice, Kind.POLICY, 600, 640)
            loads = screen.loads
            for _ in range(200):
                if screen.loads > loads:
                    break
                await pilot.pause(0.05)
            await pilot.pause()
            seen = screen_text(app)
            assert "5 disagreements" in seen
            assert "ana: claim 300–340" in seen  # still where she was
    finally:
        ben.close()
        library.close()


async def test_a_long_list_is_cut_and_says_so(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A whole library marked twice has tens of thousands of disagreements: the figures count them
    all, the list shows the first ones and says how many there are."""
    import nkreader.tui.agreement_screen as agreement_screen

    monkeypatch.setattr(agreement_screen, "LIST_LIMIT", 2)
    db = str(tmp_path / "lib.db")
    rice, _ = build(db, {"ana": ANA, "ben": BEN})
    library = Library.open(db, annotator="ana")
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_agreement(pilot, app, rice)
            assert "4 disagreements, the first 2 listed" in screen_text(app)
            assert screen.table.row_count == 2
            await pilot.press("j", "j")  # the end of the list: stays on the last one
            assert "ana: claim 300–340" in screen_text(app)
    finally:
        library.close()


async def test_with_three_annotators_enter_shows_the_two_compared(tmp_path: Path) -> None:
    db = str(tmp_path / "lib.db")
    rice, _ = build(db, {"ana": ANA, "ben": BEN, "cat": ANA})
    library = Library.open(db, annotator="cat")
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await open_agreement(pilot, app, rice)
            seen = screen_text(app)
            # ana and cat agree on everything; each of them differs from ben four times
            assert "8 disagreements" in seen
            assert "ana / ben" in seen and "ben / cat" in seen  # the pair column
            assert "ana / cat" in seen  # (in the figures)
            await pilot.press("enter")  # ana / ben: the quote's bounds
            await pilot.pause()
            main_screen = app.main
            assert app.screen is main_screen and main_screen.reader.cursor == 100
            drawn = {h.key: h for h in main_screen.reader.highlights}
            by = {a.uuid: a.author for a in main_screen.annotations}
            assert {by[key] for key in drawn} == {"ana", "ben"}  # cat's own marks are not the question
            assert "Annotations · ana beside ben" in screen_text(app)
    finally:
        library.close()
