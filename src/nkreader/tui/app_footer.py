"""The footer: the keys of the focused pane, with ``?`` (help) always in sight.

Why a subclass of Textual's ``Footer``: the footer lists bindings in focus order, the app's own last,
so at 80 columns the help key was cut off ("n Next ma▏") exactly where a newcomer needs it. Here the
help key is docked at the left edge (as the palette key is docked at the right one), and the pane's
own keys fill the space between.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

__all__ = ["AppFooter"]

PINNED_ACTIONS = frozenset({"app.help", "help"})


class AppFooter(Footer):
    DEFAULT_CSS = """
    AppFooter {
        FooterKey.-pinned {
            dock: left;
        }
    }
    """

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # FooterKey is not public API: recognise it by its `action`, which only footer keys carry.
            if getattr(widget, "action", None) in PINNED_ACTIONS:
                widget.add_class("-pinned")
            yield widget
