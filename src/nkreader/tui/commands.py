"""The command palette's commands for key bindings, built from the `Binding`s themselves.

Why from the bindings: each entry runs the binding's own action on the widget that owns it and
shows the keys the binding has now, so a key remapped in `config.toml` (which Textual applies
by binding id) is what the palette names. Only the titles are written here, by binding id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode

from nkreader.tui.help_sections import bindings_of

__all__ = ["PALETTE_TITLES", "binding_commands"]

PALETTE_TITLES: dict[str, str] = {
    "app.search": "Search the library",
    "app.browser": "Browse every annotation",
    "app.agreement": "Agreement between annotators",
    "annotators.filter": "Whose marks: everyone, mine, one person, compare",
    "app.help": "Help: every key, grouped",
    "app.theme": "Dark or light theme",
    "app.speakers": "Speakers and aliases",
    "app.overview": "Overview of the library",
    "annotate.claim": "Mark as claim",
    "annotate.quote": "Mark as quote",
    "annotate.policy": "Mark as policy statement",
    "annotate.quote_speaker": "Mark as quote and say who said it",
    "annotate.adjust": "Move the start or end of the annotation",
    "reader.select_sentence": "Select the sentence",
    "reader.select_paragraph": "Select the paragraph",
    "reader.select_toggle": "Start or end a selection",
    "reader.select_clear": "Clear the selection",
    "reader.top": "Go to the top of the article",
    "reader.bottom": "Go to the end of the article",
    "reader.find": "Find in article",
    "annotate.next": "Next annotation",
    "annotate.previous": "Previous annotation",
    "annotate.note": "Edit note",
    "annotate.tags": "Edit tags",
    "annotate.speaker": "Set speaker",
    "annotate.delete": "Delete annotation",
    "annotate.reattach": "Re-attach the annotation to the selection",
    "annotate.status": "Set the claim's status",
    "annotate.link_mark": "Mark the annotation as a link source",
    "annotate.link": "Link the marked annotation to this one",
    "annotate.undo": "Undo",
    "annotate.redo": "Redo",
    "pane.toggle_library": "Show or hide the library pane",
    "pane.toggle_annotations": "Show or hide the annotations pane",
    "pane.next": "Next pane",
    "pane.previous": "Previous pane",
    "library.filter": "Filter the library",
    "library.unread_only": "Show only unread articles, or all",
    "library.toggle_read": "Mark the highlighted article read or unread",
    "app.feeds": "Feeds: subscriptions, refresh, unread counts",
    "suggest.toggle": "Show or hide suggestions",
    "suggest.next": "Next suggestion",
    "suggest.previous": "Previous suggestion",
    "suggest.accept": "Accept the suggestion at the cursor",
    "suggest.reject": "Reject the suggestion at the cursor",
    "suggest.accept_kind": "Accept all suggestions of this kind in the article",
    "annotate.credibility": "Grade the credibility of the quote or claim (1–6)",
    "annotate.reviewed": "The changed words are reviewed: clear the ⚑ flag",
    "entity.add": "Entity from the selection, or another spelling of one",
    "entity.mentions": "Highlight every mention of an entity, or clear them",
    "article.revisions": "Revisions: what updates changed in this article",
}
"""Palette title per binding id; a binding not listed here is not offered in the palette."""


def binding_commands(
    app: App[Any],
    owners: Iterable[DOMNode],
    keys_of: Callable[[Binding], str],
) -> Iterable[SystemCommand]:
    """One command per titled binding of each node in `owners` (its class's `BINDINGS`, bases included).

    `keys_of` gives the keys a binding has now (the user's keymap applied), for display.
    """
    for node in owners:
        for binding in bindings_of([type(node)]):  # a screen's mixins declare keys too
            if binding.id not in PALETTE_TITLES:
                continue
            what = binding.tooltip or binding.description
            keys = keys_of(binding)
            yield SystemCommand(
                PALETTE_TITLES[binding.id],
                f"{what} (key: {keys})" if what else f"Key: {keys}",
                partial(app.run_action, binding.action, node),
            )
