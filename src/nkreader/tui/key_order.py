"""Keys act in the order they were typed, however far behind the app is.

Why: Textual runs a *priority* binding as soon as its key reaches the app, but an ordinary key is
first forwarded to the focused widget's queue and bubbles up through its ancestors before its
binding runs. When the app is behind (a paste, fast typing, a busy machine, a reload after another
process wrote), a priority key overtakes the ordinary keys typed before it: `c` then `t` tagged
the mark *before* the new one, and `c` then `ctrl+q` quit before the claim was stored — an edit
on the wrong annotation, or one silently lost.

`OrderedKeys` keeps a backlog: while any earlier key may still be on its way (a message queued anywhere
on the focus chain, or queued for the app itself), a newly arrived key
waits in the backlog, and so does every key after it. The backlog is drained, one key at a time,
as soon as the chain is idle; a key typed while the app keeps up goes straight through, so
reading speed is unchanged. A handler that never finishes must not swallow the keyboard: after
`_PATIENCE_SECONDS` the oldest waiting key is delivered anyway.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

__all__ = ["OrderedKeys"]

_RETRY_SECONDS = 0.002
_PATIENCE_SECONDS = 3.0


def _busy(pump: MessagePump) -> bool:
    """Is a message waiting in this pump's queue? (Textual's own queue keeps no count of the
    message being handled, so a key is "in flight" while it waits in a queue on its way up.)"""
    return bool(pump._message_queue.qsize())


class OrderedKeys(App[None]):
    """An app whose keys are handled in the order typed (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self._key_backlog: deque[events.Key] = deque()
        self._draining = False
        self._waiting_since = 0.0

    def _keys_in_flight(self) -> bool:
        """May an earlier key still be on its way to its binding?"""
        if _busy(self):  # the message being handled now is no longer in the queue
            return True
        node: Any = self.focused
        screen = self.screen if self._screen_stack else None
        while node is not None and node is not self:
            if _busy(node):
                return True
            if node is screen:
                break
            node = node._parent
        return screen is not None and _busy(screen)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._key_backlog or self._keys_in_flight():
                if not self._key_backlog:
                    self._waiting_since = time.monotonic()
                self._key_backlog.append(event)
                self._schedule_drain()
                return
        await super().on_event(event)

    def _schedule_drain(self) -> None:
        if not self._draining:
            self._draining = True
            self.set_timer(_RETRY_SECONDS, self._drain_keys)

    async def _drain_keys(self) -> None:
        self._draining = False
        while self._key_backlog:
            patient = time.monotonic() - self._waiting_since < _PATIENCE_SECONDS
            if patient and self._keys_in_flight():
                self._schedule_drain()
                return
            key = self._key_backlog.popleft()
            self._waiting_since = time.monotonic()
            await super().on_event(key)
