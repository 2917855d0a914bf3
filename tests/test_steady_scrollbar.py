"""The reader's and the annotation list's scrollbars are drawn again only when they look different.

Why: a scrollbar repaint is a Rich render of its whole height (as much as the reader's own lines);
on a 1 MB article or a 1,000-mark list the thumb is one cell high and a line's scroll or one more
row changes nothing it shows, yet each cursor key and each mark repainted it (issue 14).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult

from nkreader.domain import Annotation, Kind
from nkreader.tui.annotation_list import AnnotationList
from nkreader.tui.reader import ReaderView
from nkreader.tui.steady_scrollbar import SteadyScrollBar, thumb_cells


def mark(i: int) -> Annotation:
    exact = f"passage number {i} of the long article"
    return Annotation(id=i, uuid=f"u-{i:04}", article_id=1, kind=Kind.CLAIM, start=i * 100, end=i * 100 + 38,
                      exact=exact)  # fmt: skip


class Both(App[None]):
    CSS = "ReaderView, AnnotationList { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield ReaderView()
        yield AnnotationList()


async def test_a_scrollbar_repaints_when_its_thumb_moves_and_not_for_a_change_it_does_not_show(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn: list[str] = []
    original = SteadyScrollBar.render

    def counting(self: SteadyScrollBar) -> Any:
        drawn.append(type(self.parent).__name__)
        return original(self)

    monkeypatch.setattr(SteadyScrollBar, "render", counting)
    app = Both()
    async with app.run_test(size=(80, 30)) as pilot:
        reader, panel = app.query_one(ReaderView), app.query_one(AnnotationList)
        reader.load("\n".join(f"line {n} of a very long article" for n in range(20_000)), [])
        marks = [mark(i) for i in range(1000)]
        panel.set_annotations(marks)
        reader.focus()
        await pilot.pause()
        assert isinstance(reader.vertical_scrollbar, SteadyScrollBar)
        assert isinstance(panel.vertical_scrollbar, SteadyScrollBar)
        assert {"ReaderView", "AnnotationList"} <= set(drawn)
        # the reader wraps the rest of the text in idle steps, and its height (the thumb) changes
        # when they are done: wait for that, so what follows counts only the changes made here
        for _ in range(500):
            if reader.wrap_layout.complete:
                break
            await pilot.pause(0.02)
        assert reader.wrap_layout.complete
        await pilot.pause()

        drawn.clear()
        reader.move_to(reader.body.index("line 40 of"))  # past the bottom: the view scrolls
        await pilot.pause()
        assert reader.scroll_offset.y > 0
        panel.set_annotations([*marks, mark(5000)])  # one row more, at the end: the thumb stays
        await pilot.pause()
        assert drawn == []

        reader.move_to(reader.body.index("line 10000 of"))  # half way: the thumb moves
        panel.highlighted = 999
        await pilot.pause()
        assert sorted(drawn) == ["AnnotationList", "ReaderView"]


@pytest.mark.parametrize(
    ("size", "virtual", "window"), [(30, 100, 30), (13, 20_000, 13), (35, 2_600, 35), (9, 9, 9)]
)
def test_the_thumb_cells_change_exactly_when_textuals_drawing_does(
    size: int, virtual: int, window: int
) -> None:
    """`thumb_cells` is what the repaint is skipped on: two positions with the same cells must be
    drawn the same by Textual's `ScrollBarRender.render_bar`, and different cells differently."""
    from textual.scrollbar import ScrollBarRender

    seen: dict[object, object] = {}
    for position in range(0, max(1, virtual - window) + 1, max(1, virtual // 997)):
        drawn = ScrollBarRender.render_bar(size, virtual, window, position)
        look = tuple((segment.text, segment.style) for segment in drawn.segments)
        cells = thumb_cells(size, virtual, window, position)
        assert seen.setdefault(cells, look) == look
    assert len(set(map(str, seen.values()))) == len(seen)
