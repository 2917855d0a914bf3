"""An article's revisions as a diff (issue 17): what each update changed, old words struck in red,
new ones in green, only the paragraphs that changed.

`import --update` keeps every replaced text (`article_revisions`); this screen compares each
with the text that followed it, newest change first: ``[`` / ``]`` (or left / right) step to older
and newer changes. An article never changed by an update says so. Article text is untrusted: the
diff is a ``rich.text.Text`` of :func:`safe_text` pieces, never markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from nkreader.domain import Article, ArticleRevision
from nkreader.services import StoreError
from nkreader.services.library import Library
from nkreader.services.revisions import article_revisions
from nkreader.text.wording_diff import paragraph_diff, word_diff
from nkreader.tui.app_footer import AppFooter
from nkreader.tui.safe import excerpt, safe_text

__all__ = ["EMPTY_REVISIONS", "RevisionScreen", "diff_text"]

EMPTY_REVISIONS = (
    "No revisions: no update has changed this article since it was imported.\n"
    "When `nkreader import --update` brings a new text, the old one is kept and its changes show here."
)
_STYLES = {"old": "strike red", "new": "bold green", "same": ""}


def diff_text(old: ArticleRevision | Article, new: ArticleRevision | Article) -> Text:
    """The changes from `old` to `new`: the title if it changed, then each changed paragraph."""
    text = Text()
    if old.title != new.title:
        text.append("Title: ", style="bold")
        for piece in word_diff(safe_text(old.title), safe_text(new.title)):
            text.append(piece.text, style=_STYLES[piece.op])
        text.append("\n\n")
    hunks = paragraph_diff(old.body, new.body)
    if not hunks and old.title == new.title:
        text.append("The text is the same (only its stored form or metadata changed).", style="dim")
        return text
    for hunk in hunks:
        if hunk.skipped:
            plural = "s" if hunk.skipped != 1 else ""
            text.append(f"… {hunk.skipped} paragraph{plural} unchanged …\n\n", style="dim")
        text.append(f"¶ {hunk.paragraph}  ", style="dim bold")
        previous = "same"
        for piece in hunk.pieces:
            if previous == "old" and piece.op == "new":
                text.append(" ")  # "Seven Eight", not "SevenEight": the struck word stays a word
            text.append(safe_text(piece.text, multiline=True), style=_STYLES[piece.op])
            previous = piece.op
        text.append("\n\n")
    return text


class RevisionScreen(Screen[None]):
    """The revisions of one article; ``Esc`` closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="revisions.close", tooltip="Back to the reader"),
        Binding(
            "left_square_bracket,left",
            "step(-1)",
            "Older",
            id="revisions.older",
            tooltip="The change an earlier update made",
        ),
        Binding(
            "right_square_bracket,right",
            "step(1)",
            "Newer",
            id="revisions.newer",
            tooltip="The change a later update made",
        ),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape | Close. |
    | [ / left | The change an earlier update made. |
    | ] / right | The change a later update made. |
    | up / down / pageup / pagedown | Scroll the diff. |
    """

    DEFAULT_CSS = """
    RevisionScreen {
        layout: vertical;
        & > #revisions-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
        & > #revisions-status { height: 1; padding: 0 1; color: $text-muted; }
        & > VerticalScroll { height: 1fr; padding: 0 1; }
        & #revisions-diff { width: 1fr; }
        & #revisions-diff.-empty { color: $text-muted; padding: 1 0; }
    }
    """

    def __init__(self, library: Library, article_id: int) -> None:
        super().__init__()
        self.library = library
        self.article_id = article_id
        self.article: Article | None = None
        self.revisions: list[ArticleRevision] = []
        self.shown = Text("")
        """The diff on screen (what the tests read)."""
        self.index = 0
        """Which change is shown: 0 the oldest revision → the next text; the newest is shown first."""

    def compose(self) -> ComposeResult:
        yield Static(Content("Revisions"), id="revisions-title")
        yield Static(Content(""), id="revisions-status")
        with VerticalScroll(id="revisions-scroll"):
            yield Static(Text(""), id="revisions-diff")
        yield AppFooter()

    def on_mount(self) -> None:
        try:
            self.article, self.revisions = article_revisions(self.library, self.article_id)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            self.dismiss(None)
            return
        self.query_one("#revisions-title", Static).update(
            Content(f"Revisions · {excerpt(self.article.title, 70)}")
        )
        self.index = len(self.revisions) - 1
        self._show()
        self.query_one("#revisions-scroll").focus()

    def _texts(self) -> list[ArticleRevision | Article]:
        assert self.article is not None
        return [*self.revisions, self.article]

    def _show(self) -> None:
        diff = self.query_one("#revisions-diff", Static)
        status = self.query_one("#revisions-status", Static)
        if not self.revisions:
            diff.add_class("-empty")
            diff.update(Content(EMPTY_REVISIONS))
            status.update(Content("0 revisions  ·  esc back"))
            return
        diff.remove_class("-empty")
        texts = self._texts()
        old, new = texts[self.index], texts[self.index + 1]
        when = old.replaced_at if isinstance(old, ArticleRevision) else None
        stamp = when.strftime("%Y-%m-%d %H:%M UTC") if when else "?"
        count = len(self.revisions)
        status.update(
            Content.assemble(
                (f"Change {self.index + 1} of {count}", "bold"),
                f" · {stamp} · ",
                ("old", "strike red"),
                " ",
                ("new", "bold green"),
                " · [ older ] newer",
            )
        )
        self.shown = diff_text(old, new)
        diff.update(self.shown)
        self.query_one("#revisions-scroll", VerticalScroll).scroll_home(animate=False)

    def action_step(self, step: int) -> None:
        target = self.index + step
        if not self.revisions or not 0 <= target < len(self.revisions):
            self.app.bell()
            return
        self.index = target
        self._show()

    def action_close(self) -> None:
        self.dismiss(None)
