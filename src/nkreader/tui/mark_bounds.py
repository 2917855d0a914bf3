"""Moving a mark's start and end by keyboard, keeping everything else about it.

Why a mode and not a dialog: the analyst moves a boundary with the same motions they select with
(``e`` a word end, ``]`` a clause end, ``f,`` the next comma, ``o`` the other end), watching the text;
or with the mouse, dragging the current mark's first or last character.
``E`` turns the current annotation's span into a selection whose moving end is its end; ``Enter``
stores the new span on the same annotation (uuid, kind, note, speaker, tags, status and links kept;
its quote selector taken from the new text) as one undoable change; ``Esc`` leaves it as it was.
Moving the end of a mark by two words is ``E e e Enter``.

The store does the work (`Library.reattach`, recorded in the history as "move bounds"); this
mixin only asks which annotation, keeps the adjusting state in the `ArticleSession`, and shows it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType

from nkreader.services import StoreError
from nkreader.services.library import InvalidSpan
from nkreader.tui.annotation_editing import AnnotationEditing
from nkreader.tui.reader import ReaderView
from nkreader.tui.safe import excerpt, safe_text

__all__ = ["MarkBounds"]


class MarkBounds(AnnotationEditing):
    """``E`` (adjust the current mark's bounds) and ``Enter`` (store them) on the main screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "E",
            "adjust_bounds",
            "Bounds",
            show=False,
            id="annotate.adjust",
            tooltip="Move the start or end of this annotation (motions, o: other end, Enter: save)",
        ),
        Binding("enter", "save_bounds", "Save bounds", id="annotate.adjust_save", tooltip="Store the new span"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_bounds":
            return self.session.adjusting_uuid is not None
        return super().check_action(action, parameters)

    def action_adjust_bounds(self) -> None:
        annotation = self._require_annotation()
        if annotation is None:
            return
        if not self.reader.has_focus:
            self.focus_pane("reader")
        self.session.adjusting_uuid = annotation.uuid
        self.session.current_uuid = annotation.uuid
        self.annotation_list.select_uuid(annotation.uuid)
        self.reader.select_span(annotation.start, annotation.end, selecting=True)
        self.refresh_bindings()
        self.update_status()
        self.notify(
            "Move the end with any motion (o: the start), Enter saves, Esc cancels.", markup=False, timeout=4
        )

    def action_save_bounds(self) -> None:
        uuid = self.session.adjusting_uuid
        annotation = self.session.find(uuid)
        selection = self.reader.selection
        self._end_adjusting()
        if annotation is None or selection is None:
            self.app.bell()
            return
        if selection == (annotation.start, annotation.end):
            self.reader.clear_selection()
            return
        try:
            after = self.session.reattach(annotation, *selection, label="move bounds")
        except (StoreError, InvalidSpan) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.reader.clear_selection()
        self.reader.move_to(after.start, center=False)
        self._stored(after)
        self.notify(f"Bounds: {excerpt(after.exact, 60)} (u undoes)", markup=False, timeout=3)

    def _end_adjusting(self) -> None:
        if self.session.adjusting_uuid is not None:
            self.session.adjusting_uuid = None
            self.refresh_bindings()
            self.update_status()

    @on(ReaderView.EdgeDragged)
    def _edge_dragged(self, event: ReaderView.EdgeDragged) -> None:
        """A mouse drag of the current mark's first or last character: store its new bounds."""
        self.session.adjusting_uuid = event.key
        self.action_save_bounds()

    @on(ReaderView.SelectionChanged)
    def _adjusting_selection(self, event: ReaderView.SelectionChanged) -> None:
        if event.span is None and self.session.adjusting_uuid is not None:
            self._end_adjusting()  # Esc (or a move that dropped the selection): nothing changes
