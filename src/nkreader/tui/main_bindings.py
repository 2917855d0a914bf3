"""The main screen's key bindings (annotation keys, panes, library-wide screens), by binding id.

Kept apart so `MainScreen` reads as composing and routing; the help screen, the keymap checks
and the command palette read these through `MainScreen.BINDINGS`.

Why the keys that open a dialog are priority bindings: a plain binding runs only after the key
has gone to the focused widget and come back, and by then the keys typed after it are on their
way to the reader too. A priority binding opens the dialog before the next key is looked at,
and the app holds that key for the dialog (tui/modal.py). `MainScreen.check_action` keeps them
off where they must not act (the library pane, the find bar).
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

__all__ = ["MAIN_BINDINGS"]

MAIN_BINDINGS: list[BindingType] = [
    Binding("n", "next_annotation", "Next mark", id="annotate.next", tooltip="Jump to the next annotation"),
    Binding("N", "previous_annotation", "Prev mark", show=False, id="annotate.previous"),
    Binding(
        "e",
        "edit_note",
        "Note",
        id="annotate.note",
        tooltip="Edit the note of this annotation",
        priority=True,
    ),
    Binding(
        "t",
        "edit_tags",
        "Tags",
        id="annotate.tags",
        tooltip="Edit the tags of this annotation",
        priority=True,
    ),
    Binding("a", "edit_speaker", "Speaker", id="annotate.speaker", tooltip="Set who said it", priority=True),
    Binding(
        "x",
        "delete",
        "Delete",
        id="annotate.delete",
        tooltip="Delete this annotation (u undoes)",
        priority=True,
    ),
    Binding(
        "R",
        "reattach",
        "Re-attach",
        show=False,
        id="annotate.reattach",
        tooltip="Put the chosen annotation (an orphan after an update) on the selected text",
    ),
    Binding(
        "V",
        "set_status",
        "Status",
        show=False,
        id="annotate.status",
        tooltip="Set the claim's status: unverified, corroborated, disputed, refuted",
        priority=True,
    ),
    Binding(
        "m",
        "mark_link_source",
        "Mark for link",
        show=False,
        id="annotate.link_mark",
        tooltip="Mark this annotation as the source of a link (then L on another)",
    ),
    Binding(
        "L",
        "link",
        "Link",
        show=False,
        id="annotate.link",
        tooltip="Link the marked annotation to this one (corroborates, contradicts, same as, cites)",
        priority=True,
    ),
    Binding("u", "undo", "Undo", id="annotate.undo", tooltip="Undo the last change to annotations"),
    Binding("ctrl+r", "redo", "Redo", show=False, id="annotate.redo"),
    Binding("tab", "focus_next_pane", "Next pane", show=False, id="pane.next"),
    Binding("shift+tab", "focus_previous_pane", "Previous pane", show=False, id="pane.previous"),
    Binding("ctrl+b", "toggle_library", "Library", show=False, id="pane.toggle_library"),
    Binding("ctrl+n", "toggle_annotations", "Annotations", show=False, id="pane.toggle_annotations"),
    Binding(
        "greater_than_sign", "resize_pane(4)", "Wider", show=False, id="pane.wider",
        tooltip="Widen the side pane (the annotations pane when it has focus, else the library)",
    ),
    Binding(
        "less_than_sign", "resize_pane(-4)", "Narrower", show=False, id="pane.narrower",
        tooltip="Narrow the side pane (the annotations pane when it has focus, else the library)",
    ),
    Binding("i", "import_samples", "Import samples", show=False, id="library.import_samples"),
    Binding("ctrl+f", "search", "Search", id="app.search", tooltip="Search the whole library", priority=True),
    Binding(
        "ctrl+o",
        "browse",
        "Browse",
        show=False,
        id="app.browser",
        tooltip="Browse every annotation of the library: filter, sort, jump",
        priority=True,
    ),
    Binding(
        "at",
        "whose_marks",
        "Whose marks",
        show=False,
        id="annotators.filter",
        tooltip="Show everyone's marks, mine, one person's, or mine beside another annotator's",
        priority=True,
    ),
    Binding(
        "ctrl+t",
        "agreement",
        "Agreement",
        show=False,
        id="app.agreement",
        tooltip="How far the annotators agree; step through their disagreements",
        priority=True,
    ),
]
