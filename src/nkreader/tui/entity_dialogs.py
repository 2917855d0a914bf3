"""Dialogs of the analyst's instruments (issue 17): a passage's credibility, an entity made from a
selection (or the selection added as another spelling of one), and the entity whose mentions
the reader highlights.

Names and spellings are untrusted text (they come from articles): shown as ``Content`` from
:func:`safe_text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, OptionList, RadioButton, RadioSet, Select, Static
from textual.widgets.option_list import Option

from nkreader.analysis import CREDIBILITY, Entity, EntityKind
from nkreader.tui.dialogs import DialogScreen
from nkreader.tui.link_dialog import ChoiceDialog
from nkreader.tui.safe import excerpt, fold, safe_text

__all__ = [
    "CLEAR_GRADE",
    "CredibilityDialog",
    "EntityChoice",
    "EntityDialog",
    "EntityPickDialog",
    "entity_label",
]

CLEAR_GRADE = 0
"""The credibility dialog's answer for "no grade" (None is the answer of Esc)."""


class CredibilityDialog(ChoiceDialog[int]):
    """Admiralty credibility of a quote or claim: keys 1–6, ``-`` removes the grade."""

    def __init__(self, current: int | None, *, context: str = "") -> None:
        choices = [(str(n), words, n) for n, words in CREDIBILITY.items()]
        choices.append(("-", "no grade", CLEAR_GRADE))
        super().__init__(
            "Credibility of this passage", choices, current=current or CLEAR_GRADE, context=context
        )


def entity_label(entity: Entity, cells: int = 60) -> str:
    """``Kaecheon (place) · Kaechon · 개천``: the name, its kind, its other spellings."""
    others = [v for v in entity.variants if v != entity.name]
    text = f"{entity.name} ({entity.kind.value})" + "".join(f" · {v}" for v in others)
    return excerpt(text, cells)


@dataclass(frozen=True, slots=True)
class EntityChoice:
    """What the entity dialog asks for: a new entity `name` of `kind`, or — when `existing` names
    one — `name` added to it as another spelling."""

    name: str
    kind: EntityKind
    existing: str | None = None


_NEW = "\x00new"


class EntityDialog(DialogScreen[EntityChoice | None]):
    """A new entity from the selection (name prefilled, kind person/place/org), or the selection as a
    spelling of an entity that exists: ``Enter`` or ``ctrl+s`` saves, ``tab`` moves between fields."""

    DEFAULT_CSS = """
    EntityDialog {
        & RadioSet { layout: horizontal; height: auto; width: 1fr; border: none; margin-top: 1; }
        & RadioSet > RadioButton { width: auto; margin-right: 2; }
        & .entity-label { margin-top: 1; color: $text-muted; }
        & Select { width: 1fr; }
    }
    """

    HINT: ClassVar[list[tuple[str | None, str, str]]] = [
        (None, "enter", "save"),
        (None, "tab", "next field"),
        ("dialog.cancel", "esc", "cancel"),
    ]

    def __init__(
        self,
        name: str,
        entities: Sequence[Entity],
        *,
        kind: EntityKind = EntityKind.PLACE,
        title: str = "Entity from the selection",
        context: str = "",
    ) -> None:
        super().__init__(title, context=context)
        self._name = safe_text(" ".join(name.split()))
        self._entities = list(entities)
        self._kind = kind

    def compose_body(self) -> ComposeResult:
        yield Input(self._name, placeholder="Name, as it is spelled here", id="entity-name")
        with RadioSet(id="entity-kind"):
            for kind in EntityKind:
                yield RadioButton(kind.value, value=kind is self._kind, id=f"kind-{kind.value}")
        yield Static(Content("…or add it as another spelling of:"), classes="entity-label")
        yield Select(
            [(Content(entity_label(safe_entity(e))), e.name) for e in self._entities],
            prompt="— a new entity —",
            id="entity-existing",
            allow_blank=True,
        )

    def on_mount(self) -> None:
        self.query_one("#entity-name", Input).focus()

    def result(self) -> EntityChoice | None:
        name = " ".join(self.query_one("#entity-name", Input).value.split())
        if not name:
            return None
        pressed = self.query_one("#entity-kind", RadioSet).pressed_button
        kind = EntityKind(str(pressed.label)) if pressed is not None else self._kind
        existing = self.query_one("#entity-existing", Select).value
        return EntityChoice(name, kind, existing if isinstance(existing, str) else None)

    @on(Input.Submitted, "#entity-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()


class EntityPickDialog(DialogScreen[Entity | None]):
    """Choose an entity: type to narrow the list (any spelling), ``down`` into it, ``Enter`` picks."""

    DEFAULT_CSS = """
    EntityPickDialog #entity-list {
        height: auto;
        max-height: 12;
        margin-top: 1;
        border: none;
        padding: 0;
        &:focus { background-tint: $foreground 5%; }
    }
    """

    HINT: ClassVar[list[tuple[str | None, str, str]]] = [
        (None, "type", "narrow"),
        (None, "↓/↑", "choose"),
        (None, "enter", "highlight its mentions"),
        ("dialog.cancel", "esc", "cancel"),
    ]

    def __init__(self, entities: Sequence[Entity], *, title: str = "Highlight the mentions of") -> None:
        super().__init__(title)
        self._entities = list(entities)
        self._shown: list[Entity] = []

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="Any spelling", id="entity-filter")
        yield OptionList(id="entity-list")

    def on_mount(self) -> None:
        self._narrow("")
        self.query_one("#entity-filter", Input).focus()

    def _narrow(self, typed: str) -> None:
        wanted = fold(typed.strip())
        self._shown = [e for e in self._entities if not wanted or any(wanted in fold(v) for v in e.variants)]
        options = self.query_one("#entity-list", OptionList)
        options.clear_options()
        options.add_options(Option(Content(entity_label(safe_entity(e)))) for e in self._shown)
        if self._shown:
            options.highlighted = 0

    @on(Input.Changed, "#entity-filter")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._narrow(event.value)

    @on(Input.Submitted, "#entity-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_key(self, event: events.Key) -> None:
        # The list follows up/down while the filter keeps focus, so typing and choosing mix freely.
        options = self.query_one("#entity-list", OptionList)
        if event.key in ("down", "up") and self.query_one("#entity-filter", Input).has_focus and self._shown:
            event.stop()
            event.prevent_default()
            if event.key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()

    def result(self) -> Entity | None:
        index = self.query_one("#entity-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self._shown):
            return None
        return self._shown[index]

    @on(OptionList.OptionSelected, "#entity-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._shown[event.option_index])


def safe_entity(entity: Entity) -> Entity:
    """The entity with its spellings made safe to show (control characters replaced)."""
    return Entity(entity.id, safe_text(entity.name), entity.kind, [safe_text(v) for v in entity.variants])
