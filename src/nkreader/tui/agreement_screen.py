"""How far the annotators agree, for the open article or the whole library, and the disagreements
to step through (issue 11).

The figures are the ones `nkreader agreement` prints (the same computation, `services.agreement`,
and the same formatting, `text.agreement.figure`), per pair of annotators and kind. Below them,
every disagreement in text order: a passage one marked and the other did not, a passage they
marked as different kinds, marks whose bounds differ. `Enter` closes the screen and the main
screen opens the article at that passage, where both marks are drawn.

Computed in a thread worker (a whole library is 100,000 marks); annotator names and marked text
are untrusted and shown as `Text` cells, never markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from nkreader.services import StoreError
from nkreader.services.agreement import AgreementReview, Disagreement, agreement_review
from nkreader.services.library import Library
from nkreader.tui.agreement_view import (
    ADD_ANNOTATOR,
    AgreementPlace,
    AgreementResult,
    DisagreementKey,
    disagreement_key,
    figures_table,
    reason_label,
)
from nkreader.tui.app_footer import AppFooter
from nkreader.tui.safe import excerpt, safe_text

__all__ = ["AgreementScreen"]

POLL_SECONDS = 2.0
"""How often the screen asks whether someone marked meanwhile (as the main screen does)."""

LIST_LIMIT = 1_000
"""Disagreements listed at most: a table of 1,000 rows draws in half a second, one of 50,000 (a
whole library marked twice) froze the screen for 14 s. The figures count every one."""

class AgreementScreen(Screen[AgreementResult]):
    """Agreement figures and the disagreements; ``Enter`` opens one in the reader, ``Esc`` closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, every one: a priority key runs as it arrives, a plain one after a trip through
        # the focused table, so "j Enter" typed fast would open the row before j had moved.
        Binding(
            "escape", "close", "Close", id="agreement.close", tooltip="Close the agreement screen", priority=True
        ),
        Binding(
            "enter",
            "open",
            "Open",
            id="agreement.open",
            tooltip="Open the disagreement in the reader, both marks drawn",
            priority=True,
        ),
        Binding("j,n", "step(1)", "Next", id="agreement.next", tooltip="Next disagreement", priority=True),
        Binding("down", "step(1)", "Next", show=False, id="agreement.down", priority=True),
        Binding("up", "step(-1)", "Previous", show=False, id="agreement.up", priority=True),
        Binding(
            "k,N",
            "step(-1)",
            "Previous",
            show=False,
            id="agreement.previous",
            tooltip="Previous disagreement",
            priority=True,
        ),
        Binding(
            "a",
            "toggle_scope",
            "Article/library",
            id="agreement.scope",
            tooltip="Switch between the open article and the whole library",
            priority=True,
        ),
        Binding(
            "r",
            "reload",
            "Recount",
            show=False,
            id="agreement.reload",
            tooltip="Count again (marks made meanwhile)",
            priority=True,
        ),
    ]

    DEFAULT_CSS = """
    AgreementScreen {
        layout: vertical;
        & > #agreement-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
        & > #agreement-figures-box { height: auto; max-height: 45%; padding: 0 1; }
        & #agreement-figures { height: auto; }
        & > #agreement-list-title { height: 1; padding: 0 1; text-style: bold; }
        & > DataTable { height: 1fr; min-height: 3; }
        & > DataTable.-empty { display: none; }
        & > #agreement-detail { height: auto; max-height: 4; padding: 0 1; background: $boost; }
    }
    """

    def __init__(
        self,
        library: Library,
        article_id: int | None,
        article_title: str = "",
        *,
        place: AgreementPlace | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.article_id = article_id
        self.article_title = article_title
        whole = article_id is None or (place is not None and place.whole_library)
        self.whole_library = whole
        same_scope = place is not None and (place.whole_library or place.article_id == article_id)
        self._select = place.key if place is not None and same_scope else None
        self.review: AgreementReview | None = None
        self.loads = 0
        """How many reviews have been shown (tests wait on it)."""
        self._generation = 0
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="agreement-title")
        with VerticalScroll(id="agreement-figures-box"):
            yield Static(Content("Counting…"), id="agreement-figures")
        yield Static("", id="agreement-list-title")
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="agreement-list")
        yield table
        yield Static("", id="agreement-detail")
        yield AppFooter()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#agreement-list", DataTable)

    def _title(self) -> Text:
        if self.whole_library:
            return Text("Agreement · whole library")
        return Text("Agreement · this article: ") + Text(excerpt(self.article_title, 60))

    def on_mount(self) -> None:
        self.table.focus()
        self._reload()
        self._seen_token = self._token()
        self.set_interval(POLL_SECONDS, self._poll)

    def _token(self) -> int | None:
        try:
            return self.library.change_token()
        except StoreError:
            return None

    def _poll(self) -> None:
        """Someone marked, edited or deleted meanwhile (another app, LISTEN/NOTIFY on a server):
        count again, staying on the highlighted disagreement."""
        token = self._token()
        if token is None or token == self._seen_token or self._loading:
            return
        self._seen_token = token
        self.action_reload()

    # ------------------------------------------------------------------ loading

    def _reload(self) -> None:
        self._loading = True
        self._generation += 1
        scope = None if self.whole_library or self.article_id is None else [self.article_id]
        self._load(self._generation, scope)

    @work(thread=True, exclusive=True, group="agreement")
    def _load(self, generation: int, scope: list[int] | None) -> None:
        try:
            review = agreement_review(self.library, scope)
        except StoreError as exc:
            self.app.call_from_thread(self._failed, generation, exc.message)
            return
        self.app.call_from_thread(self._show, generation, review)

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._loading = False
        if generation == self._generation and self.is_attached:
            self.query_one("#agreement-figures", Static).update(Text(safe_text(message), style="red"))
            self.notify(safe_text(message), severity="error", markup=False)

    def _show(self, generation: int, review: AgreementReview) -> None:
        if generation != self._generation or not self.is_attached:
            return
        self._loading = False
        self.review = review
        self.query_one("#agreement-title", Static).update(self._title())
        figures = self.query_one("#agreement-figures", Static)
        message = self._empty_message(review)
        if message is not None:
            figures.update(message)
        else:
            figures.update(figures_table(review.results))
        self._fill_list(review, show=message is None)
        self.loads += 1

    def _scope_words(self) -> str:
        return "the library" if self.whole_library else "this article"

    def _empty_message(self, review: AgreementReview) -> Text | None:
        """What to say instead of figures when there is nothing to compare, and how to get there."""
        people = review.annotators
        if len(people) >= 2 and review.shared_articles:
            return None
        if not people:
            text = Text(f"Nobody has marked {self._scope_words()} yet. ")
            text.append("Agreement compares the marks two annotators made on the same articles.")
        elif len(people) == 1:
            text = Text(f"Only {safe_text(people[0])} has marked {self._scope_words()}. ", style="bold")
            text.append(f"Agreement needs a second annotator: {ADD_ANNOTATOR}.", style="")
        else:
            names = " and ".join(safe_text(p) for p in people)
            text = Text(f"{names} have not marked the same article yet: ", style="bold")
            text.append("agreement is counted over the articles both of them marked.", style="")
        others = [p for p in review.everyone if p not in people]
        if not self.whole_library and len(review.everyone) >= 2:
            text.append("\nIn the whole library: " + ", ".join(safe_text(p) for p in review.everyone))
            text.append(" (press a to see it).")
        elif others:
            text.append("\nAlso marking: " + ", ".join(safe_text(p) for p in others) + ".")
        return text

    def _fill_list(self, review: AgreementReview, *, show: bool) -> None:
        table = self.table
        table.clear(columns=True)
        found = review.differences[:LIST_LIMIT] if show else []
        several_pairs = len({d.pair for d in found}) > 1
        if several_pairs:
            table.add_column("pair", key="pair")
        table.add_column("what", key="what")
        table.add_column("kind", key="kind")
        table.add_column("text", key="text")
        if self.whole_library:
            table.add_column("article", key="article")
        # the passage takes what the other columns leave (each column has a cell of padding a side)
        screen_width = self.app.size.width
        title_width = 36 if screen_width >= 140 else 20
        fixed = 13 + 11 + (title_width if self.whole_library else 0) + (18 if several_pairs else 0)
        columns = 3 + int(self.whole_library) + int(several_pairs)
        width = max(20, screen_width - fixed - 2 * columns - 3)
        for d in found:
            cells = [
                Text(reason_label(d), style="bold"),
                Text(d.kind),
                Text(excerpt(self._passage(d), width)),
            ]
            if several_pairs:
                cells.insert(0, Text(excerpt(f"{d.pair[0]} / {d.pair[1]}", 18)))
            if self.whole_library:
                cells.append(Text(excerpt(review.titles.get(d.article_id, f"#{d.article_id}"), title_width), style="dim"))
            table.add_row(*cells)
        table.set_class(not found, "-empty")
        title = self.query_one("#agreement-list-title", Static)
        if not show:
            title.update("")
        elif not found:
            title.update(Text("No disagreements: every mark was made by both, of the same kind and bounds."))
        else:
            total = len(review.differences)
            many = "s" if total != 1 else ""
            if total > len(found):
                head = f"{total:,} disagreements, the first {len(found):,} listed"
            else:
                head = f"{total:,} disagreement{many}"
            title.update(Text(f"{head} · j/k or n/N to step, Enter opens it in the reader"))
        if found:
            row = self._row_of(self._select, found)
            table.move_cursor(row=row)
        self._show_detail()
        self.refresh_bindings()

    @staticmethod
    def _row_of(key: DisagreementKey | None, found: list[Disagreement]) -> int:
        if key is None:
            return 0
        for row, d in enumerate(found):
            if disagreement_key(d) == key:
                return row
        # gone (resolved meanwhile): the next one after where it was
        for row, d in enumerate(found):
            if (d.pair, d.article_id, d.start) >= key[:3]:
                return row
        return len(found) - 1

    def _passage(self, d: Disagreement) -> str:
        texts = self.review.texts if self.review is not None else {}
        longest = max(d.marks, key=lambda m: m.end - m.start)
        return texts.get(longest.uuid, "")

    # ------------------------------------------------------------------ the highlighted one

    def highlighted(self) -> Disagreement | None:
        review = self.review
        if review is None or self.table.has_class("-empty") or not self.table.row_count:
            return None
        row = self.table.cursor_row
        found = review.differences
        return found[row] if 0 <= row < len(found) else None

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#agreement-detail", Static)
        d = self.highlighted()
        if d is None:
            detail.update("")
            detail.display = False
            return
        detail.display = True
        texts = self.review.texts if self.review is not None else {}
        lines = Text()
        for who, mark in zip(d.pair, (d.a, d.b), strict=True):
            if lines:
                lines.append("\n")
            lines.append(f"{excerpt(who, 16)}: ", style="bold")
            if mark is None:
                lines.append("no mark here", style="dim")
                continue
            lines.append(f"{mark.kind} {mark.start}–{mark.end} ")
            lines.append(f"“{excerpt(texts.get(mark.uuid, ''), 120)}”", style="italic")
        detail.update(lines)

    # ------------------------------------------------------------------ keys

    def action_step(self, step: int) -> None:
        table = self.table
        if table.has_class("-empty") or not table.row_count:
            self.app.bell()
            return
        row = table.cursor_row + step
        if not 0 <= row < table.row_count:
            self.app.bell()
            return
        table.move_cursor(row=row)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        d = self.highlighted()
        if d is None:
            self.app.bell()
            return
        self.dismiss(AgreementResult(self.place(), d))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_scope" and self.article_id is None:
            return None  # no article open: the whole library is all there is (the key shows dimmed)
        if action == "open" and self.highlighted() is None:
            return None
        return super().check_action(action, parameters)

    def action_toggle_scope(self) -> None:
        self._select = None
        self.whole_library = not self.whole_library
        self.query_one("#agreement-title", Static).update(self._title())
        self.query_one("#agreement-figures", Static).update(Content("Counting…"))
        self._reload()

    def action_reload(self) -> None:
        d = self.highlighted()
        self._select = disagreement_key(d) if d is not None else None
        self._reload()

    def place(self) -> AgreementPlace:
        d = self.highlighted()
        return AgreementPlace(self.whole_library, self.article_id, disagreement_key(d) if d else None)

    def action_close(self) -> None:
        self.dismiss(AgreementResult(self.place()))
