"""Every annotation of the library in one table: filter, sort, page, and ``Enter`` jumps to it.

Why a ``DataTable`` fed one page: with 100,000 annotations no widget should hold them all. The store
filters, sorts and cuts a page of :data:`PAGE` rows (``browse(..., offset, limit)``) in a thread
worker; the table shows that page. Moving past its last row (or ``]``) fetches the next page, before its
first row (or ``[``) the previous one; the status line shows where the page sits in the total.

Every cell is a ``rich.text.Text`` (``DataTable`` parses ``str`` cells as markup), built from
:func:`safe_text` output.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from nkreader.domain import Kind, Status
from nkreader.services import StoreError
from nkreader.services.browse import BrowseFilter, BrowseRow, browse
from nkreader.services.library import Library
from nkreader.services.register import set_status
from nkreader.tui.app_footer import AppFooter
from nkreader.tui.browser_instruments import (
    REVIEW_BINDING,
    detail_content,
    instrument_filter_row,
    instrument_filters,
    mark_reviewed,
)
from nkreader.tui.browser_table import AnnotationTable, row_cells
from nkreader.tui.instrument_cues import RowExtras, extras_for
from nkreader.tui.link_dialog import StatusDialog
from nkreader.tui.safe import excerpt, safe_text

__all__ = ["COLUMNS", "PAGE", "AnnotationTable", "BrowserScreen"]

PAGE = 200
DEBOUNCE = 0.25

COLUMNS: list[tuple[str, str, str | None]] = [
    ("kind", "Kind", "kind"),
    ("grade", "Grade", None),
    ("excerpt", "Excerpt", None),
    ("speaker", "Speaker", "speaker"),
    ("article", "Article", "article"),
    ("source", "Source", "source"),
    ("date", "Date", "published"),
    ("status", "Status", "status"),
    ("tags", "Tags", None),
    ("links", "Links", None),
]
"""(column key, label, the `browse` sort it stands for — None: not sortable)."""
SORTS = [sort for _, _, sort in COLUMNS if sort] + ["created"]


class BrowserScreen(Screen["tuple[int, str] | None"]):
    """Browse every annotation; dismisses with ``(article_id, uuid)`` of the chosen one (None on ``Esc``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="browser.close", tooltip="Close the browser"),
        Binding(
            "ctrl+l", "focus_filters", "Filters", id="browser.filters", tooltip="Go to the filter fields"
        ),
        Binding("f6", "sort_next", "Sort", id="browser.sort", tooltip="Sort by the next column"),
        Binding("f7", "sort_reverse", "Reverse", id="browser.sort_reverse", tooltip="Reverse the sort order"),
        Binding("right_square_bracket", "page(1)", "Next page", show=False, id="browser.next_page"),
        Binding("left_square_bracket", "page(-1)", "Prev page", show=False, id="browser.previous_page"),
        Binding("V", "set_status", "Status", id="browser.status", tooltip="Set the status of this claim"),
        REVIEW_BINDING,
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape | Close. |
    | ctrl+l | Focus the filter fields (tab moves between them; down returns to the table). |
    | f6 / f7 | Sort by the next sortable column / reverse the order (or click a column header). |
    | ] / [ | Next / previous page (moving past the last or first row does it too). |
    | V | Set the status of the highlighted claim. |
    | W | The highlighted row's changed words are reviewed: its ⚑ flag goes. |
    | (grade, credibility, review) | The third filter row: a source's reliability A–F, a passage's credibility 1–6, ⚑ needs review. |
    | enter | Open the annotation in its article. |
    """

    DEFAULT_CSS = """
    BrowserScreen {
        layout: vertical;
        & > #browser-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
        & .filter-row { height: 1; margin: 0 1 1 1; }
        & .filter-row > Input { width: 1fr; margin-right: 1; }
        & .filter-row > Select { width: 18; margin-right: 1; }
        & .filter-row > .date { width: 17; }
        & .filter-row > Select.instrument { width: 1fr; max-width: 34; }
        & #browser-status { height: 1; padding: 0 1; color: $text-muted; }
        & #browser-status.-error { color: $text-error; }
        & #browser-detail { height: 1; padding: 0 1; color: $text-muted; text-overflow: ellipsis; }
        & > AnnotationTable { height: 1fr; }
    }
    """

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.sort = "published"
        self.descending = True
        self.page_offset = 0
        self.total = 0
        self.rows: list[BrowseRow] = []
        self.extras: dict[str, RowExtras] = {}
        """Grades and wording changes of the page's rows (issue 17)."""
        self.loads = 0
        """How many pages have been shown (tests wait on it)."""
        self._timer: Timer | None = None
        self._generation = 0
        self._last_shown = -1
        self._cursor_at_end = False
        self._keep_row = 0

    def compose(self) -> ComposeResult:
        yield Static(Content("Annotation browser"), id="browser-title")
        with Horizontal(classes="filter-row"):
            yield Input(placeholder="Text", id="f-text", compact=True)
            yield Select([(k.plural, k.value) for k in Kind], prompt="Any kind", id="f-kind", compact=True)
            yield Input(placeholder="Speaker", id="f-speaker", compact=True)
            yield Input(placeholder="Tag", id="f-tag", compact=True)
        with Horizontal(classes="filter-row"):
            yield Select(
                [(s.value, s.value) for s in Status], prompt="Any status", id="f-status", compact=True
            )
            yield Input(placeholder="Source", id="f-source", compact=True)
            yield Input(placeholder="From YYYY-MM-DD", id="f-from", classes="date", compact=True)
            yield Input(placeholder="To YYYY-MM-DD", id="f-to", classes="date", compact=True)
        yield from instrument_filter_row()
        yield Static(Content("Loading…"), id="browser-status")
        yield Static(Content(""), id="browser-detail")
        table = AnnotationTable(cursor_type="row", zebra_stripes=True, id="browser-table")
        for key, label, _sort in COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield AppFooter()

    @property
    def table(self) -> AnnotationTable:
        return self.query_one(AnnotationTable)

    def on_mount(self) -> None:
        self.table.focus()
        self._reload()

    # ------------------------------------------------------------------ filters

    def filters(self) -> BrowseFilter:
        def value(widget_id: str) -> str | None:
            return self.query_one(f"#{widget_id}", Input).value.strip() or None

        kind = self.query_one("#f-kind", Select).value
        status = self.query_one("#f-status", Select).value
        return BrowseFilter(
            **instrument_filters(self),
            kinds={Kind(kind)} if isinstance(kind, str) else None,
            speaker=value("f-speaker"),
            tag=value("f-tag"),
            status=Status(status) if isinstance(status, str) else None,
            source=value("f-source"),
            date_from=self._date("f-from"),
            date_to=self._date("f-to"),
            text=value("f-text"),
        )

    def _date(self, widget_id: str) -> date | None:
        field = self.query_one(f"#{widget_id}", Input)
        raw = field.value.strip()
        try:
            parsed = date.fromisoformat(raw) if raw else None
        except ValueError:
            parsed = None
        field.set_class(bool(raw) and parsed is None, "-invalid")
        return parsed

    @on(Input.Changed)
    def _filter_typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._reload)

    @on(Select.Changed)
    def _filter_picked(self, event: Select.Changed) -> None:
        event.stop()
        self._reload()

    @on(Input.Submitted)
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def action_focus_filters(self) -> None:
        self.query_one("#f-text", Input).focus()

    # ------------------------------------------------------------------ loading

    def _reload(self) -> None:
        """Filters or sort changed: back to the first page."""
        self._timer = None
        self.page_offset = 0
        self._keep_row = 0
        self._load()

    def _load(self, *, at_end: bool = False) -> None:
        self._generation += 1
        self._cursor_at_end = at_end
        self._fetch(self._generation, self.filters(), self.sort, self.descending, self.page_offset)

    @work(thread=True, exclusive=True, group="browse")
    def _fetch(
        self, generation: int, filters: BrowseFilter, sort: str, descending: bool, offset: int
    ) -> None:
        try:
            rows, total = browse(
                self.library, filters, sort=sort, descending=descending, offset=offset, limit=PAGE
            )  # type: ignore[arg-type]
        except (StoreError, ValueError) as exc:
            message = exc.message if isinstance(exc, StoreError) else str(exc)
            self.app.call_from_thread(self._show_error, generation, message)
            return
        extras = extras_for(self.library, rows)
        self.app.call_from_thread(self._show, generation, rows, total, extras)

    def _show(
        self, generation: int, rows: list[BrowseRow], total: int, extras: dict[str, RowExtras] | None = None
    ) -> None:
        if generation != self._generation or not self.is_attached:
            return
        self.rows, self.total = rows, total
        self.extras = extras or {}
        self._last_shown = generation
        table = self.table
        table.clear()
        for row in rows:
            table.add_row(*row_cells(row, self.extras.get(row.uuid)), key=row.uuid)
        if rows:
            target = len(rows) - 1 if self._cursor_at_end else min(self._keep_row, len(rows) - 1)
            table.move_cursor(row=target, animate=False)
        self.loads += 1
        self._show_status()
        self._show_detail()

    def _show_error(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        status = self.query_one("#browser-status", Static)
        status.add_class("-error")
        status.update(Content(excerpt(message, 200)))

    def _show_status(self) -> None:
        status = self.query_one("#browser-status", Static)
        status.remove_class("-error")
        label = next((lbl for _k, lbl, s in COLUMNS if s == self.sort), self.sort)
        order = "↓" if self.descending else "↑"
        if self.total:
            where = f"{self.page_offset + 1:,}–{self.page_offset + len(self.rows):,} of {self.total:,} annotations"
        else:
            where = "no annotations match"
        status.update(
            Content(
                f"{where}  ·  sorted by {label.lower()} {order} (f6, f7)  ·  ] [ pages  ·  ctrl+l filters"
            )
        )

    def page(self, step: int, *, at_end: bool = False) -> None:
        """Show the next (`step` 1) or previous (-1) page; the bell at either end."""
        offset = self.page_offset + step * PAGE
        if offset < 0 or offset >= self.total:
            self.app.bell()
            return
        self.page_offset = offset
        self._keep_row = 0
        self._load(at_end=at_end)

    def action_page(self, step: int) -> None:
        self.page(step)

    # ------------------------------------------------------------------ sorting

    def sort_by(self, sort: str, descending: bool | None = None) -> None:
        if descending is None:
            descending = not self.descending if sort == self.sort else sort in ("published", "created")
        self.sort, self.descending = sort, descending
        self._reload()

    def action_sort_next(self) -> None:
        self.sort_by(SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)] if self.sort in SORTS else SORTS[0])

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort, not self.descending)

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        sort = next((s for k, _lbl, s in COLUMNS if k == event.column_key.value), None)
        if sort is None:
            self.app.bell()
            self.notify("This column cannot be sorted; filter it instead.", markup=False, timeout=2)
            return
        self.sort_by(sort)

    # ------------------------------------------------------------------ actions on a row

    def highlighted_row(self) -> BrowseRow | None:
        table = self.table
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    def _show_detail(self) -> None:
        """Under the status: the highlighted row's grades in words and, after an update, its old words."""
        row = self.highlighted_row()
        extras = self.extras.get(row.uuid) if row is not None else None
        self.query_one("#browser-detail", Static).update(detail_content(extras))

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.highlighted_row()
        if row is not None:
            self.dismiss((row.article_id, row.uuid))

    @work
    async def action_set_status(self) -> None:
        row = self.highlighted_row()
        if row is None:
            return
        if Kind(row.kind) is not Kind.CLAIM:
            self.app.bell()
            self.notify("Only claims have a status.", severity="warning", markup=False)
            return
        current = Status(row.status) if row.status else Status.UNVERIFIED
        status = await self.app.push_screen_wait(StatusDialog(current, context=row.excerpt))
        if status is None or status is current:
            return
        try:
            set_status(self.library, row.uuid, status)
        except (StoreError, ValueError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self._keep_row = self.table.cursor_row
        self._load()

    def action_review_done(self) -> None:
        row = self.highlighted_row()
        if row is None:
            return
        changed, message = mark_reviewed(self.library, row.uuid, self.extras.get(row.uuid))
        if not changed:
            self.app.bell()
        self.notify(message, severity="information" if changed else "warning", markup=False, timeout=3)
        if changed:
            self._keep_row = self.table.cursor_row
            self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("set_status", "review_done", "page", "sort_next", "sort_reverse"):
            return not isinstance(self.focused, Input)
        return True

    def action_close(self) -> None:
        self.dismiss(None)
