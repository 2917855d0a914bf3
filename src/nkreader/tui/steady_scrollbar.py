"""A vertical scrollbar that is drawn again only when what it shows changes.

Why: Textual repaints a scrollbar whenever its position or the scrolled height changes, and a
repaint is a Rich render of every cell of it (35 lines at 120×40: 2 ms, as much as the reader's
own lines). On a 1 MB article or a 1,000-mark list the thumb is one cell high and moves one eighth
of a cell every hundred lines or so: a cursor key that scrolls the reader by a line, or a mark that
makes the list one row taller, changes nothing the scrollbar draws, yet cost a fifth of the key.
`SteadyScrollBar` works out what it would draw — its size, colours and the thumb's ends in eighths
of a cell, the same arithmetic as Textual's `ScrollBarRender.render_bar` — and skips the repaint
when that is what is on screen. `SteadyScrollbars` gives a widget such a vertical scrollbar.
"""

from __future__ import annotations

from math import ceil
from typing import TYPE_CHECKING

from rich.console import RenderableType
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from typing_extensions import Self

__all__ = ["SteadyScrollBar", "SteadyScrollbars", "thumb_cells"]

if TYPE_CHECKING:
    _WidgetBase = Widget
else:
    _WidgetBase = object

_EIGHTHS = 8
"""Textual draws the thumb's ends in eighths of a cell (`ScrollBarRender.VERTICAL_BARS`)."""


def thumb_cells(size: int, virtual_size: int, window_size: int, position: float) -> tuple[int, int] | None:
    """The thumb's start and end, in eighths of a cell, as `ScrollBarRender.render_bar` draws it
    (None: no thumb)."""
    if not (window_size and size and virtual_size and size != virtual_size):
        return None
    thumb = max(1, window_size / (virtual_size / size))
    start = int((size - thumb) * (position / (virtual_size - window_size)) * _EIGHTHS)
    return start, start + ceil(thumb * _EIGHTHS)


class SteadyScrollBar(ScrollBar):
    """A `ScrollBar` whose repaint is skipped when it would draw what it drew last."""

    _drawn: tuple[object, ...] | None = None

    def _look(self) -> tuple[object, ...]:
        """Everything `ScrollBar.render` draws from."""
        parent = self.parent
        styles = parent.styles if isinstance(parent, Widget) else None
        colours: tuple[object, ...] = ()
        if styles is not None:
            colours = (
                styles.scrollbar_background,
                styles.scrollbar_color,
                styles.scrollbar_background_hover,
                styles.scrollbar_color_hover,
                styles.scrollbar_background_active,
                styles.scrollbar_color_active,
            )
        window_size = self.window_size if self.window_size < self.window_virtual_size else 0
        length = self.size.height if self.vertical else self.size.width
        thumb = thumb_cells(length, ceil(self.window_virtual_size), ceil(window_size), self.position)
        return (self.size, self.vertical, self.thickness, bool(self.grabbed), self.mouse_over, colours, thumb)

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        if (
            repaint
            and not (regions or layout or recompose)
            and self._drawn is not None
            and self.is_mounted
            and self._look() == self._drawn
        ):
            return self  # the same cells as on screen
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def notify_style_update(self) -> None:
        self._drawn = None  # a theme's colours may come through the parent's background
        super().notify_style_update()

    def render(self) -> RenderableType:
        self._drawn = self._look()
        return super().render()


class SteadyScrollbars(_WidgetBase):
    """Mixed into a widget (before its Textual base): its vertical scrollbar is a `SteadyScrollBar`,
    made as Textual makes its own (on first use, hidden until needed). A plain mixin, not a
    `Widget`: a Widget subclass would bring Widget's default CSS in front of the widget's own
    (`overflow: hidden` over a ScrollView's `auto`)."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:
            bar = SteadyScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar
