"""Drawing the annotation panel's rows: prompts kept until their annotation changes, strips per state.

Split from the list widget (tui/annotation_list.py), which lays rows out and handles keys: this is
what makes scrolling a 1,000-mark list cost only the rows that come on screen. A row's prompt is
built (tui/annotation_rows.py) the first time the row is drawn and again only when what it shows
changed — compared with a copy of what it was built from, so no caller has to say what changed.
"""

from __future__ import annotations

from copy import copy

from rich.segment import Segment
from textual.cache import LRUCache
from textual.content import Content
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widget import Widget

from nkreader.domain import Annotation
from nkreader.tui.annotation_rows import Row
from nkreader.tui.instrument_cues import RowExtras

__all__ = ["RowPainter"]

_Key = tuple[str, str | None]


class RowPainter:
    """Prompts and strips of one list's rows (`widget` resolves the styles' ``$variables``)."""

    def __init__(self, widget: Widget) -> None:
        self._widget = widget
        self._prompts: dict[_Key, tuple[object, Content, int, RowExtras | None, int]] = {}
        """Per row key: what the prompt was built from (a copy), the prompt, its generation, its
        extras, and the width its excerpts were cut at."""
        self._generation = 0
        self._strips: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(256)

    def forget(self) -> None:
        """Another article: nothing kept is of use."""
        self._prompts.clear()
        self._strips.clear()

    def restyle(self) -> None:
        """Theme, focus or width changed: every strip is drawn again (the prompts stay)."""
        self._strips.clear()

    def prune(self, rows: list[Row]) -> None:
        """Drop the prompts of rows gone (deleted marks), once they outnumber the rows kept."""
        if len(self._prompts) > 2 * len(rows) + 64:
            keys = {row.key for row in rows}
            self._prompts = {key: value for key, value in self._prompts.items() if key in keys}

    def prompt(self, row: Row, cells: int) -> tuple[Content, int]:
        """The row's prompt (its excerpts cut at `cells`) and its generation, built again only when
        what it shows changed (or for another width)."""
        source: object = row.annotation if row.link is None else row.link
        cached = self._prompts.get(row.key)
        if cached is not None and cached[4] == cells and cached[0] == source and cached[3] == row.extras:
            return cached[1], cached[2]
        self._generation += 1
        prompt = row.prompt(cells)
        snapshot = copy(source)
        if isinstance(snapshot, Annotation):
            snapshot.tags = list(snapshot.tags)
        self._prompts[row.key] = (snapshot, prompt, self._generation, row.extras, cells)
        return prompt, self._generation

    def strips(self, row: Row, state: str, width: int, style: VisualStyle) -> list[Strip]:
        """The row's lines drawn in `style` (`state` names it: highlighted, hover or plain)."""
        prompt, generation = self.prompt(row, width)
        key = (row.key, generation, state, width, style)
        strips = self._strips.get(key)
        if strips is None:
            strips = self._strips[key] = self.draw(prompt, width, row.lines, style)
        return strips

    def draw(self, prompt: Content, width: int, lines: int, style: VisualStyle) -> list[Strip]:
        """`lines` strips of `prompt`, each line cut at `width` with "…" (rows never wrap).

        Line by line rather than ``Visual.to_strips``: the same segments and styles without the
        general wrapping pass, a third of the time for a row (it is paid for each row scrolled in).
        """
        rich_style = style.rich_style
        get_style = self._widget._get_style  # what Visual.to_strips resolves "$variables" with
        strips = []
        for line in prompt.split("\n")[:lines]:
            pieces = line.truncate(width, ellipsis=True).render(style, end="", parse_style=get_style)
            segments = [Segment(text, piece.rich_style if piece else None) for text, piece in pieces]
            strips.append(Strip(segments).extend_cell_length(width, rich_style))
        strips += [Strip.blank(width, rich_style)] * (lines - len(strips))
        return strips
