"""The three panes of the main screen (library | reader | annotations): which are shown, which has focus.

A base screen so that `MainScreen` reads as composing and routing: below `NARROW_WIDTH`
columns only the pane holding focus is shown (usable at 80×24), `ctrl+b` / `ctrl+n` hide the
side panes, and tab cycles through the panes that are shown.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widget import Widget

from nkreader.tui.annotation_list import AnnotationList
from nkreader.tui.library_list import LibraryList, LibraryPane
from nkreader.tui.reader import ReaderView

__all__ = ["NARROW_WIDTH", "PaneScreen"]

NARROW_WIDTH = 110
MIN_PANE = 28
"""The narrowest a side pane may be made (its CSS min-width)."""
"""Below this many columns only the pane holding focus is shown (usable at 80×24)."""


class PaneScreen(Screen[None]):
    """Pane visibility and focus; the bindings that call these actions are `MainScreen`'s."""

    DEFAULT_CSS = """
    PaneScreen { layout: vertical; }
    #panes { height: 1fr; }
    #library-pane { width: 32%; min-width: 28; border-right: solid $primary 30%; }
    #reader-pane { width: 1fr; }
    #annotations-pane { width: 30%; min-width: 28; border-left: solid $primary 30%; }
    .pane-title { height: 1; padding: 0 1; background: $boost; color: $text-muted; text-style: bold; }
    /* The pane that has focus says so at every size: its title bar (the article header for the reader)
       takes the accent colour, with a marker in front that a monochrome terminal shows too. */
    #library-pane:focus-within > .pane-title, #annotations-pane:focus-within > .pane-title {
        background: $primary 45%; color: $text; text-style: bold underline;
    }
    #reader-pane:focus-within ArticleHeader { background: $primary 25%; border-bottom: heavy $primary; }
    PaneScreen.-hide-library #library-pane { display: none; }
    PaneScreen.-hide-annotations #annotations-pane { display: none; }
    PaneScreen.-narrow #library-pane, PaneScreen.-narrow #annotations-pane { display: none; }
    PaneScreen.-narrow #reader-pane { display: none; }
    PaneScreen.-narrow.-focus-library #library-pane { display: block; width: 1fr; }
    PaneScreen.-narrow.-focus-reader #reader-pane { display: block; }
    PaneScreen.-narrow.-focus-annotations #annotations-pane { display: block; width: 1fr; }
    PaneScreen.-empty #reader-pane > ReaderPane { display: none; }
    PaneScreen #welcome { display: none; }
    PaneScreen.-empty #welcome { display: block; }
    PaneScreen.-empty.-narrow #reader-pane { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._pending_pane: str | None = None

    @property
    def reader(self) -> ReaderView:
        return self.query_one(ReaderView)

    @property
    def library_list(self) -> LibraryList:
        return self.query_one(LibraryList)

    @property
    def annotation_list(self) -> AnnotationList:
        return self.query_one(AnnotationList)

    # ------------------------------------------------------------------ which pane has focus

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_WIDTH
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self._show_focus_class(self._pending_pane or self.focused_pane())

    def on_descendant_focus(self) -> None:
        pane = self.focused_pane()
        if self._pending_pane is not None:
            # Hiding the old pane moves focus on by itself; only the pane we asked for counts.
            if pane != self._pending_pane:
                return
            self._pending_pane = None
        self._show_focus_class(pane)

    def focused_pane(self) -> str:
        """ "library", "reader" or "annotations": the pane that holds focus (reader if none)."""
        focused = self.focused
        if focused is None:
            return "reader"
        for node in focused.ancestors_with_self:
            if node.id == "library-pane":
                return "library"
            if node.id == "annotations-pane":
                return "annotations"
        return "reader"

    def _panes(self) -> list[str]:
        panes = []
        if not self.has_class("-hide-library"):
            panes.append("library")
        if not self.has_class("-empty"):
            panes.append("reader")
        if not self.has_class("-hide-annotations"):
            panes.append("annotations")
        return panes or ["reader"]

    def focus_pane(self, name: str) -> None:
        """Focus a pane; in a narrow terminal show it first (a hidden widget cannot take focus)."""
        self._pending_pane = name
        self._show_focus_class(name)
        widgets: dict[str, Widget] = {"library": self.library_list, "annotations": self.annotation_list}
        widget = widgets.get(name, self.reader)
        if widget.has_focus:
            self._pending_pane = None
        elif widget.display and self.query_one(f"#{name}-pane").display:
            widget.focus()
        else:
            self.call_after_refresh(widget.focus)

    def _show_focus_class(self, pane: str) -> None:
        """Mark the pane to show in a narrow terminal.

        Only while narrow: changing a class on the screen restyles every widget, which
        costs a noticeable pause on a long article, and wide layouts do not use these.
        """
        wanted = {f"-focus-{pane}"} if self.has_class("-narrow") else set()
        for name in ("library", "reader", "annotations"):
            self.set_class(f"-focus-{name}" in wanted, f"-focus-{name}")

    def _cycle(self, step: int) -> None:
        panes = self._panes()
        current = self.focused_pane()
        index = panes.index(current) if current in panes else -1
        self.focus_pane(panes[(index + step) % len(panes)])

    # ------------------------------------------------------------------ actions

    def action_focus_next_pane(self) -> None:
        self._cycle(1)

    def action_focus_previous_pane(self) -> None:
        self._cycle(-1)

    def focus_library(self) -> None:
        self.remove_class("-hide-library")
        self.focus_pane("library")

    def action_filter_library(self) -> None:
        self.focus_library()
        self.query_one(LibraryPane).action_focus_filter()

    def action_toggle_library(self) -> None:
        self.toggle_class("-hide-library")
        if self.has_class("-hide-library") and self.focused_pane() == "library":
            self.focus_pane("reader")
        self._remember_layout()

    def action_toggle_annotations(self) -> None:
        self.toggle_class("-hide-annotations")
        if self.has_class("-hide-annotations") and self.focused_pane() == "annotations":
            self.focus_pane("reader")
        self._remember_layout()

    def action_resize_pane(self, step: int) -> None:
        """``>`` / ``<``: widen or narrow the side pane next to the focus (the annotations pane when it
        has focus, else the library pane) by `step` columns; remembered for the next run."""
        if self.has_class("-narrow"):
            self.app.bell()  # one pane at a time: nothing to share the width with
            return
        name = "annotations" if self.focused_pane() == "annotations" else "library"
        pane = self.query_one(f"#{name}-pane")
        width = max(MIN_PANE, min(self.size.width // 2, pane.outer_size.width + step))
        pane.styles.width = width
        self._remember_layout(**{f"{name}_width": width})

    def apply_layout(self, show_library: bool, show_annotations: bool, widths: dict[str, int]) -> None:
        """Restore a remembered layout (hidden panes, side pane widths in columns; 0: the default)."""
        self.set_class(not show_library, "-hide-library")
        self.set_class(not show_annotations, "-hide-annotations")
        for name, width in widths.items():
            if width:
                self.query_one(f"#{name}-pane").styles.width = max(MIN_PANE, width)

    def _remember_layout(self, **widths: int) -> None:
        remember = getattr(self.app, "remember", None)
        if remember is not None:
            remember(
                show_library=not self.has_class("-hide-library"),
                show_annotations=not self.has_class("-hide-annotations"),
                **widths,
            )
