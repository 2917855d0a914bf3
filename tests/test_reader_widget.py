"""ReaderView driven through Pilot: keys, selection, mouse, highlights, untrusted text, resize."""

from __future__ import annotations

import colorsys
from collections.abc import Sequence
from typing import ClassVar

import pytest
from rich.color import EIGHT_BIT_PALETTE, ColorSystem
from rich.color_triplet import ColorTriplet
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.strip import Strip

from nkreader.domain import Kind
from nkreader.text import layout as layout_module
from nkreader.tui.reader import GUTTER, Highlight, ReaderView

S1 = "The minister said the policy will change."
S2 = "“We will build homes,” she said."
S3 = "Mr. Kim agreed."
P1 = f"{S1} {S2} {S3}"
P2 = "Critics claimed the budget is too small. Others disagree!"
P3 = "김정은 위원장은 말했다. 경제를 살리겠다."
BODY = f"{P1}\n\n{P2}\n\n{P3}"


class ReaderApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app_escape", "Escape")]

    def __init__(self, body: str = BODY, highlights: Sequence[Highlight] = (), cursor: int = 0) -> None:
        super().__init__()
        self.body, self.highlights, self.start = body, list(highlights), cursor
        self.moves: list[int] = []
        self.selections: list[tuple[int, int] | None] = []
        self.escapes = 0

    def compose(self) -> ComposeResult:
        yield ReaderView(id="reader")

    def on_mount(self) -> None:
        reader = self.query_one(ReaderView)
        reader.load(self.body, self.highlights, self.start)
        reader.focus()

    def on_reader_view_cursor_moved(self, message: ReaderView.CursorMoved) -> None:
        self.moves.append(message.offset)

    def on_reader_view_selection_changed(self, message: ReaderView.SelectionChanged) -> None:
        self.selections.append(message.span)

    def action_app_escape(self) -> None:
        self.escapes += 1


def screen_strips(reader: ReaderView) -> list[Strip]:
    return reader.render_lines(Region(0, 0, reader.size.width, reader.size.height))


def screen_rows(reader: ReaderView) -> list[str]:
    return [strip.text for strip in screen_strips(reader)]


def style_at(reader: ReaderView, row: int, x: int) -> Style:
    cells = 0
    for segment in screen_strips(reader)[row]:
        cells += segment.cell_length
        if cells > x:
            assert segment.style is not None
            return segment.style
    raise AssertionError("no cell there")


# ------------------------------------------------------------------------------ keys


async def test_keys_move_to_exact_offsets() -> None:
    app = ReaderApp()
    async with app.run_test(size=(100, 12)) as pilot:
        r = app.query_one(ReaderView)
        assert r.cursor == 0
        steps = [
            ("l", 1),
            ("right", 2),
            ("h", 1),
            ("w", 4),
            ("w", BODY.index("said")),
            ("b", 4),
            ("b", 0),
            (")", BODY.index("“We")),
            (")", BODY.index("Mr.")),
            ("(", BODY.index("“We")),
            ("(", 0),
            ("}", BODY.index("Critics")),
            ("}", BODY.index("김정은")),
            ("{", BODY.index("Critics")),
            ("G", len(BODY)),
            ("g", 0),
            ("end", len(P1)),  # the whole first paragraph fits on one visual line
            ("home", 0),
        ]
        for key, expected in steps:
            await pilot.press(key)
            assert r.cursor == expected, key


async def test_vertical_moves_keep_the_goal_column() -> None:
    app = ReaderApp(cursor=10)
    async with app.run_test(size=(100, 12)) as pilot:
        r = app.query_one(ReaderView)
        await pilot.press("j")
        assert r.cursor == len(P1) + 1  # the blank line
        await pilot.press("down")
        assert r.cursor == BODY.index("Critics") + 10
        await pilot.press("k", "k")
        assert r.cursor == 10


async def test_korean_cursor_steps_and_columns() -> None:
    body = "가나다 라마\nabcdefgh"
    app = ReaderApp(body)
    async with app.run_test(size=(40, 6)) as pilot:
        r = app.query_one(ReaderView)
        await pilot.press("l", "l")
        assert r.cursor == 2
        await pilot.press("j")  # 2 syllables = 4 cells -> column 4 below
        assert r.cursor == body.index("e")
        await pilot.press("k")
        assert r.cursor == 2
        await pilot.press("j", "h")  # column 3 on the Latin line
        await pilot.press("k")  # cell 3 is the right half of 나
        assert r.cursor == 1


async def test_graphemes_are_single_steps() -> None:
    body = "a👨‍👩‍👧e\u0301b"
    app = ReaderApp(body)
    async with app.run_test(size=(40, 6)) as pilot:
        r = app.query_one(ReaderView)
        seen = []
        for _ in range(4):
            await pilot.press("l")
            seen.append(r.cursor)
        assert seen == [1, 1 + len("👨‍👩‍👧"), 1 + len("👨‍👩‍👧") + 2, len(body)]
        await pilot.press("h")
        assert r.cursor == len(body) - 1


# ------------------------------------------------------------------------- selection


async def test_v_and_sentence_moves_select_two_sentences() -> None:
    app = ReaderApp()
    async with app.run_test(size=(100, 12)) as pilot:
        r = app.query_one(ReaderView)
        await pilot.press("v")
        assert r.mode == "selecting" and r.selection == (0, 1)  # inclusive: the character under the cursor
        await pilot.press(")")  # growing forward, a sentence key lands on the sentence's last character
        assert r.selection == (0, len(S1)) and r.cursor == len(S1) - 1
        await pilot.press(")")
        assert r.selection == (0, len(f"{S1} {S2}"))
        assert app.selections[-1] == r.selection
        await pilot.press("v")  # stop selecting, keep the selection
        assert r.mode == "selected" and r.selection == (0, len(f"{S1} {S2}"))
        assert r.target_span() == r.selection
        await pilot.press("l")  # plain movement drops it
        assert r.selection is None and app.selections[-1] is None
        assert r.mode == "reading"


async def test_mode_is_selected_when_a_selection_exists_outside_selecting_mode() -> None:
    app = ReaderApp()
    async with app.run_test(size=(100, 12)) as pilot:
        r = app.query_one(ReaderView)
        assert r.mode == "reading"
        await pilot.press("s")  # a sentence, and selecting goes on (`s )` adds the next one)
        assert r.mode == "selecting" and r.selection == (0, len(S1))
        await pilot.press("escape")
        assert r.mode == "reading"
        await pilot.mouse_down(r, offset=(GUTTER + 4, 0))
        await pilot.hover(r, offset=(GUTTER + 12, 0))
        await pilot.mouse_up(r, offset=(GUTTER + 12, 0))
        assert r.mode == "selected" and r.selection == (4, 12)  # "minister": both ends included, the space trimmed
        await pilot.press("v")  # selecting again from the cursor: the selection is kept and grows
        assert r.mode == "selecting"


async def test_s_selects_the_sentence_and_grows_a_selection() -> None:
    app = ReaderApp(cursor=BODY.index("budget"))
    async with app.run_test(size=(100, 12)) as pilot:
        r = app.query_one(ReaderView)
        await pilot.press("s")
        start = BODY.index("Critics")
        assert r.selection == (start, start + len("Critics claimed the budget is too small."))
        r.select_span(BODY.index("minister"), BODY.index("build"))
        await pilot.press("s")
        assert r.selection == (0, len(f"{S1} {S2}"))
        await pilot.press("S")
        assert r.selection == (0, len(P1))


async def test_shift_arrows_extend_and_escape_clears() -> None:
    app = ReaderApp()
    async with app.run_test(size=(100, 12)) as pilot:
        r = app.query_one(ReaderView)
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert r.selection == (0, 3) and r.selection_anchor == 0
        await pilot.press("escape")
        assert r.selection is None and r.selection_anchor is None and app.escapes == 0
        await pilot.press("escape")  # nothing to clear: the app gets the key
        assert app.escapes == 1


async def test_target_span_is_the_sentence_or_none_on_a_blank_line() -> None:
    app = ReaderApp(cursor=BODY.index("위원장"))
    async with app.run_test(size=(100, 12)):
        r = app.query_one(ReaderView)
        start = BODY.index("김정은")
        assert r.target_span() == (start, start + len("김정은 위원장은 말했다."))
        r.move_to(len(P1) + 1)
        assert r.target_span() is None


async def test_keys_can_be_remapped_by_id() -> None:
    app = ReaderApp()
    async with app.run_test(size=(100, 12)) as pilot:
        app.set_keymap({"reader.word_next": "e"})
        await pilot.press("e")
        assert app.query_one(ReaderView).cursor == 4


async def test_messages_are_posted() -> None:
    app = ReaderApp()
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.press("w", "shift+right")
        await pilot.pause()
        assert app.moves[-2:] == [4, 5]
        assert app.selections[-1] == (4, 6)
        await pilot.press("escape", "v")  # entering selecting mode selects the character under the cursor
        await pilot.pause()
        assert app.selections[-2:] == [None, (5, 6)]
        assert app.query_one(ReaderView).mode == "selecting"


# ----------------------------------------------------------------------------- mouse


async def test_mouse_drag_double_and_triple_click() -> None:
    app = ReaderApp()
    async with app.run_test(size=(100, 12)) as pilot:
        r = app.query_one(ReaderView)
        await pilot.click(r, offset=(GUTTER + 8, 0))
        assert r.cursor == 8 and r.selection is None
        await pilot.mouse_down(r, offset=(GUTTER + 4, 0))
        await pilot.hover(r, offset=(GUTTER + 12, 0))
        await pilot.mouse_up(r, offset=(GUTTER + 12, 0))
        assert r.selection == (4, 12)
        await pilot.double_click(r, offset=(GUTTER + 20, 0))
        assert r.selection == (18, 21)  # "the"
        await pilot.triple_click(r, offset=(GUTTER + 50, 0))
        assert r.selection == (BODY.index("“We"), BODY.index(" Mr."))


async def test_dragging_past_the_edge_scrolls() -> None:
    class SmallApp(ReaderApp):
        CSS = "ReaderView { height: 8; }"

    body = "\n".join(f"line {i} of the article" for i in range(100))
    app = SmallApp(body)
    async with app.run_test(size=(40, 12)) as pilot:
        r = app.query_one(ReaderView)
        await pilot.mouse_down(r, offset=(GUTTER + 2, 5))
        await pilot.hover(r, offset=(GUTTER + 2, 10))  # below the reader
        await pilot.pause(0.3)
        assert r.scroll_offset.y > 0
        await pilot.mouse_up(r, offset=(GUTTER + 2, 10))
        selection = r.selection
        assert selection is not None and selection[0] == body.index("line 5") + 2
        assert r.vline_of(selection[1]) > 8


async def test_click_on_hangul_accounts_for_wide_cells_and_the_gutter() -> None:
    body = "가나다 라마"
    app = ReaderApp(body)
    async with app.run_test(size=(40, 6)) as pilot:
        r = app.query_one(ReaderView)
        for x, expected in [
            (GUTTER + 2, 1),
            (GUTTER + 3, 1),
            (GUTTER + 4, 2),
            (GUTTER + 6, 3),
            (GUTTER + 7, 4),
            (0, 0),
        ]:
            await pilot.click(r, offset=(x, 0))
            assert r.cursor == expected, x


# ------------------------------------------------------------------ untrusted text


async def test_markup_and_escapes_are_drawn_literally() -> None:
    body = "[bold]x[/] [@click=app.quit]y[/] \x1b[2J z\n\nend"
    app = ReaderApp(body)
    async with app.run_test(size=(60, 6)) as pilot:
        r = app.query_one(ReaderView)
        rows = screen_rows(r)
        assert rows[0][GUTTER:].startswith("[bold]x[/] [@click=app.quit]y[/] \ufffd[2J z")
        for strip in screen_strips(r):
            for segment in strip:
                assert "\x1b" not in segment.text
                assert segment.style is None or "@click" not in segment.style.meta
        await pilot.click(r, offset=(GUTTER + body.index("quit"), 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert r.cursor == body.index("quit")


# ------------------------------------------------------------------------ highlights


async def test_highlights_draw_styles_and_gutter_letters() -> None:
    body = "claim line\nquote line\nboth kinds\npolicy line\nplain line"
    starts = [0, 11, 22, 33, 45]
    highlights = [
        Highlight(starts[0], starts[0] + 5, Kind.CLAIM, "a"),
        Highlight(starts[1], starts[1] + 5, Kind.QUOTE, "b"),
        Highlight(starts[2], starts[2] + 10, Kind.CLAIM, "c"),
        Highlight(starts[2] + 5, starts[2] + 10, Kind.QUOTE, "d"),
        Highlight(starts[3], starts[3] + 6, Kind.POLICY, "e"),
    ]
    app = ReaderApp(body, highlights)
    async with app.run_test(size=(40, 8)) as pilot:
        r = app.query_one(ReaderView)
        r.blur()
        await pilot.pause()
        assert [row[:GUTTER] for row in screen_rows(r)[:5]] == ["C ", "Q ", "* ", "P ", "  "]
        assert style_at(r, 0, GUTTER).underline
        assert style_at(r, 1, GUTTER).italic
        assert style_at(r, 3, GUTTER).bold
        both = style_at(r, 2, GUTTER + 7)
        assert both.underline and both.italic  # overlapping kinds stay visible
        assert both.bgcolor != style_at(r, 2, GUTTER).bgcolor  # the overlap style
        plain = style_at(r, 4, GUTTER)
        assert not (plain.underline or plain.italic or plain.bold)
        # the selection draws over a highlight, the cursor over both
        r.focus()
        r.select_span(starts[0], starts[0] + 3)
        await pilot.pause()
        selected = style_at(r, 0, GUTTER + 1)
        assert selected.bgcolor != style_at(r, 0, GUTTER + 4).bgcolor and selected.underline
        assert style_at(r, 0, GUTTER + 2).reverse  # the cursor on the selection's last character


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio of two sRGB colours."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in (c / 255 for c in rgb)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a) + 0.05, luminance(b) + 0.05), reverse=True)
    return hi / lo


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_highlight_colours_stay_distinct_and_readable_in_256_colours(theme: str) -> None:
    hues = {  # hue ranges in degrees: claim blue, quote green, policy amber, overlap violet
        "claim": (190, 240),
        "quote": (100, 160),
        "policy": (25, 60),
        "overlap": (255, 300),
    }
    app = ReaderApp()
    async with app.run_test(size=(60, 8)) as pilot:
        app.theme = theme
        await pilot.pause()
        r = app.query_one(ReaderView)
        base = r.rich_style
        assert base.color is not None and base.bgcolor is not None
        foreground = base.color.get_truecolor()
        truecolor: dict[str, ColorTriplet] = {}
        eight_bit: dict[str, int | None] = {}
        for name in [*hues, "selection"]:
            bgcolor = r.get_component_rich_style(f"reader--{name}").bgcolor
            assert bgcolor is not None
            truecolor[name] = bgcolor.get_truecolor()  # blended over the reader's background
            eight_bit[name] = bgcolor.downgrade(ColorSystem.EIGHT_BIT).number
        assert len(set(truecolor.values())) == len(truecolor), truecolor
        assert len(set(eight_bit.values())) == len(eight_bit), eight_bit  # tmux without truecolor
        assert base.bgcolor.downgrade(ColorSystem.EIGHT_BIT).number not in eight_bit.values()
        for name, (low, high) in hues.items():
            for rgb in (truecolor[name], EIGHT_BIT_PALETTE[eight_bit[name] or 0]):
                hue = colorsys.rgb_to_hls(*rgb.normalized)[0] * 360
                assert low <= hue <= high, (name, rgb.hex, hue)
            assert _contrast(foreground, truecolor[name]) >= 4.5, name
            assert _contrast(foreground, EIGHT_BIT_PALETTE[eight_bit[name] or 0]) >= 4.0, name


async def test_set_highlights_redraws_without_rewrapping(monkeypatch: pytest.MonkeyPatch) -> None:
    app = ReaderApp()
    async with app.run_test(size=(100, 12)) as pilot:
        r = app.query_one(ReaderView)
        calls = []
        monkeypatch.setattr(layout_module, "wrap_offsets", lambda *a: calls.append(a) or [])
        r.set_highlights([Highlight(0, 10, Kind.POLICY, "x")])
        await pilot.pause()
        assert calls == []
        assert screen_rows(r)[0].startswith("P ")


# ------------------------------------------------------------------------ rendering


async def test_only_changed_lines_are_refreshed(monkeypatch: pytest.MonkeyPatch) -> None:
    body = "\n".join(f"line {i} of the article" for i in range(30))
    app = ReaderApp(body)
    async with app.run_test(size=(60, 12)) as pilot:
        r = app.query_one(ReaderView)
        await pilot.pause()
        refreshed: list[tuple[int, int]] = []
        real = r.refresh_lines
        monkeypatch.setattr(r, "refresh_lines", lambda y, n=1: refreshed.append((y, n)) or real(y, n))
        await pilot.press("l")
        assert set(refreshed) == {(0, 1)}
        refreshed.clear()
        await pilot.press("j")
        assert set(refreshed) == {(0, 1), (1, 1)}
        refreshed.clear()
        await pilot.press("shift+down")
        assert {y for y, _ in refreshed} <= {1, 2}


async def test_resize_keeps_the_top_text() -> None:
    paragraph = "The minister said the policy will change next year, officials reported on Monday."
    body = "\n\n".join(f"{i}: {paragraph}" for i in range(80))
    app = ReaderApp(body)
    async with app.run_test(size=(50, 10)) as pilot:
        r = app.query_one(ReaderView)
        r.move_to(body.index("40: "))
        await pilot.pause()
        top = r.visible_span()[0]
        assert body[top:].startswith("40: ") or top < body.index("40: ")
        await pilot.resize_terminal(90, 10)
        await pilot.pause()
        assert r.vline_of(top) == int(r.scroll_offset.y)
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert r.vline_of(top) == int(r.scroll_offset.y)


async def test_wide_text_renders_at_true_width() -> None:
    body = "가나다 👨‍👩‍👧 e\u0301 \u200bx"
    app = ReaderApp(body)
    async with app.run_test(size=(30, 5)) as pilot:
        r = app.query_one(ReaderView)
        r.blur()
        await pilot.pause()
        strip = screen_strips(r)[0]
        assert r.render_line(0).cell_length == r.scrollable_content_region.width
        assert strip.text.startswith("  가나다 👨‍👩‍👧 e\u0301 \u200bx")


# --------------------------------------------------------------------------- the rest


async def test_find_is_case_insensitive_and_wraps() -> None:
    body = f"{BODY}\n\nDie Straße ist lang."
    app = ReaderApp(body)
    async with app.run_test(size=(100, 12)):
        r = app.query_one(ReaderView)
        assert r.find("MINISTER", 0) == 4
        assert r.find("critics", 50) == body.index("Critics")
        assert r.find("the", body.index("Critics")) == body.index("the budget")
        assert r.find("minister", 10) == 4  # wrapped around
        assert r.find("STRASSE", 0) == body.index("Straße")
        assert r.find("위원장은", 0) == body.index("위원장은")
        assert r.find("nowhere", 0) is None
        assert r.find("   ", 0) is None


async def test_position_label_and_visible_span() -> None:
    app = ReaderApp(cursor=BODY.index("Critics"))
    async with app.run_test(size=(100, 12)):
        r = app.query_one(ReaderView)
        assert r.position_label() == f"ln 3/5 · {100 * BODY.index('Critics') // len(BODY)}%"
        assert r.visible_span() == (0, len(BODY))


async def test_load_before_layout_scrolls_to_the_cursor() -> None:
    body = "\n\n".join(f"paragraph {i}" for i in range(200))
    cursor = body.index("paragraph 150")
    app = ReaderApp(body, cursor=cursor)
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        r = app.query_one(ReaderView)
        assert r.cursor == cursor
        start, end = r.visible_span()
        assert start <= cursor < end
