"""The help screen: every key, grouped, as the app's *active* keymap has it.

Why the groups are passed in: keys can be remapped in ``config.toml`` (``App.set_keymap``), so a help text
written here would lie after a remap. The app computes ``[(group, [(keys, description), ...]), ...]`` from
its bindings and hands it over; this screen only lays it out. Keys come from the user's config file and
are therefore untrusted text like everything else: they are drawn as ``rich.text.Text``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from nkreader.tui.safe import safe_text

__all__ = ["HelpGroups", "HelpScreen"]

HelpGroups = list[tuple[str, list[tuple[str, str]]]]
"""``[(group name, [(keys, description), ...]), ...]``, in display order."""


class HelpScreen(ModalScreen[None]):
    """A scrollable two-column table of keys and what they do; ``Esc``, ``?`` or ``q`` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close", tooltip="Close the help"),
        Binding("j", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("k", "scroll('up')", "Up", show=False, id="help.up"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
        & > #help {
            width: 90;
            max-width: 95%;
            height: 90%;
            border: thick $primary 70%;
            background: $surface;
            padding: 0 1;
        }
        & #help-title { text-style: bold; padding: 1 1 0 1; }
        & #help-hint { color: $text-muted; padding: 0 1 1 1; }
        & #help-body { height: 1fr; padding: 0 1; }
        & .help--group { text-style: bold; color: $text-primary; margin-top: 1; }
        & .help--table { width: 1fr; }
    }
    """

    def __init__(self, groups: HelpGroups, *, title: str = "Keys") -> None:
        super().__init__()
        self._groups = groups
        self._heading = title

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(Content(safe_text(self._heading)), id="help-title")
            yield Static(Content("Esc, ? or q closes · ↑/↓ and PgUp/PgDn scroll"), id="help-hint")
            with VerticalScroll(id="help-body"):
                key_width = max(
                    (len(safe_text(keys)) for _, rows in self._groups for keys, _ in rows), default=0
                )
                for name, rows in self._groups:
                    yield Static(Content(safe_text(name)), classes="help--group")
                    yield Static(self._table(rows, min(key_width, 28)), classes="help--table")

    @staticmethod
    def _table(rows: list[tuple[str, str]], key_width: int) -> Table:
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(width=key_width, no_wrap=False)
        table.add_column(ratio=1)
        for keys, description in rows:
            table.add_row(Text(safe_text(keys), style="bold"), Text(safe_text(description)))
        return table

    def on_mount(self) -> None:
        self.query_one("#help-body", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if direction == "down":
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)
