"""The speakers of the library: canonical names, their aliases and counts; merge two, add an alias.

A few thousand speakers at most: a ``DataTable`` of ``rich.text.Text`` cells (never ``str``, which
``DataTable`` parses as markup) is quick enough. The list is read in a thread worker and re-read after
every change.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from nkreader.domain import SpeakerStat
from nkreader.services import StoreError
from nkreader.services.library import Library
from nkreader.services.speakers import SpeakerError, add_alias, merge, speakers
from nkreader.tui.app_footer import AppFooter
from nkreader.tui.dialogs import ConfirmDialog, PromptDialog
from nkreader.tui.safe import excerpt, safe_text

__all__ = ["SpeakersScreen"]


def _cell(s: str, width: int, style: str = "") -> Text:
    return Text(excerpt(s, width), style=style, no_wrap=True, overflow="ellipsis")


class SpeakersScreen(Screen[None]):
    """Every speaker, most used first; ``space`` marks one to merge, ``M`` merges it into the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="speakers.close", tooltip="Close the speakers list"),
        Binding(
            "space", "mark", "Mark", id="speakers.mark", tooltip="Mark this speaker to merge into another"
        ),
        Binding(
            "M",
            "merge",
            "Merge",
            id="speakers.merge",
            tooltip="Merge the marked speaker into the highlighted one",
        ),
        Binding(
            "a", "alias", "Add alias", id="speakers.alias", tooltip="Add another spelling of this speaker"
        ),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape | Close. |
    | space | Mark (or unmark) the highlighted speaker as the one to merge away. |
    | M | Merge the marked speaker into the highlighted one (its annotations get this name). |
    | a | Add an alias (another spelling) to the highlighted speaker. |
    """

    DEFAULT_CSS = """
    SpeakersScreen {
        layout: vertical;
        & > #speakers-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
        & > #speakers-status { height: 1; padding: 0 1; color: $text-muted; }
        & > DataTable { height: 1fr; }
    }
    """

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.stats: list[SpeakerStat] = []
        self.marked: str | None = None
        self.loads = 0

    def compose(self) -> ComposeResult:
        yield Static(Content("Speakers"), id="speakers-title")
        yield Static(Content("Loading…"), id="speakers-status")
        table: DataTable = DataTable(cursor_type="row", zebra_stripes=True, id="speakers-table")
        for key, label in [
            ("mark", " "),
            ("name", "Speaker"),
            ("aliases", "Aliases"),
            ("quotes", "Quotes"),
            ("policies", "Policy"),
            ("claims", "Claims"),
            ("total", "Total"),
        ]:
            table.add_column(label, key=key)
        yield table
        yield AppFooter()

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        self.table.focus()
        self._load()

    @work(thread=True, exclusive=True, group="speakers")
    def _load(self, keep: str | None = None) -> None:
        try:
            found = speakers(self.library)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, safe_text(exc.message), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, found, keep)

    def _show(self, found: list[SpeakerStat], keep: str | None = None) -> None:
        if not self.is_attached:
            return
        current = keep or self.highlighted_name()
        self.stats = found
        table = self.table
        table.clear()
        for stat in found:
            table.add_row(*self._cells(stat), key=stat.name)
        names = [s.name for s in found]
        if current in names:
            table.move_cursor(row=names.index(current), animate=False)
        self.loads += 1
        self._show_status()

    def _cells(self, stat: SpeakerStat) -> list[Text]:
        def count(n: int) -> Text:
            return Text(str(n) if n else "", justify="right")

        return [
            Text("●" if stat.name == self.marked else " ", style="bold yellow"),
            _cell(stat.name, 40, "bold"),
            _cell(" · ".join(stat.aliases), 50, "dim"),
            count(stat.quotes),
            count(stat.policies),
            count(stat.claims),
            count(stat.total),
        ]

    def _show_status(self) -> None:
        parts = (
            f"{len(self.stats)} speakers  ·  space marks one to merge, M merges it into the highlighted one"
        )
        if self.marked is not None:
            parts = (
                f"Marked to merge: {excerpt(self.marked, 40)}  ·  M merges it into the highlighted speaker"
            )
        self.query_one("#speakers-status", Static).update(Content(parts))

    def highlighted_name(self) -> str | None:
        row = self.table.cursor_row
        if not self.stats or not 0 <= row < len(self.stats):
            return None
        return self.stats[row].name

    # ------------------------------------------------------------------ actions

    def action_mark(self) -> None:
        name = self.highlighted_name()
        if name is None:
            return
        self.marked = None if self.marked == name else name
        self._show(self.stats)

    @work
    async def action_merge(self) -> None:
        keep = self.highlighted_name()
        if self.marked is None or keep is None:
            self.app.bell()
            self.notify("Mark a speaker with space, then press M on the one to keep.", severity="warning")
            return
        if keep == self.marked:
            self.app.bell()
            self.notify("Move to the speaker to keep, then press M.", severity="warning")
            return
        question = (
            f"Merge “{excerpt(self.marked, 40)}” into “{excerpt(keep, 40)}”? Its annotations get this name."
        )
        if not await self.app.push_screen_wait(ConfirmDialog(question)):
            return
        try:
            changed = merge(self.library, keep, self.marked)
        except (SpeakerError, StoreError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.marked = None
        self.notify(safe_text(f"Merged: {changed} annotations now name {keep}."), markup=False, timeout=3)
        self._load(keep)

    @work
    async def action_alias(self) -> None:
        name = self.highlighted_name()
        if name is None:
            self.app.bell()
            return
        alias = await self.app.push_screen_wait(
            PromptDialog("Add an alias", "Another spelling, e.g. Kim Jong-un or 김정은", context=name)
        )
        if not alias or not alias.strip():
            return
        try:
            canonical = add_alias(self.library, name, alias)
        except (SpeakerError, StoreError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.notify(safe_text(f"“{alias.strip()}” is now an alias of {canonical}."), markup=False, timeout=3)
        self._load(canonical)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()

    def action_close(self) -> None:
        self.dismiss(None)
