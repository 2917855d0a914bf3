"""One-key choices: a claim's verification status, and the type of a link between two annotations.

Both are a short list where each entry has its own key (``c`` corroborated, ``x`` contradicts …), so the
choice costs one keystroke; arrows and ``Enter`` work too, and ``Esc`` cancels (the result is ``None``).
The context line quotes the annotation (untrusted text): it goes through :class:`DialogScreen`, which
shows it as ``Content``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from nkreader.domain import LinkType, Status
from nkreader.tui.dialogs import DialogScreen

__all__ = ["LINK_CHOICES", "STATUS_CHOICES", "ChoiceDialog", "LinkTypeDialog", "StatusDialog"]

T = TypeVar("T")

STATUS_CHOICES: list[tuple[str, str, Status]] = [
    ("u", "unverified", Status.UNVERIFIED),
    ("c", "corroborated", Status.CORROBORATED),
    ("d", "disputed", Status.DISPUTED),
    ("r", "refuted", Status.REFUTED),
]
LINK_CHOICES: list[tuple[str, str, LinkType]] = [
    ("c", "corroborates", LinkType.CORROBORATES),
    ("x", "contradicts", LinkType.CONTRADICTS),
    ("s", "same as", LinkType.SAME_AS),
    ("i", "cites", LinkType.CITES),
]


class ChoiceDialog(DialogScreen[T | None], Generic[T]):
    """Pick one of a few values: its key, or arrows and ``Enter``; ``Esc`` cancels."""

    DEFAULT_CSS = """
    ChoiceDialog {
        & > #dialog { width: 60; }
        & OptionList { height: auto; max-height: 10; border: none; padding: 0; }
    }
    """

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[str, str, T]],
        *,
        current: T | None = None,
        context: str = "",
    ) -> None:
        super().__init__(title, context=context)
        self._choices = list(choices)
        self._current = current
        keys = "/".join(key for key, _label, _value in self._choices if key)
        self.HINT = [  # type: ignore[misc]  # this dialog's keys depend on its choices
            (None, keys, "choose"),
            (None, "enter", "highlighted"),
            ("dialog.cancel", "esc", "cancel"),
        ]

    def compose_body(self) -> ComposeResult:
        options = []
        for key, label, value in self._choices:
            mark = "  (now)" if value == self._current else ""
            options.append(Option(Content.assemble((f"{key}", "bold"), f"  {label}", (mark, "dim"))))
        yield OptionList(*options, id="choices")

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        values = [value for _, _, value in self._choices]
        choices.highlighted = values.index(self._current) if self._current in values else 0
        choices.focus()

    def result(self) -> T | None:
        index = self.query_one("#choices", OptionList).highlighted
        return self._choices[index][2] if index is not None else None

    def on_key(self, event: events.Key) -> None:
        for key, _label, value in self._choices:
            if key and event.character == key:
                event.stop()
                event.prevent_default()
                self.dismiss(value)
                return

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._choices[event.option_index][2])


class StatusDialog(ChoiceDialog[Status]):
    """The verification status of a claim."""

    def __init__(self, current: Status, *, context: str = "") -> None:
        super().__init__("Claim status", STATUS_CHOICES, current=current, context=context)


class LinkTypeDialog(ChoiceDialog[LinkType]):
    """How the marked annotation relates to this one."""

    def __init__(self, *, context: str = "") -> None:
        super().__init__("How does the marked annotation relate to this one?", LINK_CHOICES, context=context)
