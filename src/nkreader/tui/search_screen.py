"""Search the whole library: a query field, live ranked results, ``Enter`` opens one at the match.

The query runs in a thread worker a moment after the last keystroke (a debounce), so typing never waits
for the database; a result that comes back for an older query than the one in the field is dropped.
Results are at most :data:`LIMIT`, so an ``OptionList`` of ``Content`` prompts is quick enough; every
piece of them (titles, sources, snippets) is untrusted text, assembled as plain ``Content`` with the
matched words styled — never as markup.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from nkreader.domain import Kind
from nkreader.services import StoreError
from nkreader.services.library import Library
from nkreader.services.search import SearchError, SearchHit, search
from nkreader.tui.app_footer import AppFooter
from nkreader.tui.safe import excerpt, safe_text

__all__ = ["DEBOUNCE", "LIMIT", "SCOPES", "SearchScreen", "hit_prompt"]

DEBOUNCE = 0.15
"""Seconds after the last keystroke before the query runs."""
LIMIT = 100
SCOPES = ("all", "articles", "annotations")
_KINDS: list[Kind | None] = [None, *Kind]
_MATCH_STYLE = "bold reverse $text-warning"


_SPACES = re.compile(r"\s+")


def hit_prompt(hit: SearchHit) -> Content:
    """Two lines: kind badge (annotations), title, source and date; then the snippet, matches styled."""
    head: list[str | tuple[str, str]] = []
    if hit.kind == "annotation" and hit.annotation_kind is not None:
        kind = Kind(hit.annotation_kind)
        head.append((f"[{kind.letter}] ", f"bold {kind.colour}"))
    else:
        head.append(("[A] ", "bold $text-muted"))
    head.append((excerpt(hit.article_title or "(untitled)", 120), "bold"))
    meta = [m for m in (excerpt(hit.source or "", 40), str(hit.published or "")) if m]
    if meta:
        head.append((f"  {' · '.join(meta)}", "dim"))
    # One string, styled by ranges: the matched words keep their exact place in the line.
    text, spans = "", []
    for piece, matched in hit.snippet:
        piece = _SPACES.sub(" ", safe_text(piece))
        if matched:
            spans.append((len(text), len(text) + len(piece)))
        text += piece
    snippet = Content(text)
    for start, end in spans:
        snippet = snippet.stylize(_MATCH_STYLE, start, end)
    return Content.assemble(*head, "\n    ", snippet)


class SearchScreen(Screen["SearchHit | None"]):
    """Search articles and annotations; dismisses with the chosen :class:`SearchHit` (None on ``Esc``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="search.close", tooltip="Close the search"),
        Binding("f2", "scope", "Scope", id="search.scope", tooltip="Search all / articles / annotations"),
        Binding("f3", "kind", "Kind", id="search.kind", tooltip="Only claims / quotes / policy statements"),
        Binding("down", "to_results", "Results", show=False, id="search.to_results"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape | Close without opening anything. |
    | f2 | Cycle the scope: all, articles, annotations. |
    | f3 | Cycle the kind filter: any, claims, quotes, policy statements. |
    | down | From the query field to the results. |
    | enter | Open the highlighted result (the first, from the query field). |
    """

    DEFAULT_CSS = """
    SearchScreen {
        layout: vertical;
        & > #search-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
        & > #search-input { margin: 0 1; }
        & > #search-status { height: 1; padding: 0 2; color: $text-muted; }
        & > #search-status.-error { color: $text-error; }
        & > #search-results {
            height: 1fr;
            border: none;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
    }
    """

    def __init__(self, library: Library, query: str = "") -> None:
        super().__init__()
        self.library = library
        self.scope = "all"
        self.kind: Kind | None = None
        self.hits: list[SearchHit] = []
        self._initial = query
        self._timer: Timer | None = None
        self._generation = 0
        self._open_when_done = False
        self._pending = False
        self.searches = 0
        """How many searches have finished (tests wait on it)."""

    def compose(self) -> ComposeResult:
        yield Static(Content("Search the library"), id="search-title")
        yield Input(
            value=self._initial,
            placeholder='Words, "a phrase", prefix*, AND / OR / NOT; Korean substrings too',
            id="search-input",
        )
        yield Static(Content(""), id="search-status")
        yield OptionList(id="search-results")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()
        self._show_status()
        if self._initial:
            self._schedule()

    # ------------------------------------------------------------------ querying

    @on(Input.Changed, "#search-input")
    def _typed(self) -> None:
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._generation += 1
        self._timer = self.set_timer(DEBOUNCE, self._start)

    def _start(self) -> None:
        self._timer = None
        query = self.query_one("#search-input", Input).value
        if not query.strip():
            self._show(self._generation, [], None)
            return
        self._pending = True
        self._run(self._generation, query, self.scope, self.kind)

    @work(thread=True, exclusive=True, group="search")
    def _run(self, generation: int, query: str, scope: str, kind: Kind | None) -> None:
        try:
            hits = search(self.library, query, scope=scope, kind=kind, limit=LIMIT)  # type: ignore[arg-type]
        except SearchError as exc:
            self.app.call_from_thread(self._show, generation, [], str(exc))
            return
        except StoreError as exc:
            self.app.call_from_thread(self._show, generation, [], exc.message)
            return
        self.app.call_from_thread(self._show, generation, hits, None)

    def _show(self, generation: int, hits: list[SearchHit], error: str | None) -> None:
        if generation != self._generation or not self.is_attached:
            return  # an older query's answer
        self._pending = False
        self.searches += 1
        self.hits = hits
        if self._open_when_done:
            self._open_when_done = False
            if hits:
                self.dismiss(hits[0])
                return
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options(Option(hit_prompt(hit)) for hit in hits)
        if hits:
            results.highlighted = 0
        self._show_status(error)

    def _show_status(self, error: str | None = None) -> None:
        status = self.query_one("#search-status", Static)
        status.set_class(error is not None, "-error")
        if error is not None:
            status.update(Content(excerpt(error.splitlines()[0] if error else "bad query", 200)))
            return
        kind = self.kind.plural.lower() if self.kind else "any kind"
        query = self.query_one("#search-input", Input).value.strip()
        count = f"{len(self.hits)}{'+' if len(self.hits) >= LIMIT else ''} results  ·  " if query else ""
        status.update(Content(f"{count}in: {self.scope} (f2)  ·  kind: {kind} (f3)"))

    # ------------------------------------------------------------------ keys

    def action_scope(self) -> None:
        self.scope = SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)]
        self._show_status()
        self._schedule()

    def action_kind(self) -> None:
        self.kind = _KINDS[(_KINDS.index(self.kind) + 1) % len(_KINDS)]
        self._show_status()
        self._schedule()

    def action_to_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_results":
            return self.query_one("#search-input", Input).has_focus
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if self._timer is not None or self._pending:
            self._open_when_done = True  # Enter before the answer came: open its first result
            return
        self._open(results.highlighted if results.highlighted is not None else 0)

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        if 0 <= index < len(self.hits):
            self.dismiss(self.hits[index])
        else:
            self.app.bell()
