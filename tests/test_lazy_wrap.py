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
from nkreader.text.layout import WrapLayout
from nkreader.text.wrap import wrap_offsets
from nkreader.tui import reader as reader_module
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


@pytest.mark.parametrize("seed", range(6))
def test_every_answer_is_the_full_wraps_in_any_order(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    monkeypatch.setattr(layout_module, "CHUNK_CHARS", 300)  # many chunks in a small body
    rng = random.Random(seed)
    body = mixed_body(rng, 120)
    width = rng.choice([8, 17, 30, 61])
    expected = full_wrap(body, max(8, width))
    layout = WrapLayout(body)
    layout.wrap(width)
    assert layout.wrapped_lines == 0 < layout.line_count
    seen: dict[int, tuple[int, int]] = {}
    for _ in range(300):
        line = rng.randrange(len(expected) + 3)
        offset = rng.randrange(len(body) + 1)
        match rng.randrange(6):
            case 0:
                assert layout.vline_of(offset) == max(i for i, (a, _) in enumerate(expected) if a <= offset)
            case 1:
                assert layout.has_line(line) == (line < len(expected))
                if line < len(expected):
                    seen[line] = layout.line_span(line)
                    assert seen[line] == expected[line]
            case 2:
                last = min(line, len(expected) - 1)
                ends_row = last + 1 == len(expected) or expected[last + 1][0] != expected[last][1]
                assert layout.offset_at(line, 0) == expected[last][0]
                assert layout.is_last_of_row(last) == ends_row
            case 3:
                top = min(line, len(expected) - 1)
                bottom = min(top + 5, len(expected)) - 1
                assert layout.span_of_lines(top, 5) == (expected[top][0], expected[bottom][1])
            case 4:
                layout.wrap_more(200)
            case _:
                for known, span in seen.items():  # a line keeps its number once it is wrapped
                    assert layout.line_span(known) == span
    assert layout.vl_start == [a for a, _ in expected] and layout.vl_end == [b for _, b in expected]
    assert layout.complete and layout.line_count == len(expected)


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
        assert layout.complete and reader.virtual_size.height == len(expected)
        height = reader.scrollable_content_region.height
        top = len(expected) - height
        assert int(reader.scroll_offset.y) == top
        assert rows_of(reader) == [shown[a:b].rstrip() for a, b in expected[top:]]
        line = next(i for i, (a, b) in enumerate(expected) if a <= end_mark < b)
        x = GUTTER + layout.x_of(end_mark, line)
        policy = reader.get_component_styles("reader--policy").background.rich_color
        assert style_at(reader, line - top, x).bgcolor == policy  # the mark's first character
        assert style_at(reader, line - top, x - 1).bgcolor != policy  # and not the one before it

        await pilot.press("pageup")
        y = int(reader.scroll_offset.y)
        assert y == top - (height - 1)
        assert rows_of(reader) == [shown[a:b].rstrip() for a, b in expected[y : y + height]]
        await pilot.press("g")
        assert reader.cursor == 0 and int(reader.scroll_offset.y) == 0


async def test_idle_steps_finish_the_wrap_and_the_height_becomes_exact() -> None:
    body = long_article()
    app = ReaderApp()
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.query_one(ReaderView)
        reader.load(body, [], cursor=len(body) // 2)
        await pilot.pause()
        middle = reader.wrap_layout.vline_of(len(body) // 2)
        assert int(reader.scroll_offset.y) <= middle < int(reader.scroll_offset.y) + 24
        for _ in range(200):
            if reader.wrap_layout.complete:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        expected = full_wrap(body, reader.wrap_layout.width)
        assert reader.wrap_layout.complete and reader.virtual_size.height == len(expected)
        assert reader.wrap_layout.vline_of(len(body) // 2) == middle  # nothing moved under the view
