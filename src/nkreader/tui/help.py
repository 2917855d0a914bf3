"""The help screen: every key, grouped, as the app's *active* keymap has it.

Why the groups are passed in: keys can be remapped in ``config.toml`` (``App.set_keymap``), so a help text
written here would lie after a remap. The app computes ``[(group, [(keys, description, binding id), ...]),
...]`` from its bindings and hands it over; this screen only lays it out, the binding ids in a third, dim
column (they are what ``config.toml`` remaps). Keys come from the user's config file and are therefore
untrusted text like everything else: they are drawn as ``rich.text.Text``.
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

__all__ = ["HelpGroups", "HelpRow", "HelpScreen", "merge_rows"]

HelpRow = tuple[str, str, str] | tuple[str, str]
"""``(keys, description, binding id)``; the id may be ``""``, and ``(keys, description)`` is accepted too."""
HelpGroups = list[tuple[str, list[HelpRow]]]
"""``[(group name, [row, ...]), ...]``, in display order."""

_KEYS_MAX = 16
_IDS_MAX = 34


def merge_rows(rows: list[HelpRow]) -> list[tuple[str, str, str]]:
    """Rows as ``(keys, description, ids)``, in order, with repeated ``(keys, description)`` shown once.

    Two bindings can do the same thing from different widgets (``esc`` "Clear filter" on the library
    pane and on its filter field): one row lists both ids, comma-separated.
    """
    merged: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        keys, description = row[0], row[1]
        binding_id = row[2] if len(row) > 2 else ""  # (keys, description) rows have no id
        ids = merged.setdefault((keys, description), [])
        if binding_id and binding_id not in ids:
            ids.append(binding_id)
    return [(keys, description, ", ".join(ids)) for (keys, description), ids in merged.items()]


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys, what they do and their binding ids; ``Esc``, ``?`` or ``q`` closes it."""

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
        groups = [(name, merge_rows(rows)) for name, rows in self._groups]
        # One width per column across all groups, so the columns line up from group to group.
        key_width = max((len(safe_text(keys)) for _, rows in groups for keys, _, _ in rows), default=0)
        id_width = max((len(safe_text(ids)) for _, rows in groups for _, _, ids in rows), default=0)
        with Vertical(id="help"):
            yield Static(Content(safe_text(self._heading)), id="help-title")
            hint = "Esc, ? or q closes · ↑/↓ PgUp/PgDn scroll"
            if id_width:
                hint += " · dim: the id to remap in config.toml"
            yield Static(Content(hint), id="help-hint")
            with VerticalScroll(id="help-body"):
                for name, rows in groups:
                    yield Static(Content(safe_text(name)), classes="help--group")
                    yield Static(
                        self._table(rows, min(key_width, _KEYS_MAX), min(id_width, _IDS_MAX)),
                        classes="help--table",
                    )

    @staticmethod
    def _table(rows: list[tuple[str, str, str]], key_width: int, id_width: int) -> Table:
        """Two columns, so the description keeps the width at 80 columns: the binding ids follow the
        description, dim, and wrap with it."""
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(width=key_width, no_wrap=False)
        table.add_column(ratio=1)
        for keys, description, ids in rows:
            text = Text(safe_text(description))
            if id_width and ids:
                text.append("  " + safe_text(ids), style="dim")
            table.add_row(Text(safe_text(keys), style="bold"), text)
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
