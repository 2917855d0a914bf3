"""The reader wraps lazily: a long article is wrapped as far as it is looked at, and every answer is
the one a full wrap gives (docs/ARCHITECTURE.md §7, `text/layout.py`)."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region

from nkreader.domain import Kind
from nkreader.text import layout as layout_module
from nkreader.text import navigation
from nkreader.text.layout import WrapLayout
from nkreader.text.wrap import wrap_offsets
from nkreader.tui import reader_scroll as reader_module
from nkreader.tui.reader import GUTTER, Highlight, ReaderView

PARAGRAPHS = [
    "The minister said the policy will change next year, officials reported on Monday in Pyongyang.",
    "김정은 위원장은 경제를 살리겠다고 말했다. 인민의 생활을 높이는 것이 당의 목표라고 강조했다.",
    "Short.",
    "",
    "An emoji 👨‍👩‍👧 family, e\u0301 combining, a very-long-hyphenated-word-that-must-fold-somewhere-inside.",
    "   Leading spaces and a tab\tin the middle.",
]


def full_wrap(body: str, width: int) -> list[tuple[int, int]]:
    """The wrap table as the reader made it before it was lazy: every line of the body at once."""
    lines: list[tuple[int, int]] = []
    base = 0
    for row in layout_module.display_text(body).split("\n"):
        cuts = [0, *wrap_offsets(row, width), len(row)]
        lines += [(base + a, base + b) for a, b in pairwise(cuts)]
        base += len(row) + 1
    return lines


def mixed_body(rng: random.Random, rows: int) -> str:
    return "\n".join(rng.choice(PARAGRAPHS) * rng.randint(1, 4) for _ in range(rows))


def line_holding(expected: list[tuple[int, int]], offset: int) -> int:
    return max(i for i, (a, _) in enumerate(expected) if a <= offset)


@pytest.mark.parametrize("seed", range(8))
def test_every_answer_is_the_full_wraps_in_any_order(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """Lines are asked for in a random order (chunks wrapped here and there, estimates between):
    each answer about text is a full wrap's, and moves by lines count exactly."""
    monkeypatch.setattr(layout_module, "CHUNK_CHARS", 300)  # many chunks in a small body
    rng = random.Random(seed)
    body = mixed_body(rng, 120)
    width = rng.choice([8, 17, 30, 61])
    expected = full_wrap(body, max(8, width))
    layout = WrapLayout(body)
    layout.wrap(width)
    assert layout.wrapped_lines == 0 < layout.line_count
    for _ in range(300):
        offset = rng.randrange(len(body) + 1)
        want = line_holding(expected, offset)
        match rng.randrange(6):
            case 0:
                assert layout.line_span(layout.vline_of(offset)) == expected[want]
            case 1:
                lines = rng.randint(-60, 60)
                target = max(0, min(len(expected) - 1, want + lines))
                moved = navigation.vertical(layout, offset, lines, 0)
                assert moved.offset == expected[target][0]
            case 2:
                line = layout.vline_of(offset)
                ends_row = want + 1 == len(expected) or expected[want + 1][0] != expected[want][1]
                assert layout.offset_at(line, 0) == expected[want][0]
                assert layout.is_last_of_row(line) == ends_row
            case 3:
                bottom = min(want + 5, len(expected)) - 1
                assert layout.span_of_lines(layout.vline_of(offset), 5) == (expected[want][0], expected[bottom][1])
            case 4:
                layout.wrap_more(offset)
            case _:
                moved, _step = navigation.page(layout, offset, rng.random() < 0.5, 7, None)
                assert layout.snap(moved.offset) == moved.offset
    assert layout.vl_start == [a for a, _ in expected] and layout.vl_end == [b for _, b in expected]
    assert layout.complete and layout.line_count == len(expected)
    assert [layout.vline_of(a) for a, _ in expected] == list(range(len(expected)))


class ReaderApp(App[None]):
    CSS = "ReaderView { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield ReaderView(id="reader")


def rows_of(reader: ReaderView) -> list[str]:
    strips = reader.render_lines(Region(0, 0, reader.size.width, reader.size.height))
    return [strip.text[GUTTER:].rstrip() for strip in strips]


def style_at(reader: ReaderView, row: int, x: int) -> Style:
    cells = 0
    for segment in reader.render_lines(Region(0, 0, reader.size.width, reader.size.height))[row]:
        cells += segment.cell_length
        if cells > x:
            assert segment.style is not None
            return segment.style
    raise AssertionError("no cell there")


def long_article() -> str:
    """About 1 MB of text: English and Korean paragraphs."""
    rng = random.Random(14)
    return "\n\n".join(rng.choice(PARAGRAPHS[:3] + PARAGRAPHS[4:]) * rng.randint(1, 6) for _ in range(6000))


async def test_opening_a_long_article_wraps_the_first_screen_only_and_g_draws_the_end_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the idle steps: a 1 MB article wraps at most a few chunks before its first paint;
    `G` then shows the true last lines and a mark at the far end on its own characters;
    PgUp, `gg` and the scroll height agree with a full wrap."""
    monkeypatch.setattr(reader_module, "WRAP_STEP_PAUSE", 3600.0)  # no idle wrapping in this test
    body = long_article()
    assert len(body.encode()) > 900_000
    end_mark = body.rindex("경제를")
    highlights = [
        Highlight(10, 30, Kind.QUOTE, "near"),
        Highlight(end_mark, end_mark + 3, Kind.POLICY, "far"),
    ]
    app = ReaderApp()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(ReaderView)
        reader.focus()
        reader.load(body, highlights, cursor=0)
        await pilot.pause()
        layout = reader.wrap_layout
        expected = full_wrap(body, layout.width)
        shown = layout.display
        assert layout.wrapped_lines <= 3 * layout_module.CHUNK_CHARS // 20  # a few chunks, not 1 MB
        assert len(expected) > 20 * layout.wrapped_lines
        assert rows_of(reader)[:3] == [shown[a:b].rstrip() for a, b in expected[:3]]

        await pilot.press("G")
        assert reader.cursor == len(body)
        assert layout.wrapped_lines < len(expected) // 10  # the end, not all the text before it
        height = reader.scrollable_content_region.height
        top = len(expected) - height  # in the full wrap's numbering
        assert rows_of(reader) == [shown[a:b].rstrip() for a, b in expected[top:]]
        line = line_holding(expected, end_mark)
        x = GUTTER + layout.x_of(end_mark, layout.vline_of(end_mark))
        policy = reader.get_component_styles("reader--policy").background.rich_color
        assert style_at(reader, line - top, x).bgcolor == policy  # the mark's first character
        assert style_at(reader, line - top, x - 1).bgcolor != policy  # and not the one before it

        for _ in range(3):  # up into text not wrapped yet: the lines just above, not a guess
            await pilot.press("pageup")
            top -= height - 1
            assert rows_of(reader) == [shown[a:b].rstrip() for a, b in expected[top : top + height]]
        for _ in range(height + 2):
            await pilot.press("k")
        top = line_holding(expected, reader.cursor)
        assert rows_of(reader)[0] == shown[slice(*expected[top])].rstrip()
        await pilot.press("g")
        assert reader.cursor == 0 and int(reader.scroll_offset.y) == 0
        assert rows_of(reader) == [shown[a:b].rstrip() for a, b in expected[:height]]


async def test_reopening_far_into_a_long_article_wraps_only_around_the_saved_position(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A saved position 85 % into the article: the view shows its lines, and the 85 % before are
    not wrapped to get there; the mouse wheel up shows the text just above."""
    monkeypatch.setattr(reader_module, "WRAP_STEP_PAUSE", 3600.0)
    body = long_article()
    position = body.index("Short.", len(body) * 85 // 100)
    app = ReaderApp()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(ReaderView)
        reader.focus()
        reader.load(body, [], cursor=position)
        await pilot.pause()
        layout = reader.wrap_layout
        expected = full_wrap(body, layout.width)
        shown = layout.display
        assert layout.wrapped_lines <= 4 * layout_module.CHUNK_CHARS // 20
        rows = rows_of(reader)
        top = line_holding(expected, reader.visible_span()[0])
        assert rows == [shown[a:b].rstrip() for a, b in expected[top : top + len(rows)]]
        start, end = reader.visible_span()
        assert start <= reader.cursor == position < end
        for _ in range(30):
            reader.scroll_to(y=reader.scroll_offset.y - 3, animate=False)  # the wheel, a notch at a time
            top -= 3
            await pilot.pause()
            assert rows_of(reader)[0] == shown[slice(*expected[top])].rstrip()


async def test_idle_steps_wrap_the_text_after_the_view_and_keep_the_text_in_view() -> None:
    """The idle steps wrap from the view to the end (so `G` and the scroll height are exact there)
    and never the text before the view, which would renumber the lines on screen at every step."""
    body = long_article()
    app = ReaderApp()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(ReaderView)
        reader.load(body, [], cursor=len(body) // 2)
        await pilot.pause()
        layout = reader.wrap_layout
        before, version = rows_of(reader), layout.version
        for _ in range(400):
            if layout.wrap_more(len(body)) and not reader._wrap_scheduled:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        expected = full_wrap(body, layout.width)
        top = line_holding(expected, reader.visible_span()[0])
        assert layout.wrapped_lines >= len(expected) - top  # every line from the view on
        assert layout.wrapped_lines < len(expected) * 3 // 4  # not the half before it
        assert rows_of(reader) == before and layout.version >= version
        assert reader.virtual_size.height == layout.line_count
        await pilot.press("G")
        assert rows_of(reader)[-2:] == [layout.display[a:b].rstrip() for a, b in expected[-2:]]
