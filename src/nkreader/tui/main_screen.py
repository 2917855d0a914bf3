"""The main screen: library | reader | annotations. It composes, routes and shows.

The open article's state and every rule about it live in `ArticleSession` (tui/session.py);
the annotation use cases that need a dialog live in `AnnotationEditing`
(tui/annotation_editing.py); pane visibility and focus in `PaneScreen` (tui/panes.py). Each
change goes to the Library service and is committed before the screen reflects it; if the
store refuses, the screen shows the error and stays as it was.
"""

from __future__ import annotations

import contextlib
import gc
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Input, Static

from nkreader.domain import Annotation, Article, ArticleSummary, LinkView
from nkreader.services import StoreError
from nkreader.services.feeds import ReadState
from nkreader.services.library import InvalidSpan, Library
from nkreader.tui.annotation_list import AnnotationList
from nkreader.tui.annotator_actions import AnnotatorActions
from nkreader.tui.app_footer import AppFooter
from nkreader.tui.instrument_actions import INSTRUMENT_BINDINGS, InstrumentActions
from nkreader.tui.library_list import LibraryList, LibraryPane
from nkreader.tui.main_bindings import MAIN_BINDINGS
from nkreader.tui.mark_bounds import MarkBounds
from nkreader.tui.reader import ReaderView
from nkreader.tui.reader_pane import ArticleHeader, ReaderPane
from nkreader.tui.safe import excerpt, safe_text
from nkreader.tui.session import ArticleSession, TextMoved
from nkreader.tui.status_line import StatusLine, status_text
from nkreader.tui.store_sync import StoreSync
from nkreader.tui.suggestions import SUGGESTION_BINDINGS, SuggestionActions, SuggestionLayer
from nkreader.tui.welcome import WelcomePanel

__all__ = ["CHANGE_POLL_SECONDS", "MainScreen"]

CHANGE_POLL_SECONDS = 2.0
"""How often the screen asks whether another process (an app, a CLI import) changed the library."""
SHARED_POLL_SECONDS = 1.0
"""...on a server library, where colleagues mark at once (`Library.shared`): a mark shows within 2 s."""

ARTICLE_ACTIONS = frozenset(
    {
        "next_annotation",
        "previous_annotation",
        "edit_note",
        "edit_tags",
        "edit_speaker",
        "delete",
        "reattach",
        "adjust_bounds",
        "set_status",
        "mark_link_source",
        "link",
    }
)
"""Actions on the open article: offered only while one is open, and not from the library pane."""


class MainScreen(InstrumentActions, SuggestionActions, StoreSync, MarkBounds, AnnotatorActions):
    BINDINGS: ClassVar[list[BindingType]] = [*MAIN_BINDINGS, *SUGGESTION_BINDINGS, *INSTRUMENT_BINDINGS]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.session = ArticleSession(library)
        self.read_state = ReadState(library)
        self.history = self.session.history
        self.suggestions = SuggestionLayer()

    # ------------------------------------------------------------------ the session, as tests and the app see it

    @property
    def article(self) -> Article | None:
        return self.session.article

    @property
    def annotations(self) -> list[Annotation]:
        return self.session.annotations

    @property
    def links(self) -> dict[str, list[LinkView]]:
        return self.session.links

    @property
    def link_source(self) -> Annotation | None:
        return self.session.link_source

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="library-pane"):
                yield Static("Library", classes="pane-title", id="library-title")
                yield LibraryPane(id="library")
            with Vertical(id="reader-pane"):
                yield WelcomePanel(id="welcome", deferred=True)
                yield ReaderPane(id="reader-box")
            with Vertical(id="annotations-pane"):
                yield Static("Annotations", classes="pane-title", id="annotations-title")
                yield AnnotationList(id="annotations")
        yield StatusLine(id="status")
        yield AppFooter()

    @property
    def reader(self) -> ReaderView:
        # Kept from mount: on unmount the children are gone but the last position must be saved.
        return self._reader

    def on_mount(self) -> None:
        self._reader = self.query_one(ReaderView)
        self.annotation_list.row_extras = self.row_extras  # grades, review flags (issue 17)
        self.show_annotator_title()
        self.refresh_library()
        if self.has_class("-empty"):
            # Nothing to read yet: focus the welcome panel's button, so the footer offers
            # importing rather than reading keys that have nothing to act on.
            self.call_after_refresh(self._focus_welcome)  # its button is being mounted now
        else:
            self._restore_last_session()
        self.set_interval(5.0, self._save_position)
        self._seen_version = self.library.change_token()
        shared = getattr(self.library, "shared", False)
        self.set_interval(SHARED_POLL_SECONDS if shared else CHANGE_POLL_SECONDS, self.poll_changes)

    def _focus_welcome(self) -> None:
        with contextlib.suppress(NoMatches):  # a library filled meanwhile has no welcome to focus
            self.query_one("#welcome-import-samples").focus()

    def _restore_last_session(self) -> None:
        """The panes as they were left, and the article last open (at its saved cursor), if it is still
        in the library; else the library has focus, as on a first run."""
        preferences = getattr(self.app, "preferences", None)
        if preferences is None:
            self.focus_pane("library")
            return
        self.apply_layout(
            preferences.show_library,
            preferences.show_annotations,
            {"library": preferences.library_width, "annotations": preferences.annotations_width},
        )
        last = preferences.last_article_id
        if last is not None and self.query_one(LibraryPane).highlight(last):
            self.open_article(last)
            self.focus_pane("reader")
        else:
            self.focus_pane("library")

    # ------------------------------------------------------------------ library

    def refresh_library(self, keep: int | None = None) -> None:
        self._note_own_change()
        self._show_library(self.library.summaries(), keep)

    def _show_library(self, rows: list[ArticleSummary], keep: int | None) -> None:
        pane = self.query_one(LibraryPane)
        pane.set_articles(rows)
        with contextlib.suppress(StoreError):  # the marks wait for the next refresh; the rows matter
            pane.set_unread(self.read_state.unread_ids())
        if not rows:
            self.query_one(WelcomePanel).ensure_content()
        self.set_class(not rows, "-empty")
        title = self.query_one("#library-title", Static)
        title.update(Text(f"Library · {len(rows)} article{'s' if len(rows) != 1 else ''}"))
        if keep is not None:
            pane.highlight(keep)
        self.update_status()

    @on(LibraryList.ArticleChosen)
    def _article_chosen(self, event: LibraryList.ArticleChosen) -> None:
        self.open_article(event.article_id)
        self.focus_pane("reader")

    def open_article(self, article_id: int, *, cursor: int | None = None) -> None:
        self._save_position()
        read_at = self.store_state()
        try:
            position = self.session.open(article_id)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        self.text_read_at(read_at)
        article = self.session.article
        remember = getattr(self.app, "remember", None)
        if remember is not None:
            remember(last_article_id=article_id)
        self._mark_read(article_id)
        self.query_one(ArticleHeader).show_article(article)
        self.suggestions_article_opened()
        self.reader.load(
            self.session.body, self.all_highlights(), cursor=position if cursor is None else cursor
        )
        self.annotation_list.set_annotations(self.session.visible, self.session.links, empty=self.empty_hint())
        self._load_links()
        self.update_status()
        # A long article is ~100k live objects; frozen, they no longer make every full
        # garbage collection (an 80 ms pause) scan them while the user reads.
        self.call_after_refresh(gc.freeze)

    def _mark_read(self, article_id: int) -> None:
        """Opening an article reads it: its unread mark goes (in the store, then in the list)."""
        pane = self.query_one(LibraryPane)
        if not pane.library_list.is_unread(article_id):
            return
        try:
            self.read_state.mark_read([article_id])
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        self._note_own_change()
        pane.mark(article_id, unread=False)

    @on(LibraryPane.ToggleRead)
    def _toggle_read(self, event: LibraryPane.ToggleRead) -> None:
        try:
            unread = self.read_state.toggle(event.article_id)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        self._note_own_change()
        self.query_one(LibraryPane).mark(event.article_id, unread=unread)
        self.notify("Marked unread" if unread else "Marked read", timeout=2)

    def _save_position(self) -> None:
        """Save the cursor (every 5 s, when it moved). The save is the app's own write: it must
        not look like another process's change to the poll, which would re-read the whole list,
        the marks and their links every 5 s while reading (17 % of a core at 10,000 articles)."""
        try:
            unchanged_before = self.library.change_token() == self._seen_version
            saved = self.session.saved_position
            self.session.save_position(self.reader.cursor)
            if unchanged_before and self.session.saved_position != saved:
                self._note_own_change()  # nothing foreign was pending: nothing to re-read
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)

    def on_unmount(self) -> None:
        self._save_position()

    # ------------------------------------------------------------------ showing the session

    def _stored(self, annotation: Annotation, *, gone: bool = False) -> None:
        """Show one annotation as the session now holds it (after `session.apply_stored`)."""
        self._show_annotations(self.session.annotations, None if gone else annotation.uuid)
        if self._links_pending:
            self._load_links()  # the answer on its way was read before this change

    def _show_annotations(self, annotations: list[Annotation], select: str | None) -> None:
        self._note_own_change()
        session = self.session
        session.set_annotations(annotations)
        if select is not None:
            session.choose(session.find(select))
        elif not self.annotation_list.has_focus:
            session.follow_cursor(self.reader.cursor)
        self.annotation_list.set_annotations(
            session.visible, session.links, empty=self.empty_hint(), select=session.current_uuid
        )
        self._show_current()
        summary = session.summary()
        if summary is not None:
            self.library_list.update_article(summary)
        self.update_status()

    def _show_current(self) -> None:
        """Draw the current annotation outlined in the reader and highlight it in the list."""
        session = self.session
        self.reader.set_highlights(self.all_highlights())
        if session.current_uuid is not None:
            self.annotation_list.select_uuid(session.current_uuid)
        elif not self.annotation_list.has_focus:
            self.annotation_list.clear_highlight()

    def _reload_annotations(self, select: str | None = None) -> None:
        """Re-read the open article's annotations (and their links) from the store (after undo or redo)."""
        if self.session.article_id is None:
            return
        self.session.reload_annotations()
        self._show_annotations(self.session.annotations, select)
        self._load_links()

    def current_annotation(self) -> Annotation | None:
        """The annotation an edit key acts on: the list's highlight when the list has focus,
        else the one under the reader's cursor (computed now: a key typed right after a move
        acts on where the cursor is, even before the highlight is redrawn)."""
        if self.annotation_list.has_focus:
            return self.session.find(self.annotation_list.highlighted_uuid)
        return self.session.annotation_at(self.reader.cursor)

    # ------------------------------------------------------------------ tagging and finding

    @on(ReaderPane.TagRequested)
    def _tag_requested(self, event: ReaderPane.TagRequested) -> None:
        if not self.ensure_text_current():
            return
        duplicate = self.session.duplicate_of(event.kind, event.start, event.end)
        if duplicate is not None:
            self.reader.clear_selection()
            self._jump(duplicate, center=False)
            self.notify(f"Already marked as {event.kind.label.lower()}.", markup=False)
            return
        try:
            before = self.library.change_token()
            created = self.session.mark(event.kind, event.start, event.end)
        except TextMoved:
            self._text_checked = None
            self.ensure_text_current()
            return
        except (StoreError, InvalidSpan) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.note_own_mark(before, created)  # the other rows' grades and flags are as they were
        # Rest on its start (a selection's end may be the next sentence, another mark), so the
        # keys that follow (a, e, t, or v to extend from here) act on what was just marked.
        self.reader.clear_selection()
        self.reader.move_to(created.start, center=False)
        self.show_own_marks()
        self._stored(created)
        self.notify(
            f"{event.kind.label}: {excerpt(created.exact, 60)}", title="Marked", markup=False, timeout=3
        )
        if event.ask_speaker:
            self.action_edit_speaker(created.uuid)

    @on(ReaderPane.FindRequested)
    def _find_requested(self, event: ReaderPane.FindRequested) -> None:
        reader = self.reader
        if self.session.article is None:
            return
        found = reader.find_span(event.needle, reader.cursor + 1)
        if found is None:
            self.app.bell()
            self.notify(f"Not found: {safe_text(event.needle)}", severity="warning", markup=False)
            return
        if reader.mode == "selecting":
            reader.extend_to(*found)  # `v … / phrase Enter`: the selection reaches the match
        else:
            reader.clear_selection()
            reader.move_to(found[0])
        reader.focus()

    # ------------------------------------------------------------------ navigation between annotations

    def _jump(self, annotation: Annotation, *, center: bool = True) -> None:
        self.session.choose(annotation)
        self.reader.clear_selection()
        self.reader.move_to(annotation.start, center=center)
        self._show_current()
        self.update_status()

    def action_next_annotation(self) -> None:
        self._step_annotation(1)

    def action_previous_annotation(self) -> None:
        self._step_annotation(-1)

    def _step_annotation(self, step: int) -> None:
        target = self.session.step_from(self.current_annotation(), self.reader.cursor, step)
        if target is None:
            self.app.bell()
            return
        self._jump(target)

    @on(AnnotationList.Chosen)
    def _annotation_chosen(self, event: AnnotationList.Chosen) -> None:
        annotation = self.session.find(event.uuid)
        if annotation is not None:
            self._jump(annotation)
            self.focus_pane("reader")

    @on(AnnotationList.Highlighted)
    def _annotation_highlighted(self, event: AnnotationList.Highlighted) -> None:
        annotation = self.session.find(event.uuid)
        if annotation is not None and self.annotation_list.has_focus:
            self.session.choose(annotation)
            self.reader.move_to(annotation.start)
            self.reader.set_highlights(self.all_highlights())

    @on(AnnotationList.LinkChosen)
    def _link_chosen(self, event: AnnotationList.LinkChosen) -> None:
        self.follow_link(event.view)

    def follow_link(self, view: LinkView) -> None:
        """Open the annotation at the other end of a link, in its article."""
        self.show_annotation(view.other.article_id, view.other.uuid, cursor=view.other.start)

    def show_annotation(self, article_id: int, uuid: str | None, *, cursor: int | None = None) -> None:
        """Open an article (unless open) at `cursor`, then go to the annotation `uuid` if it has one."""
        if self.session.article_id != article_id:
            self.open_article(article_id, cursor=cursor)
            if self.session.article_id != article_id:
                return  # the store refused; open_article said why
        elif cursor is not None:
            self.reader.clear_selection()
            self.reader.move_to(cursor)
        self.reveal(uuid)
        annotation = self.session.find(uuid)
        if annotation is not None:
            self._jump(annotation)
        self.focus_pane("reader")

    # ------------------------------------------------------------------ welcome, guards, status

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
        if action == "whose_marks":
            return not isinstance(self.focused, Input)  # in the find bar, @ is typed text
        if action in ("edit_tags", "edit_note") and self.reader.mode == "selecting":
            return False  # while selecting, t and e are the reader's till and word-end motions
        if action in ARTICLE_ACTIONS and self.reader.waiting_for_char:
            return False  # `fa`, `tx`: the key is the character to go to, not the Speaker or Delete key
        if action in ARTICLE_ACTIONS:
            # Not from the library pane: there the open article may not even be on screen (80×24),
            # so x, e, t … do nothing and the footer does not offer them.
            return (
                self.session.article is not None
                and self.focused_pane() != "library"
                and not isinstance(self.focused, Input)  # the find bar: typed text is not a command
            )
        return super().check_action(action, parameters)

    @on(ReaderView.CursorMoved)
    def _cursor_moved(self, event: ReaderView.CursorMoved) -> None:
        if not self.annotation_list.has_focus and self.session.follow_cursor(event.offset):
            self._show_current()
        self.update_status()

    @on(ReaderView.SelectionChanged)
    def _reader_changed(self) -> None:
        self.update_status()

    def update_status(self) -> None:
        """Redraw the status line soon, once for a burst of keys."""
        if self.is_attached:
            self.query_one(StatusLine).schedule(
                lambda: status_text(self.session, self.reader, str(self.library.location))
            )
