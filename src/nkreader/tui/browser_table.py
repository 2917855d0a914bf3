"""The annotation browser's table: one page of rows drawn as cells, and moving past either end of
the page asks the screen for the next one.

Split from tui/browser_screen.py (which filters, sorts and loads pages) so each stays one job. Every
cell is a ``rich.text.Text`` (``DataTable`` parses ``str`` cells as markup), built from
:func:`excerpt` (safe) output.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from nkreader.domain import BrowseRow, Kind, Status
from nkreader.tui.cues import tags_label
from nkreader.tui.instrument_cues import RowExtras, grade_label
from nkreader.tui.safe import excerpt

__all__ = ["AnnotationTable", "row_cells"]

_STATUS_STYLE = {
    Status.CORROBORATED: "green",
    Status.DISPUTED: "yellow",
    Status.REFUTED: "red",
    Status.UNVERIFIED: "dim",
}
_KIND_STYLE = {Kind.CLAIM: "bold blue", Kind.QUOTE: "bold green", Kind.POLICY: "bold yellow"}


def _cell(s: str | None, width: int, style: str = "") -> Text:
    return Text(excerpt(s or "", width), style=style, no_wrap=True, overflow="ellipsis")


def row_cells(row: BrowseRow, extras: RowExtras | None = None) -> list[Text]:
    kind = Kind(row.kind)
    status = Status(row.status) if row.status else Status.UNVERIFIED
    status_cell = Text(status.value if kind is Kind.CLAIM else "", style=_STATUS_STYLE.get(status, ""))
    if extras is not None and extras.needs_review:
        status_cell.append(" ⚑", style="bold yellow")  # the words changed after the status was set
    return [
        Text(kind.letter + " " + kind.label.split()[0].lower(), style=_KIND_STYLE.get(kind, "")),
        Text(grade_label(extras), style="bold"),  # short, and first: seen at 80 columns too
        _cell(row.excerpt, 44),
        _cell(row.speaker, 20, "bold"),
        _cell(row.article_title, 24),
        _cell(row.source, 14, "dim"),
        Text(str(row.published or ""), style="dim"),
        status_cell,
        _cell(tags_label(row.tags), 16, "dim"),
        Text(str(row.link_count or ""), justify="right"),
    ]


class AnnotationTable(DataTable):
    """The page of rows; moving past either end asks the screen for the neighbouring page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="browser.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="browser.up"),
    ]

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.screen.page(+1)  # type: ignore[attr-defined]
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.screen.page(-1, at_end=True)  # type: ignore[attr-defined]
            return
        super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.screen.page(+1)  # type: ignore[attr-defined]
            return
        super().action_page_down()

    def action_page_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.screen.page(-1, at_end=True)  # type: ignore[attr-defined]
            return
        super().action_page_up()
