"""The middle pane: the open article's header, the reader, and the find bar.

The tagging keys live here, not on the screen, so `c` in the library's filter or
in a dialog never marks text by accident: they fire only while focus is inside
this pane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from nkreader.domain import Article, Kind
from nkreader.tui.modal import ModalKeyHold
from nkreader.tui.reader import ReaderView
from nkreader.tui.safe import safe_text


class ArticleHeader(Static):
    """Title and metadata of the open article, rendered as Text: never as markup."""

    DEFAULT_CSS = """
    ArticleHeader {
        height: auto;
        max-height: 4;
        padding: 0 1;
        border-bottom: solid $primary 40%;
    }
    """

    def show_article(self, article: Article | None) -> None:
        if article is None:
            self.update(Text("No article open", style="dim"))
            return
        title = Text(safe_text(article.title), style="bold")
        meta = [
            article.source,
            article.author,
            article.published.isoformat() if article.published else None,
            article.url,
        ]
        line = " · ".join(safe_text(m) for m in meta if m)
        if not line:
            self.update(title)
            return
        # The title may wrap; the metadata stays on one line and ends in "…" when cut.
        self.update(Group(title, Text(line, style="dim", no_wrap=True, overflow="ellipsis")))


class FindBar(Input):
    """`/` opens it; Enter jumps to the first match after the cursor; Esc closes it."""

    DEFAULT_CSS = """
    FindBar {
        dock: bottom;
        display: none;
        border: tall $accent;
    }
    FindBar.-visible { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", show=False, id="find.close")]

    @dataclass
    class Closed(Message):
        find_bar: FindBar

    def open(self) -> None:
        """Show and focus the bar; keys typed before the focus lands are held for it."""
        if isinstance(self.app, ModalKeyHold):
            self.app.hold_keys_until_focused(self)
        self.add_class("-visible")
        self.focus()

    def on_focus(self) -> None:
        if isinstance(self.app, ModalKeyHold):
            self.app.post_message(ModalKeyHold.ReleaseKeys())

    def action_close(self) -> None:
        self.remove_class("-visible")
        self.post_message(self.Closed(self))


class ReaderPane(Vertical):
    """Header, reader and find bar; binds the keys that mark passages."""

    DEFAULT_CSS = """
    ReaderPane { height: 1fr; }
    ReaderPane > ReaderView { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(Kind.CLAIM.key, "tag('claim')", "Claim", id="annotate.claim", tooltip="Mark as a claim"),
        Binding(Kind.QUOTE.key, "tag('quote')", "Quote", id="annotate.quote", tooltip="Mark as a quote"),
        Binding(
            Kind.POLICY.key,
            "tag('policy')",
            "Policy",
            id="annotate.policy",
            tooltip="Mark as a policy statement",
        ),
        Binding(
            "Q",
            "tag('quote', True)",
            "Quote+who",
            show=False,
            id="annotate.quote_speaker",
            tooltip="Mark as a quote and say who said it",
        ),
        # A priority binding runs as the key arrives, before the keys typed after it reach the reader,
        # so the find bar can hold them until it has focus (a phrase pasted right after `/`).
        Binding("slash", "find", "Find", id="reader.find", tooltip="Find text in the article", priority=True),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "find":
            return not self.find_bar.has_focus  # in the bar, `/` is a character of the phrase
        return True

    @dataclass
    class TagRequested(Message):
        kind: Kind
        start: int
        end: int
        from_selection: bool
        """False when no text was selected and the sentence under the cursor is meant."""
        ask_speaker: bool = False
        """Ask who said it right after marking (``Q``)."""

    @dataclass
    class FindRequested(Message):
        needle: str

    _last_needle = ""

    def compose(self) -> ComposeResult:
        yield ArticleHeader(id="article-header")
        yield ReaderView(id="reader")
        yield FindBar(
            placeholder="Find in article…  (Enter: next match; empty Enter: the last search again; Esc: close)",
            id="find-bar",
        )

    @property
    def reader(self) -> ReaderView:
        return self.query_one(ReaderView)

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    def action_tag(self, kind: str, ask_speaker: bool = False) -> None:
        selected = self.reader.selection is not None
        span = self.reader.target_span()
        if span is None:
            self.app.bell()
            self.notify("Nothing to mark here: move to a sentence or select text first.", severity="warning")
            return
        self.post_message(self.TagRequested(Kind(kind), *span, from_selection=selected, ask_speaker=ask_speaker))

    def action_find(self) -> None:
        self.find_bar.open()

    @on(Input.Submitted, "#find-bar")
    def _find_submitted(self, event: Input.Submitted) -> None:
        """Jump to the next match; an empty Enter repeats the last search."""
        event.stop()
        needle = event.value or self._last_needle
        self.find_bar.action_close()
        if needle:
            self._last_needle = needle
            self.post_message(self.FindRequested(needle))

    @on(FindBar.Closed)
    def _find_closed(self, event: FindBar.Closed) -> None:
        event.stop()
        self.reader.focus()
