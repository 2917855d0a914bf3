"""The first screen of an empty library: what nkreader is for and how to get articles in.

Why a panel and not an empty list: a new user facing a blank pane has no way to discover ``nkreader
import`` or the command palette; the panel says both and offers the bundled samples with one key. It
posts :class:`WelcomePanel.ImportSamples` and leaves the importing to the app (the app binds ``i``).
All text here is our own, so it may use markup; nothing from articles is shown.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

__all__ = ["WelcomePanel"]

_ABOUT = """\
[b]nkreader[/b] — read news reporting and mark what matters in it.

Mark passages as a [b $primary]claim[/], a [b $success]quote[/] or a [b $warning]policy statement[/], \
record who said it, add notes and tags, and export it all to JSON for reports and pipelines."""

_IMPORT = """\
[b]Your library is empty.[/b] To add articles (text, Markdown, HTML, JSON, RSS/Atom files):

  • from the shell:  [b]nkreader import PATH…[/b]
  • in the app:      [b]ctrl+p[/b] → [b]Import files…[/b]"""

_SAMPLES_KEY = "Press [b]i[/b] to import the bundled sample articles."


class WelcomePanel(Vertical):
    """Shown in place of the library while it is empty."""

    DEFAULT_CSS = """
    WelcomePanel {
        height: 1fr;
        padding: 1 2;
        align: center middle;
        & > .welcome--text {
            width: 1fr;
            max-width: 84;
            margin-bottom: 1;
        }
        & > .welcome--key { color: $text-muted; width: 1fr; max-width: 84; }
        & Center { height: auto; margin-bottom: 1; }
    }
    """

    class ImportSamples(Message):
        """The user asked to import the bundled sample articles."""

    def __init__(self, *, deferred: bool = False, id: str | None = None) -> None:
        """`deferred`: no content until `ensure_content` (the main screen shows it only for an
        empty library; its button alone cost each start 20 ms of CSS parsing)."""
        super().__init__(id=id)
        self._deferred = deferred

    def compose(self) -> ComposeResult:
        if not self._deferred:
            yield from self._content()

    def ensure_content(self) -> None:
        """Compose the panel now, if it was deferred and is still empty."""
        if self._deferred:
            self._deferred = False
            self.mount_all(list(self._content()))

    def _content(self) -> ComposeResult:
        yield Static(Content.from_markup(_ABOUT), classes="welcome--text")
        yield Static(Content.from_markup(_IMPORT), classes="welcome--text")
        yield Center(Button("Import the sample articles", id="welcome-import-samples", variant="primary"))
        yield Static(Content.from_markup(_SAMPLES_KEY), classes="welcome--key")

    @on(Button.Pressed, "#welcome-import-samples")
    def _import_samples(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ImportSamples().set_sender(self))
