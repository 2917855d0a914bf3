"""The sources register: every speaker as a source — its identity (S3), reliability grade (A–F),
aliases, articles, passages per kind, first and last seen — graded, merged, kept apart (issue 17).

Anonymous sources that may be one person ("an additional source in North Hamgyong Province", "a
North Hamgyong Province-based source") are marked ≈ and named in the status line until they are
merged (``space`` on one, ``M`` on the other) or kept apart (``space``, then ``x``).

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

from nkreader.analysis import RELIABILITY, SourceEntry
from nkreader.services import StoreError
from nkreader.services import sources as source_service
from nkreader.services.library import Library
from nkreader.services.speakers import SpeakerError, add_alias
from nkreader.tui.app_footer import AppFooter
from nkreader.tui.dialogs import ConfirmDialog, PromptDialog
from nkreader.tui.safe import excerpt, safe_text

__all__ = ["SpeakersScreen"]


def _cell(s: str, width: int, style: str = "") -> Text:
    return Text(excerpt(s, width), style=style, no_wrap=True, overflow="ellipsis")


class SpeakersScreen(Screen[None]):
    """Every source, most passages first; ``g`` grades it, ``space`` marks one to merge (``M``) or
    keep apart (``x``)."""

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
        Binding("g", "grade", "Grade", id="speakers.grade", tooltip="Grade the source's reliability, A–F"),
        Binding("n", "note", "Note", id="speakers.note", tooltip="The analyst's note on this source"),
        Binding(
            "x", "apart", "Keep apart", id="speakers.apart", tooltip="The marked source is a different person"
        ),
        Binding(
            "e",
            "entity",
            "Entity",
            id="speakers.entity",
            tooltip="Make this name an entity (person, org), or another spelling of one",
        ),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape | Close. |
    | space | Mark (or unmark) the highlighted speaker as the one to merge away. |
    | M | Merge the marked speaker into the highlighted one (its annotations get this name). |
    | a | Add an alias (another spelling) to the highlighted speaker. |
    | g | Grade the highlighted source's reliability: A completely reliable … E unreliable, F cannot be judged. |
    | n | Write the analyst's note on the highlighted source. |
    | x | Keep the marked source apart from the highlighted one: different people, not offered as one again. |
    | e | Make the highlighted name an entity (person by default), or add it as a spelling of one. |
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
        self.stats: list[SourceEntry] = []
        self.duplicates: list[tuple[str, str, int]] = []
        self.marked: str | None = None
        self.loads = 0

    def compose(self) -> ComposeResult:
        yield Static(Content("Sources"), id="speakers-title")
        yield Static(Content("Loading…"), id="speakers-status")
        table: DataTable = DataTable(cursor_type="row", zebra_stripes=True, id="speakers-table")
        for key, label in [
            ("mark", " "),
            ("id", "ID"),
            ("name", "Source"),
            ("grade", "Grade"),
            ("aliases", "Aliases"),
            ("articles", "Articles"),
            ("claims", "Claims"),
            ("quotes", "Quotes"),
            ("policies", "Policy"),
            ("first", "First seen"),
            ("last", "Last seen"),
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
            found = source_service.register(self.library)
            duplicates = source_service.possible_duplicates(self.library, found)
        except StoreError as exc:
            self.app.call_from_thread(self.notify, safe_text(exc.message), severity="error", markup=False)
            return
        self.duplicates = duplicates
        self.app.call_from_thread(self._show, found, keep)

    def _show(self, found: list[SourceEntry], keep: str | None = None) -> None:
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

    def _cells(self, stat: SourceEntry) -> list[Text]:
        def count(n: int) -> Text:
            return Text(str(n) if n else "", justify="right")

        alike = any(stat.name in pair[:2] for pair in self.duplicates)
        articles = str(stat.articles) + (
            f" ({stat.undated_articles} undated)" if stat.undated_articles else ""
        )
        return [
            Text("●" if stat.name == self.marked else ("≈" if alike else " "), style="bold yellow"),
            Text(stat.profile.label if stat.profile else "", style="dim"),
            _cell(stat.name, 40, "bold"),
            Text(stat.reliability or "–", style="bold" if stat.reliability else "dim", justify="center"),
            _cell(" · ".join(stat.aliases), 40, "dim"),
            Text(articles, justify="right"),
            count(stat.claims),
            count(stat.quotes),
            count(stat.policies),
            Text(stat.first_seen.isoformat() if stat.first_seen else "no date", style="dim"),
            Text(stat.last_seen.isoformat() if stat.last_seen else "no date", style="dim"),
        ]

    def _show_status(self) -> None:
        parts = f"{len(self.stats)} sources  ·  g grades  ·  space marks one, M merges it into the highlighted one"
        if self.duplicates:
            a, b, _score = self.duplicates[0]
            parts = f"≈ possibly the same: {excerpt(a, 36)} / {excerpt(b, 36)}  ·  space + M merges, space + x keeps apart"
        if self.marked is not None:
            parts = f"Marked: {excerpt(self.marked, 40)}  ·  M merges it into the highlighted source, x keeps them apart"
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
            changed = source_service.merge(self.library, keep, self.marked)
        except (source_service.SourceError, StoreError) as exc:
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

    @work
    async def action_grade(self) -> None:
        name = self.highlighted_name()
        if name is None:
            self.app.bell()
            return
        current = next((s.reliability for s in self.stats if s.name == name), None) or ""
        scale = ", ".join(f"{letter} {words}" for letter, words in RELIABILITY.items())
        answer = await self.app.push_screen_wait(
            PromptDialog("Reliability of the source (A–F, - clears)", scale, current, context=name)
        )
        if answer is None:
            return
        try:
            profile = source_service.grade(self.library, name, source_service.parse_reliability(answer))
        except (source_service.SourceError, StoreError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        words = (
            f"{profile.reliability} ({RELIABILITY[profile.reliability]})"
            if profile.reliability
            else "not graded"
        )
        self.notify(safe_text(f"{profile.label} {name}: {words}"), markup=False, timeout=3)
        self._load(name)

    @work
    async def action_note(self) -> None:
        name = self.highlighted_name()
        if name is None:
            self.app.bell()
            return
        entry = next((s for s in self.stats if s.name == name), None)
        current = entry.profile.note if entry and entry.profile else ""
        answer = await self.app.push_screen_wait(
            PromptDialog("Note on the source", "Who they are, how they know", current, context=name)
        )
        if answer is None:
            return
        try:
            source_service.grade(self.library, name, note=answer.strip())
        except (source_service.SourceError, StoreError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self._load(name)

    def action_apart(self) -> None:
        other = self.highlighted_name()
        if self.marked is None or other is None or other == self.marked:
            self.app.bell()
            self.notify("Mark a source with space, then press x on the other one.", severity="warning")
            return
        try:
            source_service.keep_apart(self.library, self.marked, other)
        except (source_service.SourceError, StoreError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.notify(safe_text(f"Kept apart: {self.marked} and {other}."), markup=False, timeout=3)
        self.marked = None
        self._load(other)

    @work
    async def action_entity(self) -> None:
        from nkreader.analysis import EntityKind
        from nkreader.services import entities as entity_service
        from nkreader.tui.entity_dialogs import EntityDialog

        name = self.highlighted_name()
        if name is None:
            self.app.bell()
            return
        try:
            existing = entity_service.find(self.library, name)
            known = entity_service.entities(self.library)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        if existing is not None:
            self.notify(
                safe_text(f"“{name}” is already a spelling of {existing.name} ({existing.kind.value})."),
                markup=False,
                timeout=4,
            )
            return
        choice = await self.app.push_screen_wait(
            EntityDialog(name, known, kind=EntityKind.PERSON, title="Entity from this source", context=name)
        )
        if choice is None:
            return
        try:
            if choice.existing is not None:
                entity, _added = entity_service.add_variants(self.library, choice.existing, [choice.name])
                message = f"“{choice.name}” is now a spelling of {entity.name}."
            else:
                entity = entity_service.add(self.library, choice.name, choice.kind)
                message = f"New {entity.kind.value}: {entity.name}."
        except (entity_service.EntityError, StoreError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.notify(safe_text(message), markup=False, timeout=3)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()

    def action_close(self) -> None:
        self.dismiss(None)
