"""Whose key bindings the help screen and the keymap checks read, named so nothing is imported early.

The help (`?`), the check of `config.toml`'s binding ids and the check for keys given twice need
the `BINDINGS` of every screen. Importing every screen class to list them cost every start a
few hundred milliseconds and megabytes for screens most sessions never open (issue 14), so each
owner is named here as "module:Class" and imported only when one of these questions is asked:
on `?`, and at start only when the user's `config.toml` remaps keys.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from textual.binding import Binding
from textual.dom import DOMNode

from nkreader.tui.help_sections import bindings_of

__all__ = ["HELP_GROUPS", "KEYMAP_SCOPES", "binding_sources", "keymap_conflicts", "owners"]

HELP_GROUPS: list[tuple[str, list[str]]] = [
    ("Library", ["library_list:LibraryList", "library_list:LibraryPane", "library_list:LibraryFilter"]),
    ("Reading and selecting", ["reader:ReaderView"]),
    ("Marking", ["reader_pane:ReaderPane", "reader_pane:FindBar"]),
    ("Annotations list", ["annotation_list:AnnotationList"]),
    ("Annotations and panes", ["main_screen:MainScreen"]),
    ("Search", ["search_screen:SearchScreen"]),
    ("Annotation browser", ["browser_screen:BrowserScreen", "browser_table:AnnotationTable"]),
    ("Speakers", ["speakers_screen:SpeakersScreen"]),
    ("Overview", ["overview_screen:OverviewScreen"]),
    ("Agreement", ["agreement_screen:AgreementScreen"]),
    ("Feeds", ["feeds_screen:FeedsScreen"]),
]
"""(group, owners) in the help's order; an owner's bases (the main screen's mixins) count too."""

KEYMAP_SCOPES: dict[str, list[str]] = {
    "reading": ["reader:ReaderView", "reader_pane:ReaderPane", "main_screen:MainScreen"],
    "library": ["library_list:LibraryList", "library_list:LibraryPane", "main_screen:MainScreen"],
    "annotations": ["annotation_list:AnnotationList", "main_screen:MainScreen"],
    "search": ["search_screen:SearchScreen"],
    "browser": ["browser_table:AnnotationTable", "browser_screen:BrowserScreen"],
    "speakers": ["speakers_screen:SpeakersScreen"],
    "overview": ["overview_screen:OverviewScreen"],
    "agreement": ["agreement_screen:AgreementScreen"],
    "feeds": ["feeds_screen:FeedsScreen"],
}
"""Owners whose keys are active at the same time (with the app's own): a key must not mean two things."""


def owners(names: Iterable[str]) -> list[type[DOMNode]]:
    """The classes named "module:Class" (modules of `nkreader.tui`), imported now."""
    found: list[type[DOMNode]] = []
    for name in names:
        module, _, attribute = name.partition(":")
        found.append(getattr(importlib.import_module(f"nkreader.tui.{module}"), attribute))
    return found


def binding_sources(app_class: type[DOMNode]) -> Iterable[tuple[str, list[Binding]]]:
    """The bindings of each help group, the application's own first."""
    yield "Application", bindings_of([app_class])
    for group, names in HELP_GROUPS:
        yield group, bindings_of(owners(names))


def keymap_conflicts(app_class: type[DOMNode], keymap: dict[str, str]) -> list[str]:
    """Keys the user's remaps give to two bindings that are active at the same time."""
    found: dict[tuple[str, ...], str] = {}
    for names in KEYMAP_SCOPES.values():
        by_key: dict[str, list[str]] = {}
        for owner in [*owners(names), app_class]:
            for binding in owner.BINDINGS:
                if not isinstance(binding, Binding) or not binding.id:
                    continue
                for key in keymap.get(binding.id, binding.key).split(","):
                    by_key.setdefault(key.strip(), []).append(binding.id)
        for key, ids in by_key.items():
            unique = tuple(dict.fromkeys(ids))
            if len(unique) > 1 and any(i in keymap for i in unique):
                found[unique] = key
    return [
        f"config.toml: key {key!r} is given to both {' and '.join(ids)}; only one of them will work"
        for ids, key in found.items()
    ]
