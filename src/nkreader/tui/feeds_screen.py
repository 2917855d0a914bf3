"""The feeds view: subscriptions with new and unread counts, last fetch and last error; refresh them.

Why the refresh belongs to the app (`FeedRefresher`) and not to the screen: an analyst starts a
refresh, closes the view and goes on reading; the worker keeps going and its new articles appear in
the library list as each chunk is committed (`services.feed_refresh` calls back after every
transaction). The view, when open, only shows the refresher's progress. Closing the app sets the
refresh's cancel event: the workers stop between requests and chunks, and every article stored is
whole (see `services.feed_refresh`).

Feed names, URLs and errors come from the network: cells are `rich.text.Text` of `safe_text`, never
markup.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from nkreader.domain_feeds import Feed, FeedListing
from nkreader.services import StoreError
from nkreader.services.feeds import FeedProblem, ReadState, Subscriptions
from nkreader.services.importing import ImportEvent, Outcome
from nkreader.services.library import Library
from nkreader.tui.dialogs import ConfirmDialog, PromptDialog
from nkreader.tui.library_list import LibraryPane
from nkreader.tui.modal import push_modal
from nkreader.tui.safe import excerpt, safe_text

if TYPE_CHECKING:
    from textual.app import App

    from nkreader.services.feed_refresh import FeedResult

__all__ = ["FeedRefresher", "FeedsScreen"]


class FeedRefresher:
    """One refresh at a time for the whole app, in a thread worker; progress as notifications."""

    def __init__(self, app: App[None], library: Library) -> None:
        self.app = app
        self.library = library
        self.cancel = threading.Event()
        self.running: set[int] = set()
        """Ids of the feeds of the refresh under way (empty when none is)."""
        self.done = 0
        self.total = 0
        self.arrived = 0
        """Articles the refresh under way has added so far."""

    @property
    def busy(self) -> bool:
        return bool(self.running)

    def start(self, feeds: Sequence[Feed]) -> bool:
        """Refresh `feeds`; False (and a notification) when a refresh is already running."""
        if self.busy:
            self.app.notify("A refresh is already running.", severity="warning", timeout=3)
            return False
        chosen = [f for f in feeds if f.id is not None]
        if not chosen:
            self.app.notify("No feeds to refresh: add one with a in the feeds view.", timeout=3)
            return False
        self.running = {f.id for f in chosen if f.id is not None}
        self.done, self.total, self.arrived = 0, len(chosen), 0
        self.app.run_worker(lambda: self._run(chosen), thread=True, group="feed-refresh", name="feed refresh")
        self._changed()
        return True

    def stop(self) -> None:
        self.cancel.set()

    def _run(self, feeds: list[Feed]) -> None:
        def stored(_feed: Feed, events: list[ImportEvent]) -> None:
            new = sum(1 for e in events if e.outcome in (Outcome.IMPORTED, Outcome.UPDATED))
            if new:
                self.app.call_from_thread(self._arrived, new)

        # Imported here, in the refresh thread: fetching loads httpx, feedparser and lxml (a fifth of
        # the app's start when imported with the screen), needed only once a feed is fetched.
        from nkreader.services.feed_refresh import refresh_feeds

        results: list[FeedResult] = []
        try:
            results = refresh_feeds(
                self.library,
                feeds,
                cancel=self.cancel,
                on_result=lambda result: self.app.call_from_thread(self._feed_done, result),
                on_stored=stored,
            )
        except StoreError as exc:
            self.app.call_from_thread(self.app.notify, safe_text(exc.message), severity="error", markup=False)
        finally:
            if not self.cancel.is_set():
                self.app.call_from_thread(self._finished, results)

    # ------------------------------------------------------------------ on the app's thread

    def _arrived(self, count: int) -> None:
        self.arrived += count
        refresh_library = getattr(self._main(), "refresh_library", None)
        if refresh_library is not None:
            refresh_library()

    def _feed_done(self, result: FeedResult) -> None:
        self.done += 1
        self.running.discard(result.feed.id or -1)
        self._changed()
        if self.running:
            self.app.notify(
                f"Refreshing feeds… {self.done}/{self.total} · {self.arrived} new", timeout=2, markup=False
            )

    def _finished(self, results: list[FeedResult]) -> None:
        self.running = set()
        failed = [r for r in results if r.error]
        new = sum(r.report.imported for r in results)
        updated = sum(r.report.updated for r in results)
        message = f"{new} new article{'s' if new != 1 else ''}"
        if updated:
            message += f", {updated} updated"
        if failed:
            names = ", ".join(excerpt(r.feed.name, 24) for r in failed[:3])
            message += f"; {len(failed)} feed{'s' if len(failed) != 1 else ''} failed ({names})"
        self.app.notify(
            safe_text(message), title="Feeds", severity="warning" if failed else "information", markup=False
        )
        self._changed()

    def _main(self) -> object | None:
        return self.app.screen_stack[0] if self.app.screen_stack else None

    def _changed(self) -> None:
        for screen in self.app.screen_stack:
            if isinstance(screen, FeedsScreen):
                screen.reload()


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "never"


class FeedsScreen(Screen[None]):
    """Every subscription; ``r`` refreshes the highlighted feed, ``R`` all of them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="feeds.close", tooltip="Close the feeds view"),
        Binding("r", "refresh", "Refresh", id="feeds.refresh", tooltip="Fetch the highlighted feed now"),
        Binding("R", "refresh_all", "Refresh all", id="feeds.refresh_all", tooltip="Fetch every feed now"),
        Binding("a", "add", "Add", id="feeds.add", tooltip="Subscribe to a feed by its URL"),
        Binding("d,delete", "remove", "Remove", id="feeds.remove", tooltip="Unsubscribe (articles stay)"),
        Binding(
            "enter", "open", "Articles", id="feeds.open", tooltip="Show the feed's newest unread article"
        ),
        Binding("j", "move(1)", "Down", show=False, id="feeds.down", tooltip="Next feed"),
        Binding("k", "move(-1)", "Up", show=False, id="feeds.up", tooltip="Previous feed"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape, q | Close. |
    | r | Refresh the highlighted feed. |
    | R | Refresh every feed. |
    | a | Add a feed (its URL), then fetch it. |
    | d, delete | Remove the highlighted feed; its articles stay in the library. |
    | enter | Back to the library, on the feed's newest unread article. |
    | j / k (and the arrows) | Next / previous feed. |
    """

    DEFAULT_CSS = """
    FeedsScreen {
        layout: vertical;
        & > #feeds-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
        & > #feeds-status { height: 1; padding: 0 1; color: $text-muted; }
        & > DataTable { height: 1fr; }
    }
    """

    def __init__(self, library: Library, refresher: FeedRefresher) -> None:
        super().__init__()
        self.library = library
        self.refresher = refresher
        self.listings: list[FeedListing] = []
        self.loads = 0
        """How many times the list was read and shown (tests wait on it)."""

    def compose(self) -> ComposeResult:
        yield Static(Content("Feeds"), id="feeds-title")
        yield Static(Content("Loading…"), id="feeds-status")
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="feeds-table")
        for key, label in [
            ("state", " "),
            ("name", "Feed"),
            ("new", "New"),
            ("unread", "Unread"),
            ("articles", "Articles"),
            ("fetched", "Last fetch"),
            ("error", "Last error"),
            ("tags", "Tags"),
            ("url", "URL"),
        ]:
            table.add_column(label, key=key)
        yield table
        yield Footer()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        self._load(keep)

    @work(thread=True, exclusive=True, group="feeds-list")
    def _load(self, keep: int | None = None) -> None:
        try:
            found = Subscriptions(self.library).listing()
        except StoreError as exc:
            self.app.call_from_thread(self.notify, safe_text(exc.message), severity="error", markup=False)
            return
        self.app.call_from_thread(self._show, found, keep)

    def _show(self, found: list[FeedListing], keep: int | None = None) -> None:
        if not self.is_attached:
            return
        current = keep if keep is not None else self.highlighted_id()
        self.listings = found
        table = self.table
        table.clear()
        for listing in found:
            table.add_row(*self._cells(listing), key=str(listing.feed.id))
        ids = [listing.feed.id for listing in found]
        if current in ids:
            table.move_cursor(row=ids.index(current), animate=False)
        self.loads += 1
        self._show_status()

    def _cells(self, listing: FeedListing) -> list[Text]:
        feed = listing.feed

        def count(n: int, style: str = "") -> Text:
            return Text(str(n) if n else "", justify="right", style=style)

        if feed.id in self.refresher.running:
            state = Text("⟳", style="bold cyan")
        elif feed.last_error:
            state = Text("!", style="bold red")
        else:
            state = Text(" ")
        error = Text(excerpt(feed.last_error or "", 60), style="red", no_wrap=True, overflow="ellipsis")
        return [
            state,
            Text(excerpt(feed.name, 30), style="bold" if listing.unread else "", no_wrap=True),
            count(feed.last_new),
            count(listing.unread, "bold"),
            count(listing.articles),
            Text(_when(feed.last_fetch_at), style="dim"),
            error,
            Text(excerpt(", ".join(feed.tags), 24), style="dim", no_wrap=True),
            Text(excerpt(feed.url, 60), style="dim", no_wrap=True),
        ]

    def _show_status(self) -> None:
        refresher = self.refresher
        if refresher.busy:
            text = f"Refreshing… {refresher.done}/{refresher.total} feeds · {refresher.arrived} new so far"
        elif not self.listings:
            text = "No feeds yet · a adds one by its URL (RSS or Atom)"
        else:
            unread = sum(listing.unread for listing in self.listings)
            text = (
                f"{len(self.listings)} feeds · {unread} unread · r refresh · R refresh all · a add · d remove"
            )
        self.query_one("#feeds-status", Static).update(Content(text))

    def highlighted_id(self) -> int | None:
        row = self.table.cursor_row
        if not self.listings or not 0 <= row < len(self.listings):
            return None
        return self.listings[row].feed.id

    def highlighted(self) -> Feed | None:
        row = self.table.cursor_row
        return self.listings[row].feed if self.listings and 0 <= row < len(self.listings) else None

    # ------------------------------------------------------------------ actions

    def action_move(self, step: int) -> None:
        if self.listings:
            row = max(0, min(len(self.listings) - 1, self.table.cursor_row + step))
            self.table.move_cursor(row=row, animate=False)

    def action_refresh(self) -> None:
        feed = self.highlighted()
        if feed is None:
            self.app.bell()
            return
        self.refresher.start([feed])

    def action_refresh_all(self) -> None:
        self.refresher.start([listing.feed for listing in self.listings])

    def action_add(self) -> None:
        push_modal(
            self.app,
            PromptDialog("Add a feed", "https://… (RSS or Atom)", context="Its new articles arrive unread"),
            self._added,
        )

    def _added(self, url: str | None) -> None:
        if not url or not url.strip():
            return
        try:
            feed = Subscriptions(self.library).add(url.strip())
        except (FeedProblem, StoreError) as exc:
            message = exc.message if isinstance(exc, StoreError) else str(exc)
            self.notify(safe_text(f"Cannot add {url.strip()}: {message}"), severity="error", markup=False)
            return
        self.notify(safe_text(f"Added {feed.name}; fetching it…"), markup=False, timeout=3)
        self.reload(feed.id)
        self.refresher.start([feed])

    def action_remove(self) -> None:
        feed = self.highlighted()
        if feed is None:
            self.app.bell()
            return
        if feed.id in self.refresher.running:
            self.notify("This feed is being refreshed; remove it when that is done.", severity="warning")
            return
        question = f"Unsubscribe from “{excerpt(feed.name, 40)}”? Its articles stay in the library."
        push_modal(
            self.app,
            ConfirmDialog(question, yes="Remove", default=False),
            lambda yes: self._remove(feed, yes),
        )

    def _remove(self, feed: Feed, yes: bool | None) -> None:
        if not yes:
            return
        try:
            Subscriptions(self.library).remove(feed.url)
        except (FeedProblem, StoreError) as exc:
            message = exc.message if isinstance(exc, StoreError) else str(exc)
            self.notify(safe_text(message), severity="error", markup=False)
            return
        self.notify(safe_text(f"Removed {feed.name}."), markup=False, timeout=3)
        self.reload()

    def action_open(self) -> None:
        feed = self.highlighted()
        if feed is None:
            self.app.bell()
            return
        try:
            state = ReadState(self.library)
            names = state.feed_names()
            unread = state.unread_ids()
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        mine = {article for article, name in names.items() if name == feed.name}
        if not mine:
            self.notify("No articles from this feed yet: r fetches it.", timeout=3)
            return
        pane = self.app.screen_stack[0].query_one(LibraryPane)
        order = [i for i in pane.library_list.visible_ids if i in mine] or sorted(mine, reverse=True)
        target = next((i for i in order if i in unread), order[0])
        self.dismiss(None)
        pane.highlight(target)
        pane.focus_list()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_close(self) -> None:
        self.dismiss(None)
