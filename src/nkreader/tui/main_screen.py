"""The main screen: library | reader | annotations, and every annotation use case.

Each change goes to the Library service and is committed before the screen
reflects it; if the store refuses, the screen shows the error and stays as it was.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from nkreader.domain import AnchorState, Annotation, Article, ArticleSummary, Kind, LinkView, Status
from nkreader.services import StoreError
from nkreader.services.history import Change, History
from nkreader.services.library import InvalidSpan, Library
from nkreader.services.links import LinkError, link, links_of, unlink
from nkreader.services.register import set_status
from nkreader.services.speakers import completions as speaker_completions
from nkreader.tui.annotation_list import AnnotationList
from nkreader.tui.dialogs import ConfirmDialog, NoteDialog, SpeakerDialog, TagsDialog
from nkreader.tui.library_list import LibraryList, LibraryPane
from nkreader.tui.link_dialog import LinkTypeDialog, StatusDialog
from nkreader.tui.reader import Highlight, ReaderView
from nkreader.tui.reader_pane import ReaderPane
from nkreader.tui.safe import excerpt, safe_text
from nkreader.tui.welcome import WelcomePanel

CHANGE_POLL_SECONDS = 2.0
"""How often the screen asks whether another process (an app, a CLI import) changed the library."""

STATUS_DELAY = 0.05
"""Seconds the status line waits, so a burst of keys redraws it once."""

NARROW_WIDTH = 110
"""Below this many columns only the pane holding focus is shown (usable at 80×24)."""


class StatusLine(Static):
    """Article, position, counts per kind and mode, on one line."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "n", "next_annotation", "Next mark", id="annotate.next", tooltip="Jump to the next annotation"
        ),
        Binding("N", "previous_annotation", "Prev mark", show=False, id="annotate.previous"),
        Binding("e", "edit_note", "Note", id="annotate.note", tooltip="Edit the note of this annotation"),
        Binding("t", "edit_tags", "Tags", id="annotate.tags", tooltip="Edit the tags of this annotation"),
        Binding("a", "edit_speaker", "Speaker", id="annotate.speaker", tooltip="Set who said it"),
        Binding("x", "delete", "Delete", id="annotate.delete", tooltip="Delete this annotation (u undoes)"),
        Binding(
            "R",
            "reattach",
            "Re-attach",
            show=False,
            id="annotate.reattach",
            tooltip="Put the chosen annotation (an orphan after an update) on the selected text",
        ),
        Binding(
            "V",
            "set_status",
            "Status",
            show=False,
            id="annotate.status",
            tooltip="Set the claim's status: unverified, corroborated, disputed, refuted",
        ),
        Binding(
            "m",
            "mark_link_source",
            "Mark for link",
            show=False,
            id="annotate.link_mark",
            tooltip="Mark this annotation as the source of a link (then L on another)",
        ),
        Binding(
            "L",
            "link",
            "Link",
            show=False,
            id="annotate.link",
            tooltip="Link the marked annotation to this one (corroborates, contradicts, same as, cites)",
        ),
        Binding("u", "undo", "Undo", id="annotate.undo", tooltip="Undo the last change to annotations"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="annotate.redo"),
        Binding("tab", "focus_next_pane", "Next pane", show=False, id="pane.next"),
        Binding("shift+tab", "focus_previous_pane", "Previous pane", show=False, id="pane.previous"),
        Binding("ctrl+b", "toggle_library", "Library", show=False, id="pane.toggle_library"),
        Binding("ctrl+n", "toggle_annotations", "Annotations", show=False, id="pane.toggle_annotations"),
        Binding("i", "import_samples", "Import samples", show=False, id="library.import_samples"),
        Binding("ctrl+f", "search", "Search", id="app.search", tooltip="Search the whole library"),
        Binding(
            "ctrl+o",
            "browse",
            "Browse",
            show=False,
            id="app.browser",
            tooltip="Browse every annotation of the library: filter, sort, jump",
        ),
    ]

    DEFAULT_CSS = """
    MainScreen { layout: vertical; }
    #panes { height: 1fr; }
    #library-pane { width: 32%; min-width: 28; border-right: solid $primary 30%; }
    #reader-pane { width: 1fr; }
    #annotations-pane { width: 30%; min-width: 28; border-left: solid $primary 30%; }
    .pane-title { height: 1; padding: 0 1; background: $boost; color: $text-muted; text-style: bold; }
    MainScreen.-hide-library #library-pane { display: none; }
    MainScreen.-hide-annotations #annotations-pane { display: none; }
    MainScreen.-narrow #library-pane, MainScreen.-narrow #annotations-pane { display: none; }
    MainScreen.-narrow #reader-pane { display: none; }
    MainScreen.-narrow.-focus-library #library-pane { display: block; width: 1fr; }
    MainScreen.-narrow.-focus-reader #reader-pane { display: block; }
    MainScreen.-narrow.-focus-annotations #annotations-pane { display: block; width: 1fr; }
    MainScreen.-empty #reader-pane > ReaderPane { display: none; }
    MainScreen #welcome { display: none; }
    MainScreen.-empty #welcome { display: block; }
    MainScreen.-empty.-narrow #reader-pane { display: block; }
    """

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.history = History(library)
        self.article: Article | None = None
        self.annotations: list[Annotation] = []
        self._current_uuid: str | None = None
        self._saved_position: int | None = None
        self._pending_pane: str | None = None
        self._status_pending = False
        self._seen_version: int | None = None
        self.links: dict[str, list[LinkView]] = {}
        """The open article's annotations' links (both directions), by annotation uuid."""
        self._link_source: Annotation | None = None
        """The annotation marked with `m`: the source of the next link made with `L`."""
        self._links_generation = 0
        self._links_pending = False
        self.links_loaded = 0
        """How many times the links were read and shown (tests wait on it)."""

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="library-pane"):
                yield Static("Library", classes="pane-title", id="library-title")
                yield LibraryPane(id="library")
            with Vertical(id="reader-pane"):
                yield WelcomePanel(id="welcome")
                yield ReaderPane(id="reader-box")
            with Vertical(id="annotations-pane"):
                yield Static("Annotations", classes="pane-title", id="annotations-title")
                yield AnnotationList(id="annotations")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def reader(self) -> ReaderView:
        # Kept from mount: on unmount the children are gone but the last position must be saved.
        return self._reader

    @property
    def library_list(self) -> LibraryList:
        return self.query_one(LibraryList)

    @property
    def annotation_list(self) -> AnnotationList:
        return self.query_one(AnnotationList)

    def on_mount(self) -> None:
        self._reader = self.query_one(ReaderView)
        self.refresh_library()
        if self.has_class("-empty"):
            # Nothing to read yet: focus the welcome panel's button, so the footer offers
            # importing rather than reading keys that have nothing to act on.
            self.call_after_refresh(self.query_one("#welcome-import-samples").focus)
        else:
            self._focus_pane("library")
        self.set_interval(5.0, self._save_position)
        self._seen_version = self.library.change_token()
        self.set_interval(CHANGE_POLL_SECONDS, self.poll_changes)

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_WIDTH
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self._show_focus_class(self._pending_pane or self._focused_pane())

    def on_descendant_focus(self) -> None:
        pane = self._focused_pane()
        if self._pending_pane is not None:
            # Hiding the old pane moves focus on by itself; only the pane we asked for counts.
            if pane != self._pending_pane:
                return
            self._pending_pane = None
        self._show_focus_class(pane)

    def _focused_pane(self) -> str:
        focused = self.focused
        if focused is None:
            return "reader"
        for node in focused.ancestors_with_self:
            if node.id == "library-pane":
                return "library"
            if node.id == "annotations-pane":
                return "annotations"
        return "reader"

    # ------------------------------------------------------------------ other processes

    def _note_own_change(self) -> None:
        """What is shown now includes the store's latest state: no refresh is due for it."""
        self._seen_version = self.library.change_token()

    def poll_changes(self) -> None:
        """Re-read the library list and the open article's marks if another process committed."""
        try:
            version = self.library.change_token()
        except StoreError:
            return  # the next poll tries again; a failing store is reported by the next action
        if version is None or version == self._seen_version:
            return
        self._seen_version = version
        self._refresh_from_store(self.article.id if self.article else None)

    @work(thread=True, exclusive=True, group="refresh")
    def _refresh_from_store(self, article_id: int | None) -> None:
        try:
            rows = self.library.summaries()
            annotations = self.library.annotations(article_id) if article_id is not None else None
        except StoreError:
            return
        links = self._read_links(annotations or [])
        self.app.call_from_thread(self._apply_refresh, rows, article_id, annotations, links)

    def _apply_refresh(
        self,
        rows: list[ArticleSummary],
        article_id: int | None,
        annotations: list[Annotation] | None,
        links: dict[str, list[LinkView]] | None = None,
    ) -> None:
        self._show_library(rows, self.query_one(LibraryPane).highlighted_id)
        same_article = self.article is not None and self.article.id == article_id
        if annotations is not None and same_article:
            links = links or {}
            if annotations != self.annotations or links != self.links:
                self.links = links
                uuids = {a.uuid for a in annotations}
                self._show_annotations(
                    annotations, self._current_uuid if self._current_uuid in uuids else None
                )

    # ------------------------------------------------------------------ library

    def refresh_library(self, keep: int | None = None) -> None:
        self._note_own_change()
        self._show_library(self.library.summaries(), keep)

    def _show_library(self, rows: list[ArticleSummary], keep: int | None) -> None:
        pane = self.query_one(LibraryPane)
        pane.set_articles(rows)
        self.set_class(not rows, "-empty")
        title = self.query_one("#library-title", Static)
        title.update(Text(f"Library · {len(rows)} article{'s' if len(rows) != 1 else ''}"))
        if keep is not None:
            pane.highlight(keep)
        self.update_status()

    @on(LibraryList.ArticleChosen)
    def _article_chosen(self, event: LibraryList.ArticleChosen) -> None:
        self.open_article(event.article_id)
        self._focus_pane("reader")

    def open_article(self, article_id: int, *, cursor: int | None = None) -> None:
        self._save_position()
        try:
            article, annotations, position = self.library.open_article(article_id)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        self.article = article
        self.annotations = annotations
        self._current_uuid = None
        self._saved_position = position
        self.links = {}
        self.query_one("#article-header").show_article(article)
        self.reader.load(article.body, self._highlights(), cursor=position if cursor is None else cursor)
        self.annotation_list.set_annotations(annotations, self.links)
        self._load_links()
        self.update_status()
        # A long article is ~100k live objects; frozen, they no longer make every full
        # garbage collection (an 80 ms pause) scan them while the user reads.
        self.call_after_refresh(gc.freeze)

    def _save_position(self) -> None:
        if self.article is None or self.article.id is None:
            return
        position = self.reader.cursor
        if position == self._saved_position:
            return
        try:
            self.library.save_position(self.article.id, position)
            self._saved_position = position
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)

    def on_unmount(self) -> None:
        self._save_position()

    # ------------------------------------------------------------------ annotations state

    def _highlights(self) -> list[Highlight]:
        # An orphan's offsets are placeholders: it is listed, with its text, but not drawn.
        return [
            Highlight(a.start, a.end, a.kind, a.uuid)
            for a in self.annotations
            if a.anchor_state is not AnchorState.ORPHANED
        ]

    def _reload_annotations(self, select: str | None = None) -> None:
        """Re-read the open article's annotations (and their links) from the store (after undo or redo)."""
        if self.article is None or self.article.id is None:
            return
        self._show_annotations(self.library.annotations(self.article.id), select)
        self._load_links()

    def _load_links(self) -> None:
        """Read the open article's links in a thread (a few hundred annotations take a moment) and
        show them when they come; an answer for an article no longer open, or superseded, is dropped."""
        if self.article is None or self.article.id is None:
            return
        self._links_generation += 1
        self._links_pending = True
        self._read_links_in_thread(self._links_generation, self.article.id, list(self.annotations))

    @work(thread=True, group="links")
    def _read_links_in_thread(self, generation: int, article_id: int, annotations: list[Annotation]) -> None:
        links = self._read_links(annotations)
        self.app.call_from_thread(self._apply_links, generation, article_id, links)

    def _apply_links(self, generation: int, article_id: int, links: dict[str, list[LinkView]]) -> None:
        if generation != self._links_generation or not self.is_attached:
            return
        self._links_pending = False
        if self.article is None or self.article.id != article_id:
            return
        self.links = links
        self.links_loaded += 1
        self.annotation_list.set_annotations(self.annotations, links)

    def _read_links(self, annotations: list[Annotation]) -> dict[str, list[LinkView]]:
        found: dict[str, list[LinkView]] = {}
        for annotation in annotations:
            try:
                views = links_of(self.library, annotation.uuid)
            except (StoreError, LinkError):
                continue
            if views:
                found[annotation.uuid] = views
        return found

    def _stored(self, annotation: Annotation, *, gone: bool = False) -> None:
        """Show one annotation as the store now holds it (created, edited or deleted),
        without re-reading the article's other annotations."""
        others = [a for a in self.annotations if a.uuid != annotation.uuid]
        if not gone:
            others.append(annotation)
            others.sort(key=lambda a: (a.start, a.end, a.id or 0))
        if gone:
            # Its links went with it: drop them here and under the annotations they pointed at.
            self.links.pop(annotation.uuid, None)
            for uuid, views in list(self.links.items()):
                kept = [v for v in views if v.other.uuid != annotation.uuid]
                if kept:
                    self.links[uuid] = kept
                else:
                    del self.links[uuid]
        else:
            self.links = {
                uuid: [replace(v, other=annotation) if v.other.uuid == annotation.uuid else v for v in views]
                for uuid, views in self.links.items()
            }
        self._show_annotations(others, None if gone else annotation.uuid)
        if self._links_pending:
            self._load_links()  # the answer on its way was read before this change

    def _show_annotations(self, annotations: list[Annotation], select: str | None) -> None:
        self._note_own_change()
        self.annotations = annotations
        self.reader.set_highlights(self._highlights())
        self.annotation_list.set_annotations(annotations, self.links)
        if select is not None:
            self._current_uuid = select
            self.annotation_list.select_uuid(select)
        if self.article is not None and self.article.id is not None:
            self.library_list.update_article(self._summary(self.article))
        self.update_status()

    def _summary(self, article: Article) -> ArticleSummary:
        counts = {k: 0 for k in Kind}
        for annotation in self.annotations:
            counts[annotation.kind] += 1
        return ArticleSummary(
            id=article.id or 0,
            uuid=article.uuid,
            title=article.title,
            source=article.source,
            published=article.published,
            imported_at=article.imported_at,
            counts=counts,
            language=article.language,
        )

    def _covers(self, annotation: Annotation, cursor: int) -> bool:
        """The cursor is on the annotation, or just past it with only spaces in between
        (where it lands after selecting a passage with sentence or word moves)."""
        if annotation.start <= cursor <= annotation.end:
            return True
        body = self.article.body if self.article else ""
        return annotation.end < cursor and body[annotation.end : cursor].isspace()

    def current_annotation(self) -> Annotation | None:
        """The annotation an edit key acts on: the list's highlight when the list has focus;
        else the one just made or jumped to, while the cursor stays on it; else the
        innermost one under the cursor."""
        if self.annotation_list.has_focus:
            uuid = self.annotation_list.highlighted_uuid
            return next((a for a in self.annotations if a.uuid == uuid), None)
        cursor = self.reader.cursor
        current = next((a for a in self.annotations if a.uuid == self._current_uuid), None)
        if current is not None and self._covers(current, cursor):
            return current
        here = [a for a in self.annotations if a.start <= cursor < a.end]
        if not here:
            return None
        return min(here, key=lambda a: (a.end - a.start, -a.created_at.timestamp()))

    def _require_annotation(self) -> Annotation | None:
        annotation = self.current_annotation()
        if annotation is None:
            self.app.bell()
            self.notify("No annotation here: press n to jump to the next one.", severity="warning")
        return annotation

    # ------------------------------------------------------------------ tagging

    @on(ReaderPane.TagRequested)
    def _tag_requested(self, event: ReaderPane.TagRequested) -> None:
        if self.article is None or self.article.id is None:
            return
        duplicate = next(
            (
                a
                for a in self.annotations
                if a.kind is event.kind and a.start == event.start and a.end == event.end
            ),
            None,
        )
        if duplicate is not None:
            self._current_uuid = duplicate.uuid
            self.annotation_list.select_uuid(duplicate.uuid)
            self.reader.clear_selection()
            self.notify(f"Already marked as {event.kind.label.lower()}.", markup=False)
            return
        try:
            created = self.library.annotate(self.article.id, event.kind, event.start, event.end)
        except (StoreError, InvalidSpan) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.history.created(created, f"mark {event.kind.label.lower()}")
        self.reader.clear_selection()
        if not event.from_selection:
            # The sentence under the cursor was marked: rest on its start, so the keys that
            # follow (a, e, t, or v to extend from here) act on what was just marked.
            self.reader.move_to(created.start, center=False)
        self._stored(created)
        self.notify(
            f"{event.kind.label}: {excerpt(created.exact, 60)}", title="Marked", markup=False, timeout=3
        )

    @on(ReaderPane.FindRequested)
    def _find_requested(self, event: ReaderPane.FindRequested) -> None:
        reader = self.reader
        if self.article is None:
            return
        found = reader.find(event.needle, reader.cursor + 1)
        if found is None:
            self.app.bell()
            self.notify(f"Not found: {safe_text(event.needle)}", severity="warning", markup=False)
            return
        reader.clear_selection()
        reader.move_to(found)
        reader.focus()

    # ------------------------------------------------------------------ navigation between annotations

    def _jump(self, annotation: Annotation) -> None:
        self._current_uuid = annotation.uuid
        self.reader.clear_selection()
        self.reader.move_to(annotation.start)
        self.annotation_list.select_uuid(annotation.uuid)
        self.update_status()

    def action_next_annotation(self) -> None:
        self._step_annotation(1)

    def action_previous_annotation(self) -> None:
        self._step_annotation(-1)

    def _step_annotation(self, step: int) -> None:
        """Visit annotations in list order (text order), wrapping around.

        From the current annotation, the next in the list, so several marks starting at
        the same place are each visited; with none current, the first one past the cursor.
        """
        annotations = self.annotations
        if not annotations:
            self.app.bell()
            return
        cursor = self.reader.cursor
        uuids = [a.uuid for a in annotations]
        current = self.current_annotation()
        if current is not None and current.uuid in uuids:
            index = (uuids.index(current.uuid) + step) % len(annotations)
        elif step > 0:
            index = next((i for i, a in enumerate(annotations) if a.start > cursor), 0)
        else:
            index = next(
                (i for i in range(len(annotations) - 1, -1, -1) if annotations[i].start < cursor), -1
            )
        self._jump(annotations[index])

    @on(AnnotationList.Chosen)
    def _annotation_chosen(self, event: AnnotationList.Chosen) -> None:
        annotation = next((a for a in self.annotations if a.uuid == event.uuid), None)
        if annotation is not None:
            self._jump(annotation)
            self._focus_pane("reader")

    @on(AnnotationList.Highlighted)
    def _annotation_highlighted(self, event: AnnotationList.Highlighted) -> None:
        annotation = next((a for a in self.annotations if a.uuid == event.uuid), None)
        if annotation is not None and self.annotation_list.has_focus:
            self._current_uuid = annotation.uuid
            self.reader.move_to(annotation.start)

    # ------------------------------------------------------------------ editing

    def _store_edit(self, before: Annotation, label: str, **changes: object) -> None:
        try:
            after = self.library.edit(before, **changes)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        self.history.edited(before, after, label)
        self._stored(after)

    @work
    async def action_edit_note(self) -> None:
        annotation = self._require_annotation()
        if annotation is None:
            return
        note = await self.app.push_screen_wait(NoteDialog(annotation.note))
        if note is not None and note != annotation.note:
            self._store_edit(annotation, "edit note", note=note)

    @work
    async def action_edit_tags(self) -> None:
        annotation = self._require_annotation()
        if annotation is None:
            return
        tags = await self.app.push_screen_wait(TagsDialog(annotation.tags, self.library.known_tags()))
        if tags is not None and tags != annotation.tags:
            self._store_edit(annotation, "edit tags", tags=tags)

    @work
    async def action_edit_speaker(self) -> None:
        annotation = self._require_annotation()
        if annotation is None:
            return
        speaker = await self.app.push_screen_wait(
            SpeakerDialog(annotation.speaker, self._speaker_completions())
        )
        if speaker is None:
            return
        speaker = speaker.strip() or None
        if speaker != annotation.speaker:
            self._store_edit(annotation, "set speaker", speaker=speaker)

    def _speaker_completions(self) -> list[str]:
        """Speakers to complete from: canonical names with their aliases ("김정은" finds Kim Jong Un's)."""
        try:
            return speaker_completions(self.library)
        except StoreError:
            return self.library.known_speakers()

    def action_delete(self) -> None:
        if self.annotation_list.has_focus and self.annotation_list.highlighted_link is not None:
            self._unlink(self.annotation_list.highlighted_link)
            return
        annotation = self._require_annotation()
        if annotation is None:
            return
        try:
            gone = self.library.delete(annotation.uuid)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        self.history.deleted(gone, "delete")
        self._current_uuid = None
        self._stored(gone, gone=True)
        self.notify(f"Deleted {gone.kind.label.lower()} (u undoes).", markup=False, timeout=3)

    def action_reattach(self) -> None:
        """Move the annotation last chosen (in the list, or with n/N) onto the selection."""
        chosen = next((a for a in self.annotations if a.uuid == self._current_uuid), None)
        selection = self.reader.selection
        if chosen is None or selection is None:
            self.app.bell()
            self.notify(
                "Choose the annotation in the list (or with n), select its new text, then press R.",
                severity="warning",
                markup=False,
            )
            return
        try:
            after = self.library.reattach(chosen.uuid, *selection)
        except (StoreError, InvalidSpan) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.history.edited(chosen, after, "re-attach")
        self.reader.clear_selection()
        self._stored(after)
        self.notify(f"Re-attached: {excerpt(after.exact, 60)}", markup=False, timeout=3)

    # ------------------------------------------------------------------ claim register: status and links

    @work
    async def action_set_status(self) -> None:
        annotation = self._require_annotation()
        if annotation is None:
            return
        if annotation.kind is not Kind.CLAIM:
            self.app.bell()
            self.notify(
                f"Only claims have a status; this is a {annotation.kind.label.lower()}.",
                severity="warning",
                markup=False,
            )
            return
        status = await self.app.push_screen_wait(StatusDialog(annotation.status, context=annotation.exact))
        if status is None or status is annotation.status:
            return
        self._store_status(annotation, status)

    def _store_status(self, before: Annotation, status: Status) -> None:
        try:
            after = set_status(self.library, before.uuid, status)
        except (StoreError, ValueError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.history.edited(before, after, "set status")
        self._stored(after)
        self.notify(f"Status: {status.value} (u undoes).", markup=False, timeout=3)

    def action_mark_link_source(self) -> None:
        annotation = self._require_annotation()
        if annotation is None:
            return
        self._link_source = annotation
        self.update_status()
        self.notify(
            f"Marked for a link: {excerpt(annotation.exact, 50)}\nGo to another annotation and press L.",
            markup=False,
            timeout=4,
        )

    @property
    def link_source(self) -> Annotation | None:
        return self._link_source

    @work
    async def action_link(self) -> None:
        source = self._link_source
        if source is None:
            self.app.bell()
            self.notify("First mark an annotation with m, then press L on another.", severity="warning")
            return
        target = self._require_annotation()
        if target is None:
            return
        if target.uuid == source.uuid:
            self.app.bell()
            self.notify("This is the marked annotation: go to another one to link it.", severity="warning")
            return
        kind = await self.app.push_screen_wait(
            LinkTypeDialog(context=f"{excerpt(source.exact, 60)}  →  {excerpt(target.exact, 60)}")
        )
        if kind is None:
            return
        try:
            made = link(self.library, source.uuid, target.uuid, kind)
        except (StoreError, LinkError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self._link_source = None
        self._refresh_links(select=target.uuid)
        self.notify(f"Linked: marked annotation {made.type.value} this one.", markup=False, timeout=3)

    def _refresh_links(self, select: str | None = None) -> None:
        if select is not None:
            self._current_uuid = select
            self.annotation_list.select_uuid(select)
        self._load_links()

    @on(AnnotationList.LinkChosen)
    def _link_chosen(self, event: AnnotationList.LinkChosen) -> None:
        self.follow_link(event.view)

    def follow_link(self, view: LinkView) -> None:
        """Open the annotation at the other end of a link, in its article."""
        self.show_annotation(view.other.article_id, view.other.uuid, cursor=view.other.start)

    def show_annotation(self, article_id: int, uuid: str | None, *, cursor: int | None = None) -> None:
        """Open an article (unless open) at `cursor`, then go to the annotation `uuid` if it has one."""
        if self.article is None or self.article.id != article_id:
            self.open_article(article_id, cursor=cursor)
            if self.article is None or self.article.id != article_id:
                return  # the store refused; open_article said why
        elif cursor is not None:
            self.reader.clear_selection()
            self.reader.move_to(cursor)
        annotation = next((a for a in self.annotations if a.uuid == uuid), None)
        if annotation is not None:
            self._jump(annotation)
        self._focus_pane("reader")

    @work
    async def _unlink(self, view: LinkView) -> None:
        question = (
            f"Remove the link “{view.link.type.value}” with “{excerpt(view.other.exact, 50)}”? "
            "(This cannot be undone with u.)"
        )
        if not await self.app.push_screen_wait(ConfirmDialog(question, default=False)):
            return
        try:
            unlink(self.library, view.link.uuid)
        except (StoreError, LinkError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self._refresh_links(select=self.annotation_list.highlighted_uuid)
        self.notify("Link removed.", markup=False, timeout=3)

    # ------------------------------------------------------------------ library-wide screens

    @work
    async def action_search(self) -> None:
        from nkreader.tui.search_screen import SearchScreen

        hit = await self.app.push_screen_wait(SearchScreen(self.library))
        if hit is not None:
            self.show_annotation(hit.article_id, hit.annotation_uuid, cursor=hit.offset)

    @work
    async def action_browse(self) -> None:
        from nkreader.tui.browser_screen import BrowserScreen

        chosen = await self.app.push_screen_wait(BrowserScreen(self.library))
        if chosen is not None:
            article_id, uuid = chosen
            self.show_annotation(article_id, uuid)

    def action_undo(self) -> None:
        self._step(self.history.undo, "Undid", "Nothing to undo.")

    def action_redo(self) -> None:
        self._step(self.history.redo, "Redid", "Nothing to redo.")

    def _step(self, step: object, verb: str, nothing: str) -> None:
        try:
            change: Change | None = step()  # type: ignore[operator]
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        if change is None:
            self.app.bell()
            self.notify(nothing, markup=False, timeout=2)
            return
        annotation = change.annotation
        if self.article is None or annotation.article_id != self.article.id:
            self.open_article(annotation.article_id)
        self._reload_annotations()
        present = {a.uuid for a in self.annotations}
        if annotation.uuid in present:
            current = next(a for a in self.annotations if a.uuid == annotation.uuid)
            self._jump(current)
        self.notify(f"{verb} {change.label}.", markup=False, timeout=2)

    # ------------------------------------------------------------------ panes

    def _panes(self) -> list[str]:
        panes = []
        if not self.has_class("-hide-library"):
            panes.append("library")
        if not self.has_class("-empty"):
            panes.append("reader")
        if not self.has_class("-hide-annotations"):
            panes.append("annotations")
        return panes or ["reader"]

    def _focus_pane(self, name: str) -> None:
        """Focus a pane; in a narrow terminal show it first (a hidden widget cannot take focus)."""
        self._pending_pane = name
        self._show_focus_class(name)
        widget = {"library": self.library_list, "annotations": self.annotation_list}.get(name, self.reader)
        if widget.has_focus:
            self._pending_pane = None
        elif widget.display and self.query_one(f"#{name}-pane").display:
            widget.focus()
        else:
            self.call_after_refresh(widget.focus)

    def _show_focus_class(self, pane: str) -> None:
        """Mark the pane to show in a narrow terminal.

        Only while narrow: changing a class on the screen restyles every widget, which
        costs a noticeable pause on a long article, and wide layouts do not use these.
        """
        wanted = {f"-focus-{pane}"} if self.has_class("-narrow") else set()
        for name in ("library", "reader", "annotations"):
            self.set_class(f"-focus-{name}" in wanted, f"-focus-{name}")

    def _cycle(self, step: int) -> None:
        panes = self._panes()
        current = self._focused_pane()
        index = panes.index(current) if current in panes else -1
        self._focus_pane(panes[(index + step) % len(panes)])

    def action_focus_next_pane(self) -> None:
        self._cycle(1)

    def action_focus_previous_pane(self) -> None:
        self._cycle(-1)

    def focus_library(self) -> None:
        self.remove_class("-hide-library")
        self._focus_pane("library")

    def action_filter_library(self) -> None:
        self.focus_library()
        self.query_one(LibraryPane).action_focus_filter()

    def action_toggle_library(self) -> None:
        self.toggle_class("-hide-library")
        if self.has_class("-hide-library") and self._focused_pane() == "library":
            self._focus_pane("reader")

    def action_toggle_annotations(self) -> None:
        self.toggle_class("-hide-annotations")
        if self.has_class("-hide-annotations") and self._focused_pane() == "annotations":
            self._focus_pane("reader")

    @on(WelcomePanel.ImportSamples)
    def _welcome_import(self) -> None:
        self.action_import_samples()

    def action_import_samples(self) -> None:
        if not self.has_class("-empty"):
            return
        self.app.action_import_samples()  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "import_samples":
            return self.has_class("-empty")
        if action in {
            "next_annotation",
            "previous_annotation",
            "edit_note",
            "edit_tags",
            "edit_speaker",
            "delete",
            "reattach",
            "set_status",
            "mark_link_source",
            "link",
        }:
            return self.article is not None
        return True

    # ------------------------------------------------------------------ status

    @on(ReaderView.CursorMoved)
    @on(ReaderView.SelectionChanged)
    def _reader_changed(self) -> None:
        self.update_status()

    def update_status(self) -> None:
        """Redraw the status line soon, once for a burst of keys.

        Drawn in the same frame as the reader lines, the status line would widen every
        frame's update region to the whole screen; a short delay keeps keystrokes cheap.
        """
        if not self._status_pending:
            self._status_pending = True
            self.set_timer(STATUS_DELAY, self._draw_status)

    def _draw_status(self) -> None:
        self._status_pending = False
        if not self.is_attached:
            return
        status = self.query_one(StatusLine)
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.article is None:
            text.append(f"{self.library.location}", style="dim")
            status.update(text, layout=False)
            return
        reader = self.reader
        text.append(excerpt(self.article.title, 40), style="bold")
        text.append("  " + reader.position_label())
        counts = {k: 0 for k in Kind}
        for annotation in self.annotations:
            counts[annotation.kind] += 1
        text.append("  " + "  ".join(f"{k.letter}{counts[k]}" for k in Kind))
        text.append(f"  {reader.mode.upper()}", style="" if reader.mode == "reading" else "bold")
        selection = reader.selection
        if selection is not None:
            text.append(f" {selection[1] - selection[0]} chars")
        if self._link_source is not None:
            text.append(f"  ⛓ linking from “{excerpt(self._link_source.exact, 30)}” (L)", style="bold")
        status.update(text, layout=False)
