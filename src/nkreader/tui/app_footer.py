"""The footer: the keys of the focused pane, with ``?`` (help) always in sight.

Why a subclass of Textual's ``Footer``: the footer lists bindings in focus order, the app's own last,
so at 80 columns the help key was cut off ("n Next ma▏") exactly where a newcomer needs it. Here the
help key is docked at the left edge (as the palette key is docked at the right one), and the pane's
own keys fill the space between.

Why it updates its keys in place: Textual's footer removes and mounts every key on each focus change
(``recompose``), ~16 widgets styled from scratch — 75–150 ms on opening an article (the list hands
the focus to the reader), twice, as the bindings are announced twice. Here the keys already shown are
relabelled, surplus ones hidden and only missing ones mounted, and nothing is done when the keys are
the same (a hidden key is blank: nothing queries or clicks a stale key). What is shown is what ``Footer.compose`` would show: the first compose checks that this
footer's reading of the bindings gives exactly its keys, and anything else (key groups, another
Textual) falls back to ``recompose``.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["AppFooter"]

PINNED_ACTIONS = frozenset({"app.help", "help"})


class _Key(NamedTuple):
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    disabled: bool
    tooltip: str
    role: str  # "plain", "pinned" (help, docked left) or "palette" (docked right)


def _shown_by(widget: Widget) -> _Key | None:
    if not isinstance(widget, FooterKey):
        return None
    role = (
        "pinned"
        if widget.has_class("-pinned")
        else "palette"
        if widget.has_class("-command-palette")
        else "plain"
    )
    tooltip = widget.tooltip if isinstance(widget.tooltip, str) else ""
    return _Key(
        widget.key, widget.key_display, widget.description, widget.action, widget._disabled, tooltip, role
    )


class AppFooter(Footer):
    DEFAULT_CSS = """
    AppFooter {
        FooterKey.-pinned {
            dock: left;
        }
    }
    """

    def __init__(self, *children: Widget, **kwargs: bool | str | None) -> None:
        super().__init__(*children, **kwargs)  # type: ignore[arg-type]
        self._shown: list[_Key] | None = None
        """The keys on show, when they can be changed in place (None: recompose)."""

    def compose(self) -> ComposeResult:
        shown: list[_Key] | None = []
        for widget in super().compose():
            # FooterKey is not public API: recognise it by its `action`, which only footer keys carry.
            if getattr(widget, "action", None) in PINNED_ACTIONS:
                widget.add_class("-pinned")
            key = _shown_by(widget)
            if key is None or shown is None:
                shown = None
            else:
                shown.append(key)
            yield widget
        if shown is not None and shown != self._wanted():
            shown = None  # this footer reads the bindings otherwise than Textual's: never in place
        self._shown = shown or None

    def _wanted(self) -> list[_Key] | None:
        """The keys `Footer.compose` would show now, or None where it would group keys."""
        if not self._bindings_ready:
            return []
        active = self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        keys: list[_Key] = []
        for group, same_group in groupby(by_action.values(), lambda bindings: bindings[0][0].group):
            grouped = list(same_group)
            if group is not None and len(grouped) > 1:
                return None
            for binding, enabled, tooltip in (bindings[0] for bindings in grouped):
                role = "pinned" if binding.action in PINNED_ACTIONS else "plain"
                display = self.app.get_key_display(binding)
                keys.append(
                    _Key(
                        binding.key, display, binding.description, binding.action, not enabled, tooltip, role
                    )
                )
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _node, binding, enabled, _tooltip = palette
                display = self.app.get_key_display(binding)
                tooltip = binding.tooltip or binding.description
                keys.append(
                    _Key(
                        binding.key,
                        display,
                        binding.description,
                        binding.action,
                        not enabled,
                        tooltip,
                        "palette",
                    )
                )
        return keys

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._show_bindings)

    async def _show_bindings(self) -> None:
        if not self.is_attached:
            return
        wanted = self._wanted()
        if wanted is not None and wanted == self._shown:
            return
        if wanted is None or self._shown is None or not self._update_in_place(wanted):
            await self.recompose()

    def _update_in_place(self, wanted: list[_Key]) -> bool:
        """Show `wanted` by relabelling the keys there are; False (nothing changed) if it cannot."""
        keys = [child for child in self.children if isinstance(child, FooterKey)]
        fixed = [w for w in keys if w.has_class("-pinned") or w.has_class("-command-palette")]
        plain = [w for w in keys if w not in fixed]
        old_fixed = [k for k in self._shown or [] if k.role != "plain"]
        new_fixed = [k for k in wanted if k.role != "plain"]
        if [k.role for k in old_fixed] != [k.role for k in new_fixed] or len(fixed) != len(old_fixed):
            return False
        new_plain = [k for k in wanted if k.role == "plain"]
        with self.app.batch_update():
            for widget, key in zip(fixed, new_fixed, strict=True):
                _relabel(widget, key)
            for widget, key in zip(plain, new_plain, strict=False):
                _relabel(widget, key)
                widget.display = True
            for widget in plain[len(new_plain) :]:
                _relabel(
                    widget, _Key("", "", "", "", False, "", "plain")
                )  # kept hidden, for a pane with more keys
                widget.display = False
            with self._context():  # data_bind binds to the active message pump: this footer, as in compose
                extra = [
                    FooterKey(
                        k.key, k.display, k.description, k.action, disabled=k.disabled, tooltip=k.tooltip
                    ).data_bind(compact=Footer.compact)
                    for k in new_plain[len(plain) :]
                ]
            if extra:
                self.mount_all(extra, before=fixed[0] if fixed else None)
        self._shown = wanted
        return True


def _relabel(widget: FooterKey, key: _Key) -> None:
    if _shown_by(widget) == key:
        return
    widget.key, widget.key_display, widget.description, widget.action = (
        key.key,
        key.display,
        key.description,
        key.action,
    )
    widget._disabled = key.disabled
    widget.set_class(key.disabled, "-disabled")
    widget.tooltip = key.tooltip or None
    widget.refresh(layout=True)
