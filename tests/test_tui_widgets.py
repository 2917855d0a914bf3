"""Pilot tests for the reusable TUI pieces: library list, annotation list, dialogs, help, keymap, welcome.

Every test app is tiny and self-contained; nothing here reads the user's config or data folder.
Timings are printed (``pytest -s``), never asserted.
"""

from __future__ import annotations

import html
import re
import time
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, TextArea

from nkreader.domain import AnchorState, Annotation, ArticleSummary, Kind, Status
from nkreader.tui.annotation_list import AnnotationList
from nkreader.tui.dialogs import (
    ConfirmDialog,
    NoteDialog,
    PromptDialog,
    SpeakerDialog,
    SpeakerSuggester,
    TagsDialog,
    TagSuggester,
    parse_tags,
)
from nkreader.tui.help import HelpScreen
from nkreader.tui.keymap import CONFIG_ENV, binding_ids, config_path, load_keymap, unknown_ids
from nkreader.tui.library_list import LibraryFilter, LibraryList, LibraryPane
from nkreader.tui.safe import REPLACEMENT, excerpt, fold, safe_text
from nkreader.tui.welcome import WelcomePanel

HOSTILE_TITLES = ["[@click=app.quit]x[/]", "[/nope]", "\x1b]0;pwn\x07 title"]


# --------------------------------------------------------------------------- helpers
def screen_text(app: App[Any]) -> str:
    """The screen as plain text, rebuilt from the SVG screenshot (public API only)."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = defaultdict(list)
    for m in re.finditer(r'<text class="[^"]*-r\d+" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        rows[float(m[2])].append((float(m[1]), html.unescape(m[3]).replace("\xa0", " ")))
    lines = []
    for y in sorted(rows):
        line = ""
        for x, text in sorted(rows[y]):
            line = line.ljust(round(x / 12.2)) + text
        lines.append(line.rstrip())
    return "\n".join(lines)


def summary(
    i: int, title: str | None = None, source: str | None = "Daily NK", **counts: int
) -> ArticleSummary:
    return ArticleSummary(
        id=i,
        uuid=f"uuid-{i}",
        title=title if title is not None else f"Article {i}: market prices in Hyesan, sector {i % 97}",
        source=source,
        published=date(2024, 5, 1 + i % 28) if i % 3 else None,
        imported_at=datetime(2024, 6, 1, 12, tzinfo=UTC),
        counts={
            Kind.CLAIM: counts.get("c", i % 4),
            Kind.QUOTE: counts.get("q", i % 7),
            Kind.POLICY: counts.get("p", 0),
        },
    )


def annotation(uuid: str, kind: Kind, start: int, exact: str = "some text", **kw: Any) -> Annotation:
    return Annotation(
        id=None, uuid=uuid, article_id=1, kind=kind, start=start, end=start + len(exact), exact=exact, **kw
    )


class Recorder(App[None]):
    """Base test app: subclasses record the messages that bubble up to the app."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []

    def record(self, message: Message) -> None:
        self.messages.append(message)

    def of(self, kind: type[Message]) -> list[Any]:
        return [m for m in self.messages if isinstance(m, kind)]


# --------------------------------------------------------------------------- safe.py
def test_safe_text_replaces_controls_and_bidi() -> None:
    assert safe_text("plain title") == "plain title"
    assert safe_text("a\x1b]0;pwn\x07b") == f"a{REPLACEMENT}]0;pwn{REPLACEMENT}b"
    assert (
        safe_text("x\u202eevil\u2066y\x9bz\x7f")
        == f"x{REPLACEMENT}evil{REPLACEMENT}y{REPLACEMENT}z{REPLACEMENT}"
    )
    assert safe_text("two\nlines\tand\r") == "two lines and "
    assert safe_text("keep\nnew\tlines\x1b", multiline=True) == f"keep\nnew\tlines{REPLACEMENT}"


def test_excerpt_is_one_line_and_cell_aware() -> None:
    assert excerpt("hello   world\nagain", 50) == "hello world again"
    assert excerpt("hello world", 8) == "hello w…"
    korean = excerpt("김정은 위원장이 현지지도", 9)  # two cells per syllable
    assert korean.endswith("…")
    from rich.cells import cell_len

    assert cell_len(korean) <= 9
    assert excerpt("anything", 0) == ""


def test_fold_ignores_case_diacritics_and_hyphens() -> None:
    assert fold("Kim Jong-un") == fold("kim jong un") == fold("KIM  JONG–UN") == "kim jong un"
    assert fold("Séoul") == "seoul"
    assert fold("김정은") == "김정은"  # Hangul is recomposed, not left as jamo


# --------------------------------------------------------------------------- library
class LibraryApp(Recorder):
    def __init__(self, rows: list[ArticleSummary]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield LibraryPane()

    def on_mount(self) -> None:
        pane = self.query_one(LibraryPane)
        pane.set_articles(self.rows)
        pane.focus_list()

    def on_library_list_highlighted(self, message: LibraryList.Highlighted) -> None:
        self.record(message)

    def on_library_list_article_chosen(self, message: LibraryList.ArticleChosen) -> None:
        self.record(message)


@pytest.fixture(scope="module")
def ten_thousand() -> list[ArticleSummary]:
    rows = [summary(i) for i in range(10_000)]
    rows[1234] = summary(1234, "Kim Jong Un inspects a hospital", source="KCNA")
    rows[4321] = summary(4321, "Party meeting: Kim Jong-un speech on farming", source="Rodong Sinmun")
    rows[7000] = summary(7000, "Defector says prices rose", source="kim jong un watch")
    return rows


async def test_library_10k_mounts_and_moves(ten_thousand: list[ArticleSummary]) -> None:
    started = time.perf_counter()
    app = LibraryApp(ten_thousand)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        print(f"\nLibraryPane 10k rows: app ready in {(time.perf_counter() - started) * 1000:.0f} ms")
        pane = app.query_one(LibraryPane)
        lst = app.query_one(LibraryList)
        assert lst.has_focus and lst.total_count == 10_000
        assert pane.highlighted_id == 0

        timings = []
        for key in ["j", "j", "down", "k"]:
            cpu = time.process_time()
            await pilot.press(key)
            timings.append((time.process_time() - cpu) * 1000)
        print(f"per key (j/down/k, CPU incl. pilot): {', '.join(f'{t:.1f}' for t in timings)} ms")
        assert pane.highlighted_id == 2

        await pilot.press("G")
        assert pane.highlighted_id == 9999
        await pilot.press("g")
        assert pane.highlighted_id == 0
        await pilot.press("end", "up", "enter")
        await pilot.pause()
        assert [m.article_id for m in app.of(LibraryList.ArticleChosen)] == [9998]
        # set_articles is programmatic (no message); every key move posts one
        assert [m.article_id for m in app.of(LibraryList.Highlighted)] == [1, 2, 3, 2, 9999, 0, 9999, 9998]
        await pilot.press("pagedown")
        assert pane.highlighted_id == 9999  # clamped at the end

        # A row shows title, source, date and counts with kind letters.
        assert pane.highlight(5)
        text = screen_text(app)
        line = next(line for line in text.splitlines() if "Article 5:" in line)
        assert "Daily NK" in line and "2024-05-06" in line and "C1 Q5 P0" in line


async def test_library_filter(ten_thousand: list[ArticleSummary]) -> None:
    app = LibraryApp(ten_thousand)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lst = app.query_one(LibraryList)
        await pilot.press("slash")
        assert isinstance(app.focused, LibraryFilter)

        cpu = time.process_time()
        await pilot.press(*"kim jong-un")
        await pilot.pause()
        print(f"\nfilter: typed 11 keys over 10k rows in {(time.process_time() - cpu) * 1000:.0f} ms CPU")
        assert sorted(lst.visible_ids) == [1234, 4321, 7000]  # hyphen, case and source all match
        assert "3/10,000" in screen_text(app)

        app.query_one(LibraryFilter).value = "KIM JONG UN"
        await pilot.pause()
        assert sorted(lst.visible_ids) == [1234, 4321, 7000]

        app.query_one(LibraryFilter).value = "rodong"  # source only
        await pilot.pause()
        assert lst.visible_ids == [4321]

        await pilot.press("down")  # from the filter to the list
        await pilot.pause()
        assert lst.has_focus
        assert app.of(LibraryList.Highlighted)[-1].article_id == 4321
        await pilot.press("enter")
        await pilot.pause()
        assert app.of(LibraryList.ArticleChosen)[-1].article_id == 4321

        await pilot.press("f")
        app.query_one(LibraryFilter).value = "no such article anywhere"
        await pilot.pause()
        assert lst.row_count == 0 and lst.highlighted_id is None
        assert "No articles match" in screen_text(app)
        await pilot.press("escape")  # clears and returns to the list
        await pilot.pause()
        assert lst.has_focus and lst.row_count == 10_000 and app.query_one(LibraryFilter).value == ""


async def test_library_filter_enter_opens_the_first_match() -> None:
    rows = [summary(i) for i in range(30)]
    rows[12] = summary(12, "Kim Jong Un inspects a hospital", source="KCNA")
    rows[20] = summary(20, "Kim Jong Un visits a farm", source="KCNA")
    app = LibraryApp(rows)
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        lst = app.query_one(LibraryList)
        await pilot.press("slash", *"kim jong", "enter")
        await pilot.pause()
        assert [m.article_id for m in app.of(LibraryList.ArticleChosen)] == [12]  # one Enter
        assert lst.has_focus
        await pilot.press("slash", *"nothing like this", "enter")  # no match: only to the list
        await pilot.pause()
        assert [m.article_id for m in app.of(LibraryList.ArticleChosen)] == [12]
        assert lst.has_focus


LONG_TITLE = "Kim Jong Un inspects the new greenhouse farm in Kangdong County and praises its officials"


def library_row(app: App[Any]) -> str:
    return next(line for line in screen_text(app).splitlines() if "Kim Jong Un" in line)


@pytest.mark.parametrize(
    ("width", "source", "date", "counts", "title_at_least"),
    [
        (24, False, False, False, 18),  # a title alone
        (36, False, True, False, 12),  # counts go before the date
        (50, False, True, True, 12),  # the library pane at ~160 columns: no room for the source
        (64, False, True, True, 28),  # at ~200 columns: the title grows, the source stays hidden
        (78, True, True, True, 28),  # the source only with a 28-cell title
        (120, True, True, True, 60),
    ],
)
async def test_library_title_wins_over_the_other_columns(
    width: int, source: bool, date: bool, counts: bool, title_at_least: int
) -> None:
    class NarrowLibrary(LibraryApp):
        CSS = f"LibraryPane {{ width: {width}; }}"

    rows = [summary(0, LONG_TITLE, source="Rodong Sinmun daily news", c=1, q=2), summary(1)]
    app = NarrowLibrary(rows)
    async with app.run_test(size=(130, 10)) as pilot:
        await pilot.pause()
        line = library_row(app)
        shown = line.strip().split("  ")[0]  # columns are separated by two spaces
        assert LONG_TITLE.startswith(shown.rstrip("…")) and len(shown) >= title_at_least, line
        assert ("Rodong Sinmun" in line) is source, line
        assert ("no date" in line) is date, line  # row 0 has no publication date
        assert ("C1 Q2 P0" in line) is counts, line


async def test_library_filter_not_in_tab_order() -> None:
    app = LibraryApp([summary(i) for i in range(5)])
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.query_one(LibraryList).has_focus
        await pilot.press("tab")
        assert not isinstance(app.focused, LibraryFilter)


async def test_library_update_and_highlight_clears_hiding_filter() -> None:
    rows = [summary(i) for i in range(20)]
    app = LibraryApp(rows)
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.pause()
        pane = app.query_one(LibraryPane)
        pane.update_article(summary(3, c=12, q=0, p=1))
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if "Article 3:" in line)
        assert "C12 Q0  P1" in line  # the count columns widen to two digits

        app.query_one(LibraryFilter).value = "sector 7"
        await pilot.pause()
        assert app.query_one(LibraryList).visible_ids == [7]
        assert pane.highlight(12)  # hidden by the filter: the filter is cleared
        assert pane.highlighted_id == 12 and app.query_one(LibraryFilter).value == ""
        assert not pane.highlight(999)


async def test_library_hostile_titles_render_literally_and_click_is_safe() -> None:
    rows = [summary(i, title, source="[b]src") for i, title in enumerate(HOSTILE_TITLES)]
    app = LibraryApp(rows)
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]x[/]" in text
        assert "[/nope]" in text
        assert "\x1b" not in text and "\x07" not in text
        assert f"{REPLACEMENT}]0;pwn{REPLACEMENT} title" in text
        assert "[b]src" in text

        lst = app.query_one(LibraryList)
        await pilot.click(LibraryList, offset=(5, 0))  # the highlighted row: chooses it
        await pilot.click(LibraryList, offset=(5, 1))  # highlights row 1
        await pilot.click(LibraryList, offset=(5, 1))  # chooses row 1
        await pilot.click(LibraryList, offset=(5, 2), times=2)  # double-click chooses row 2 once
        await pilot.pause()
        assert app.is_running
        assert [m.article_id for m in app.of(LibraryList.ArticleChosen)] == [0, 1, 2]
        assert lst.highlighted_id == 2


async def test_library_empty_shows_nothing() -> None:
    app = LibraryApp([])
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        assert app.query_one(LibraryPane).highlighted_id is None
        await pilot.press("j", "enter")
        assert app.of(LibraryList.ArticleChosen) == []
        assert "No articles match" not in screen_text(app)


# --------------------------------------------------------------------------- annotations
class AnnotationApp(Recorder):
    def compose(self) -> ComposeResult:
        yield AnnotationList()

    def on_annotation_list_highlighted(self, message: AnnotationList.Highlighted) -> None:
        self.record(message)

    def on_annotation_list_chosen(self, message: AnnotationList.Chosen) -> None:
        self.record(message)


ANNOTATIONS = [
    annotation(
        "u-quote",
        Kind.QUOTE,
        50,
        "[/nope] said\nthe source",
        speaker="[@click=app.quit]x",
        note="first line of the note\nsecond",
        tags=["ryanggang", "[b]tag"],
    ),
    annotation(
        "u-claim",
        Kind.CLAIM,
        5,
        "seven people were sentenced to forced labour",
        status=Status.DISPUTED,
        anchor_state=AnchorState.ORPHANED,
    ),
    annotation("u-policy", Kind.POLICY, 90, "we should launch a powerful drive", speaker="Kim Jong Un"),
]


async def test_annotation_list_order_badges_and_safety() -> None:
    app = AnnotationApp()
    async with app.run_test(size=(90, 12)) as pilot:
        await pilot.pause()
        panel = app.query_one(AnnotationList)
        assert "No article open." in screen_text(app)  # nothing was set yet
        assert panel.highlighted_uuid is None

        panel.set_annotations(ANNOTATIONS)
        panel.focus()
        await pilot.pause()
        assert panel.uuids == ["u-claim", "u-quote", "u-policy"]  # text order
        lines = screen_text(app).splitlines()
        assert any("[C] · disputed · ⚠ orphaned" in line for line in lines)
        assert any("[Q] [@click=app.quit]x" in line for line in lines)
        assert any("[/nope] said the source" in line for line in lines)
        assert any("#ryanggang #[b]tag  first line of the note" in line for line in lines)
        assert any("[P] Kim Jong Un" in line for line in lines)

        await pilot.press("j", "j", "k", "enter")
        await pilot.pause()
        assert panel.highlighted_uuid == "u-quote"
        assert [m.uuid for m in app.of(AnnotationList.Chosen)] == ["u-quote"]
        assert app.of(AnnotationList.Highlighted)[-1].uuid == "u-quote"

        seen = len(app.of(AnnotationList.Highlighted))
        assert panel.select_uuid("u-policy") and panel.highlighted_uuid == "u-policy"
        await pilot.pause()
        assert len(app.of(AnnotationList.Highlighted)) == seen  # programmatic: no message
        assert not panel.select_uuid("nope")

        await pilot.click(AnnotationList, offset=(6, 3))  # the quote row, whose speaker is hostile
        await pilot.pause()
        assert app.is_running

        panel.set_annotations([a for a in ANNOTATIONS if a.uuid != "u-claim"])
        await pilot.pause()
        assert panel.uuids == ["u-quote", "u-policy"]
        panel.set_annotations([])
        await pilot.pause()
        assert panel.highlighted_uuid is None and "No annotations yet." in screen_text(app)


class NarrowAnnotationApp(AnnotationApp):
    CSS = "AnnotationList { width: 38; }"  # the pane at ~130 columns


def panel_lines(app: App[Any]) -> list[str]:
    """The list's rows without its border."""
    return [line.strip("▊▎ ").rstrip() for line in screen_text(app).splitlines()[1:-1]]


async def test_annotation_rows_show_note_and_tags_on_a_third_line_at_pane_width() -> None:
    long = "The prosecutor listed 300 smartphones, 2,000 boxes of antibiotics and more besides."
    items = [
        annotation(
            "u-1",
            Kind.QUOTE,
            0,
            long,
            speaker="Choi Min-seo",
            note="check the\ncount",
            tags=["trial", "kcna"],
        ),
        annotation("u-2", Kind.CLAIM, 100, long, status=Status.CORROBORATED),
        annotation("u-3", Kind.POLICY, 200, long, tags=["plenary"]),
    ]
    app = NarrowAnnotationApp()
    async with app.run_test(size=(60, 16)) as pilot:
        panel = app.query_one(AnnotationList)
        panel.set_annotations(items)
        await pilot.pause()
        assert [line.strip() for line in panel_lines(app)[:8]] == [
            "[Q] Choi Min-seo",
            "The prosecutor listed 300 sma…",
            "#trial #kcna  check the",
            "[C] · corroborated",
            "The prosecutor listed 300 sma…",
            "[P]",
            "The prosecutor listed 300 sma…",
            "#plenary",
        ]


async def test_annotation_hints_wrap_and_no_article_has_its_own() -> None:
    app = NarrowAnnotationApp()
    async with app.run_test(size=(60, 12)) as pilot:
        panel = app.query_one(AnnotationList)
        await pilot.pause()
        assert panel_lines(app)[:2] == ["No article open.", "Choose one in the library."]
        panel.set_annotations([])  # an article without annotations
        await pilot.pause()
        assert panel_lines(app)[:2] == ["No annotations yet.", "Select text and press c, q or p."]
        panel.show_no_article()
        await pilot.pause()
        assert panel_lines(app)[:2] == ["No article open.", "Choose one in the library."]
        assert panel.highlighted_uuid is None and panel.uuids == []
        panel.set_annotations(ANNOTATIONS[:1])
        await pilot.pause()
        assert panel.uuids == ["u-quote"] and "No article open." not in screen_text(app)
        panel.styles.width = 20  # a narrow pane: the hint wraps instead of being cut
        panel.set_annotations([])
        await pilot.pause()
        text = " ".join(line for line in panel_lines(app) if line)
        assert text == "No annotations yet. Select text and press c, q or p."


# --------------------------------------------------------------------------- dialogs
class DialogApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[Any] = []

    def open(self, screen: Screen[Any]) -> None:
        self.push_screen(screen, self.results.append)


async def run_dialog(screen: Screen[Any], *keys: str, size: tuple[int, int] = (90, 30)) -> list[Any]:
    app = DialogApp()
    async with app.run_test(size=size) as pilot:
        app.open(screen)
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        return app.results


@pytest.mark.parametrize(
    "make",
    [
        lambda: NoteDialog("a note"),
        lambda: TagsDialog(["a"], ["abc"]),
        lambda: SpeakerDialog("Kim", ["Kim Jong Un"]),
        lambda: PromptDialog("Find", "text"),
    ],
    ids=["note", "tags", "speaker", "prompt"],
)
async def test_dialog_escape_cancels(make: Any) -> None:
    assert await run_dialog(make(), "escape") == [None]


async def test_confirm_dialog() -> None:
    assert await run_dialog(ConfirmDialog("Delete “[/nope]”?"), "escape") == [False]
    assert await run_dialog(ConfirmDialog("Delete?"), "y") == [True]
    assert await run_dialog(ConfirmDialog("Delete?"), "n") == [False]
    assert await run_dialog(ConfirmDialog("Delete?"), "enter") == [True]  # Yes is focused
    assert await run_dialog(ConfirmDialog("Delete?", default=False), "enter") == [False]


async def test_note_dialog_enter_is_newline_ctrl_s_saves() -> None:
    results = await run_dialog(NoteDialog("first"), "enter", *"second", "ctrl+s")
    assert results == ["first\nsecond"]
    assert await run_dialog(NoteDialog("x"), "backspace", "ctrl+s") == [""]


async def test_note_dialog_hostile_context_and_hint() -> None:
    app = DialogApp()
    async with app.run_test(size=(90, 30)) as pilot:
        app.open(NoteDialog("[/nope] note", context="[@click=app.quit]passage"))
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]passage" in text and "[/nope] note" in text
        assert "save" in text and "cancel" in text
        assert isinstance(app.focused, TextArea)


async def test_tags_dialog_values_and_completion() -> None:
    known = ["nuclear", "north korea", "Ryanggang"]
    assert await run_dialog(TagsDialog([], known), *"a, b,, a , c", "enter") == [["a", "b", "c"]]
    # "nuc" + right completes the token under the cursor; "ryang" + tab too, with the known spelling.
    results = await run_dialog(
        TagsDialog(["north korea"], known), *"nuc", "right", *", ryang", "tab", "enter"
    )
    assert results == [["north korea", "nuclear", "Ryanggang"]]
    assert await run_dialog(TagsDialog(["x"], known), "ctrl+s") == [["x"]]


def test_tag_suggester_and_parse() -> None:
    suggester = TagSuggester(["nuclear", "north korea", "Nuclear test"])
    assert suggester.complete("economy, nu") == "economy, nuclear"
    assert suggester.complete("nuclear, nu") == "nuclear, Nuclear test"  # not the tag already there
    assert suggester.complete("economy, ") is None
    assert suggester.complete("zzz") is None
    assert parse_tags("#Nuclear,  north   korea ,NUCLEAR,", ["nuclear"]) == ["nuclear", "north korea"]


async def test_speaker_dialog() -> None:
    known = ["Kim Jong Un", "Kim Yo Jong", "Ri Pyong Chol", "a source in South Pyongan"]
    # word-start completion: "jong" → "Kim Jong Un", accepted with right
    assert await run_dialog(SpeakerDialog(None, known), *"jong", "right", "enter") == ["Kim Jong Un"]
    # typed text is saved as typed; a known name in other case takes the known spelling
    assert await run_dialog(SpeakerDialog(None, known), *"kim jong un", "enter") == ["Kim Jong Un"]
    assert await run_dialog(SpeakerDialog(None, known), *"Pak Jong Chon", "enter") == ["Pak Jong Chon"]
    # empty input removes the speaker
    assert await run_dialog(SpeakerDialog("Kim Jong Un", known), "ctrl+u", "enter") == [""]
    # down moves into the list of matches; enter picks
    assert await run_dialog(SpeakerDialog(None, known), *"kim", "down", "down", "enter") == ["Kim Yo Jong"]


async def test_speaker_dialog_shows_matches_safely() -> None:
    app = DialogApp()
    async with app.run_test(size=(90, 30)) as pilot:
        app.open(SpeakerDialog("[/nope]", ["[@click=app.quit]x", "Kim Jong Un"]))
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "[/nope]" in text
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert "[@click=app.quit]x" in screen_text(app)
        options = app.screen.query_one(OptionList)
        await pilot.click(options, offset=(2, 0))
        await pilot.pause()
        assert app.is_running and app.results == ["[@click=app.quit]x"]


def test_speaker_suggester_matching() -> None:
    suggester = SpeakerSuggester(["Kim Jong Un", "Kim Yo Jong", "Jong Su", "Ri Son Gwon"])
    assert suggester.matches("jong") == ["Jong Su", "Kim Jong Un", "Kim Yo Jong"]  # prefix first
    assert suggester.matches("kim jong-un") == ["Kim Jong Un"]
    assert suggester.complete("ri") == "Ri Son Gwon"
    assert suggester.matches("", 2) == ["Kim Jong Un", "Kim Yo Jong"]


async def test_speaker_inline_completion_ignores_case_hyphens_and_diacritics() -> None:
    suggester = SpeakerSuggester(["Kim Yo-jong", "Kim Yŏng-nam", "Ri Son Gwon"])
    assert await suggester.get_suggestion("ki") == "Kim Yo-jong"
    assert await suggester.get_suggestion("KIM YO") == "Kim Yo-jong"
    assert await suggester.get_suggestion("kim yo j") == "Kim Yo-jong"  # a space for the hyphen
    assert await suggester.get_suggestion("kim yong") == "Kim Yŏng-nam"  # no diacritic typed
    assert await suggester.get_suggestion("son") is None  # a word-start match cannot be drawn inline

    known = ["Kim Yo-jong", "Ri Son Gwon"]
    assert await run_dialog(SpeakerDialog(None, known), *"ki", "right", "enter") == ["Kim Yo-jong"]
    assert await run_dialog(SpeakerDialog(None, known), *"kim yo j", "tab", "enter") == ["Kim Yo-jong"]
    app = DialogApp()
    async with app.run_test(size=(90, 30)) as pilot:
        app.open(SpeakerDialog(None, known))
        await pilot.pause()
        await pilot.press(*"kim yo j")
        await pilot.pause()
        await pilot.pause()
        assert "Kim Yo-jong" in screen_text(app)  # drawn in the known spelling, rest in grey
        assert app.screen.query_one("#speaker-input", Input).value == "kim yo j"  # until accepted


async def test_tag_inline_completion_ignores_case() -> None:
    suggester = TagSuggester(["Nuclear test", "north-korea"])
    assert await suggester.get_suggestion("economy, NUC") == "economy, Nuclear test"
    assert await suggester.get_suggestion("north k") == "north-korea"
    assert await suggester.get_suggestion("north-korea, north k") is None  # already there
    results = await run_dialog(TagsDialog([], ["nuclear"]), *"NU", "right", "enter")
    assert results == [["nuclear"]]


async def test_prompt_dialog() -> None:
    assert await run_dialog(PromptDialog("Import path", "PATH", "~/"), *"news", "enter") == ["~/news"]
    assert await run_dialog(PromptDialog("Import path", "PATH", "[/nope]"), "enter") == ["[/nope]"]
    assert await run_dialog(PromptDialog("Find", "text"), *"rice", "ctrl+s") == ["rice"]


# --------------------------------------------------------------------------- keymap and help
def test_load_keymap_good_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[keymap]\n"library.down" = "n, down"\n"dialog.save" = ["ctrl+s", "ctrl+w"]\n"bad" = 3\n"spaces" = "ctrl + s"\n',
        encoding="utf-8",
    )
    keymap, warnings = load_keymap(path)
    assert keymap == {"library.down": "n,down", "dialog.save": "ctrl+s,ctrl+w"}
    assert len(warnings) == 2 and all(w.startswith("config.toml: ") for w in warnings)


def test_load_keymap_malformed_and_missing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[keymap\nlibrary.down = ", encoding="utf-8")
    keymap, warnings = load_keymap(path)
    assert keymap == {} and len(warnings) == 1 and warnings[0].startswith("config.toml: ")
    path.write_bytes(b"\xff\xfe[keymap]")
    assert load_keymap(path)[0] == {} and len(load_keymap(path)[1]) == 1
    path.write_text('keymap = "j"\n', encoding="utf-8")
    assert load_keymap(path)[0] == {} and "table" in load_keymap(path)[1][0]
    assert load_keymap(tmp_path / "absent.toml") == ({}, [])


def test_config_path_env_and_unknown_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "mine.toml"))
    assert config_path() == tmp_path / "mine.toml"
    monkeypatch.delenv(CONFIG_ENV)
    assert config_path().name == "config.toml"
    known = binding_ids(LibraryList, LibraryPane, AnnotationList)
    assert {"library.down", "library.open", "library.filter", "annotations.choose"} <= known
    assert unknown_ids({"library.down": "n", "libary.up": "e", "zzz": "x"}, known) == ["libary.up", "zzz"]


class KeymapApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "bell", "Ring the bell", id="demo.bell")]

    def help_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        rows = [
            (self.get_key_display(active.binding), active.binding.description)
            for active in self.screen.active_bindings.values()
            if active.binding.id == "demo.bell"
        ]
        return [("Demo", rows)]


async def test_help_screen_shows_remapped_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"demo.bell" = "z"\n', encoding="utf-8")
    keymap, warnings = load_keymap(path)
    assert warnings == []
    app = KeymapApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.set_keymap(keymap)
        await pilot.pause()
        groups = app.help_groups()
        assert groups == [("Demo", [("z", "Ring the bell")])]
        app.push_screen(HelpScreen([*groups, ("Hostile", [("[/nope]", "[@click=app.quit]x")])]))
        await pilot.pause()
        text = screen_text(app)
        assert re.search(r"\bz\s+Ring the bell", text)
        assert "[/nope]" in text and "[@click=app.quit]x" in text
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        app.push_screen(HelpScreen(groups))
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen) and app.is_running


async def test_help_screen_shows_binding_ids_and_merges_repeated_rows() -> None:
    groups: list[tuple[str, list[Any]]] = [
        (
            "Library",
            [
                ("/, f", "Filter articles", "library.filter"),
                ("esc", "Clear filter", "library.clear_filter"),
                ("esc", "Clear filter", "library.filter.clear"),  # the same row from the filter field
                ("enter", "Open the article", ""),
            ],
        ),
        ("Old style", [("z", "Ring the bell")]),  # (keys, description) rows still work
    ]
    app = KeymapApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(HelpScreen(groups))
        await pilot.pause()
        text = screen_text(app)
        assert re.search(r"/, f\s+Filter articles\s+library\.filter\b", text)
        assert len(re.findall(r"esc\s+Clear filter", text)) == 1
        assert "library.clear_filter," in text and "library.filter.clear" in text  # both ids, one row
        assert re.search(r"enter\s+Open the article\s+█", text)  # no id: an empty id cell
        assert re.search(r"\bz\s+Ring the bell", text)


# --------------------------------------------------------------------------- welcome
class WelcomeApp(Recorder):
    def compose(self) -> ComposeResult:
        yield WelcomePanel()

    def on_welcome_panel_import_samples(self, message: WelcomePanel.ImportSamples) -> None:
        self.record(message)


async def test_welcome_panel_posts_import_samples() -> None:
    app = WelcomeApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "nkreader import PATH" in text and "ctrl+p" in text and "Press i" in text
        await pilot.click("#welcome-import-samples")
        await pilot.pause()
        assert len(app.of(WelcomePanel.ImportSamples)) == 1


async def test_input_widgets_take_plain_text() -> None:
    """The filter field shows a hostile query literally (Input never parses markup)."""
    app = LibraryApp([summary(0, "[/nope]")])
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"[/nope]")
        await pilot.pause()
        assert app.query_one(Input).value == "[/nope]"
        assert app.query_one(LibraryList).visible_ids == [0]
