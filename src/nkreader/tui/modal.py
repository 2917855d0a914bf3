"""Keys typed while a dialog opens go to the dialog, in order, or nowhere: never to the screen below.

Why: a dialog is pushed, then mounted, then its input takes focus, and each of those steps is a
message. Keys already queued behind the key that opened it (a paste, fast typing: `t` then
`xinjiang`) would otherwise be delivered to whatever had focus before, the reader, where `x`
deletes and `n` jumps. `push_modal` pushes the dialog at once (not from a worker that runs
later) and the app holds every key that arrives before the dialog has focus, then delivers them
to it in the order typed. If the dialog is gone before it took focus, the held keys are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual import events
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

__all__ = ["ModalKeyHold", "push_modal"]

ResultType = TypeVar("ResultType")


class ModalKeyHold(App[None]):
    """An app that holds keys for a modal screen until that screen has focus."""

    class ReleaseKeys(Message):
        """Deliver the held keys now (posted when focus lands, so it queues behind earlier keys)."""

    def __init__(self) -> None:
        super().__init__()
        self._hold_screen: Screen[Any] | None = None
        self._hold_widget: Widget | None = None
        self._held: list[events.Key] = []

    def hold_keys_until_focused(self, widget: Widget) -> None:
        """From now until `widget` has focus, keep the keys typed for it (the find bar opening on `/`:
        a phrase pasted or typed fast after `/` must not reach the reader, where `a` or `x` act)."""
        self._hold_widget = widget
        self._held = []

    def hold_keys_for(self, screen: Screen[Any]) -> None:
        """From now until `screen` has focus, keep the keys typed for it."""
        self._hold_screen = screen
        self._held = []

    @property
    def holding_keys(self) -> bool:
        return self._hold_screen is not None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self._hold_widget is not None:
            widget = self._hold_widget
            if widget.is_attached and not widget.has_focus and widget.screen is self.screen:
                self._held.append(event)
                return
            await self._release_widget_keys()
        if isinstance(event, events.Key) and not event.is_forwarded and self._hold_screen is not None:
            if self._hold_screen is self.screen and self._hold_screen.focused is None:
                self._held.append(event)
                return
            await self._release_keys()
        await super().on_event(event)
        if self._hold_screen is not None and (
            self._hold_screen.focused is not None or self._hold_screen is not self.screen
        ):
            self.post_message(self.ReleaseKeys())

    async def on_modal_key_hold_release_keys(self, message: ReleaseKeys) -> None:
        if self._hold_widget is not None:
            await self._release_widget_keys()
        await self._release_keys()

    async def _release_widget_keys(self) -> None:
        widget, keys = self._hold_widget, self._held
        self._hold_widget, self._held = None, []
        if widget is None or not widget.has_focus:
            return  # it closed before it took focus: its keys go nowhere
        for key in keys:
            await super().on_event(key)

    async def _release_keys(self) -> None:
        screen, keys = self._hold_screen, self._held
        self._hold_screen, self._held = None, []
        if screen is None or screen is not self.screen:
            return  # the dialog closed before it took focus: its keys go nowhere
        for key in keys:
            await super().on_event(key)


def push_modal(
    app: App[Any], screen: Screen[ResultType], callback: Callable[[ResultType | None], None]
) -> None:
    """Push `screen` now, holding the keys typed before it has focus; `callback` gets its result."""
    if isinstance(app, ModalKeyHold):
        app.hold_keys_for(screen)
    app.push_screen(screen, callback)
