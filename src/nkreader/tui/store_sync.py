"""Keeping the main screen in step with the store: other processes' changes, the open article's
text, and its links read in a thread.

Another window or a CLI import may commit at any time. The screen polls the store's change
token; when it moved, the library list and the open article's marks are read again, and if the
open article's *text* changed (`import --update`), the new text is shown with its re-anchored
highlights. Before any key that writes, `ensure_text_current` makes the same check, so a mark is
never stored at offsets of a text the analyst is not looking at.
"""

from __future__ import annotations

from textual import work

from nkreader.domain import Annotation, Article, ArticleSummary, LinkView
from nkreader.services import StoreError
from nkreader.tui.annotation_editing import AnnotationEditing
from nkreader.tui.library_list import LibraryPane
from nkreader.tui.reader_pane import ArticleHeader
from nkreader.tui.session import follow_offset, read_links

__all__ = ["StoreSync"]


class StoreSync(AnnotationEditing):
    """The store-following half of `MainScreen` (tui/main_screen.py), which shows what it reads."""

    def __init__(self) -> None:
        super().__init__()
        self._seen_version: int | None = None
        self._text_checked: int | None = None
        """The change token when the open article's text was last found to be the stored one."""
        self._links_generation = 0
        self._links_pending = False
        self.links_loaded = 0
        """How many times the links were read and shown (tests wait on it)."""

    # ------------------------------------------------------------------ provided by MainScreen

    def _show_library(self, rows: list[ArticleSummary], keep: int | None) -> None:
        raise NotImplementedError

    def _show_annotations(self, annotations: list[Annotation], select: str | None) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ other processes

    def _note_own_change(self) -> None:
        """What is shown now includes the store's latest state: no refresh is due for it.

        The app's own writes (a mark, an edit) never change the article's text: if the text was
        verified at the state the app last knew, it still is, so the next writing key does not
        read the whole stored article again (a 1 MB body per `c` on a large article).
        """
        token = self.library.change_token()
        before = self.library.version_before_last_write()
        if before is not None and before != self._seen_version and token != self._seen_version:
            # another process committed after the last poll and before this app's write: what
            # is shown does not include it, so the next poll must still re-read
            return
        if self._text_checked is not None and self._text_checked == self._seen_version:
            self._text_checked = token
        self._seen_version = token

    def store_state(self) -> int | None:
        """The change token now (None when the store cannot say)."""
        try:
            return self.library.change_token()
        except StoreError:
            return None

    def text_read_at(self, token: int | None) -> None:
        """The open article's text was just read from the store, which was at `token` (read
        before it): the first writing key need not read the 1 MB text again to compare it (16 ms
        of the first `c` on a large article). A commit since moves the token: it is checked then."""
        if token is not None:
            self._text_checked = token

    def poll_changes(self) -> None:
        """Re-read the library list and the open article's marks if another process committed."""
        try:
            version = self.library.change_token()
        except StoreError:
            return  # the next poll tries again; a failing store is reported by the next action
        if version is None or version == self._seen_version:
            return
        self._seen_version = version
        self._refresh_from_store(self.session.article_id)

    @work(thread=True, exclusive=True, group="refresh")
    def _refresh_from_store(self, article_id: int | None) -> None:
        try:
            rows = self.library.summaries()
            annotations = self.library.annotations(article_id) if article_id is not None else None
            changed = self.session.stored_text_if_changed() if article_id is not None else None
        except StoreError:
            return
        links = read_links(self.library, annotations or [])
        self.app.call_from_thread(self._apply_refresh, rows, article_id, annotations, links, changed)

    def _apply_refresh(
        self,
        rows: list[ArticleSummary],
        article_id: int | None,
        annotations: list[Annotation] | None,
        links: dict[str, list[LinkView]] | None = None,
        changed: Article | None = None,
    ) -> None:
        self._show_library(rows, self.query_one(LibraryPane).highlighted_id)
        session = self.session
        if annotations is None or session.article_id is None or session.article_id != article_id:
            return
        if changed is not None and session.article is not None:
            if changed.content_hash != session.article.content_hash:
                self._show_new_text(changed, annotations)
            return
        links = links or {}
        if annotations != session.annotations or links != session.links:
            session.links = links
            self._show_annotations(annotations, None)

    # ------------------------------------------------------------------ the open article's text

    def ensure_text_current(self) -> bool:
        """Before a key that writes: True if the text on screen is still the stored one.

        Otherwise (another process ran `import --update` on it) the new text is shown with its
        re-anchored highlights, the user is told, and False: the key does nothing, so no mark
        is ever stored at offsets of a text the analyst is not looking at.
        """
        session = self.session
        if session.article_id is None:
            return False
        try:
            token = self.library.change_token()
            if token is not None and token == self._text_checked:
                return True  # nothing committed since the text was last compared
            changed = session.stored_text_if_changed()
            annotations = self.library.annotations(session.article_id) if changed is not None else []
        except StoreError:
            return True  # the write itself will say what is wrong with the store
        self._text_checked = token
        if changed is None:
            return True
        self._show_new_text(changed, annotations)
        self.app.bell()
        self.notify(
            "This article's text was updated in another window: it is shown again with its marks. "
            "Nothing was stored; check the passage and press the key again.",
            severity="warning",
            markup=False,
            timeout=8,
        )
        return False

    def _show_new_text(self, article: Article, annotations: list[Annotation]) -> None:
        """Replace the text on screen with the stored one, keeping the cursor near where it was."""
        # Keep the passage the analyst was on: the start of the selection (about to be marked), else
        # the cursor; the selection itself is dropped with the old text.
        selection = self.reader.selection
        here = selection[0] if selection is not None else self.reader.cursor
        cursor = follow_offset(self.session.body, article.body, here)
        self.session.reload_article(article, annotations)
        self._text_checked = None
        self.query_one(ArticleHeader).show_article(article)
        self.suggestions_article_opened()  # type: ignore[attr-defined]  # found on the old text: again
        self.reader.load(article.body, self.session.highlights(), cursor=cursor)
        self.annotation_list.set_annotations(self.session.visible, self.session.links, empty=self.empty_hint())
        self._show_annotations(annotations, None)
        self._load_links()

    # ------------------------------------------------------------------ links, read in a thread

    def _load_links(self) -> None:
        """Read the open article's links in a thread (a few hundred annotations take a moment) and
        show them when they come; an answer for an article no longer open, or superseded, is dropped."""
        article_id = self.session.article_id
        if article_id is None:
            return
        self._links_generation += 1
        self._links_pending = True
        self._read_links_in_thread(self._links_generation, article_id, list(self.session.annotations))

    # A description of our own: Textual's default is the repr of every argument, here 1,000
    # annotations (~20 ms on each article open, for a debug label).
    @work(thread=True, group="links", description="read the open article's links")
    def _read_links_in_thread(self, generation: int, article_id: int, annotations: list[Annotation]) -> None:
        links = read_links(self.library, annotations)
        self.app.call_from_thread(self._apply_links, generation, article_id, links)

    def _apply_links(self, generation: int, article_id: int, links: dict[str, list[LinkView]]) -> None:
        if generation != self._links_generation or not self.is_attached:
            return
        self._links_pending = False
        if self.session.article_id != article_id:
            return
        self.session.links = links
        self.links_loaded += 1
        self.annotation_list.set_annotations(self.session.visible, links, empty=self.empty_hint())
