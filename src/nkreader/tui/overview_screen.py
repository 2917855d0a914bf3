"""Counts over the whole library: per kind, per source, per month, and the most quoted speakers.

Drawn as ``rich.table.Table`` objects of ``Text`` cells (sources and speakers are untrusted text),
read in a thread worker.
"""

from __future__ import annotations

from typing import ClassVar

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from nkreader.domain import Kind, Overview
from nkreader.services import StoreError
from nkreader.services.library import Library
from nkreader.services.overview import overview
from nkreader.tui.app_footer import AppFooter
from nkreader.tui.safe import excerpt, safe_text

__all__ = ["OverviewScreen", "overview_renderable"]

_BAR = 30


def _table(title: str, label: str, rows: list[tuple[str, int]]) -> Table:
    table = Table(
        title=Text(title, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    table.add_column(Text(label))
    table.add_column(Text("Count"), justify="right")
    table.add_column(Text(""), no_wrap=True)
    most = max((n for _, n in rows), default=0) or 1
    for name, count in rows:
        bar = "█" * max(1, round(_BAR * count / most)) if count else ""
        table.add_row(Text(excerpt(name, 40) or "(none)"), Text(f"{count:,}"), Text(bar, style="dim"))
    if not rows:
        table.add_row(Text("(nothing yet)", style="dim"), Text(""), Text(""))
    return table


def overview_renderable(data: Overview) -> Group:
    head = Text(f"{data.articles:,} articles · {data.annotations:,} annotations\n", style="bold")
    per_kind = [(kind.plural, data.per_kind.get(kind, 0)) for kind in Kind]
    return Group(
        head,
        _table("Annotations per kind", "Kind", per_kind),
        Text(""),
        _table("Most quoted speakers", "Speaker", data.top_speakers),
        Text(""),
        _table("Articles per source", "Source", data.per_source),
        Text(""),
        _table("Articles per month", "Month", data.per_month),
    )


class OverviewScreen(Screen[None]):
    """The library in numbers; ``Esc`` closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="overview.close", tooltip="Close the overview"),
        Binding("j", "scroll('down')", "Down", show=False, id="overview.down"),
        Binding("k", "scroll('up')", "Up", show=False, id="overview.up"),
    ]

    DEFAULT_CSS = """
    OverviewScreen {
        layout: vertical;
        & > #overview-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
        & > VerticalScroll { height: 1fr; padding: 1 2; }
    }
    """

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.data: Overview | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content("Overview"), id="overview-title")
        with VerticalScroll():
            yield Static(Content("Counting…"), id="overview-body")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        self._load()

    @work(thread=True, exclusive=True, group="overview")
    def _load(self) -> None:
        try:
            data = overview(self.library)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, safe_text(exc.message), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, data)

    def _show(self, data: Overview) -> None:
        if not self.is_attached:
            return
        self.data = data
        self.query_one("#overview-body", Static).update(overview_renderable(data))

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        if direction == "down":
            scroll.scroll_down()
        else:
            scroll.scroll_up()

    def action_close(self) -> None:
        self.dismiss(None)
