"""The annotation panel: the open article's annotations in text order, two or three lines each.

Why a Line-API list of its own and not ``OptionList``: an article may hold 1,000 marks, and
``OptionList`` wraps and measures every prompt whenever one option is added, replaced or removed
(its line cache is cleared), so each ``c`` on such an article cost 150–300 ms, 90 % of it here. This
list lays the rows out from their line counts alone (:func:`annotation_lines`: a row never wraps),
builds a prompt only when its row comes on screen, and keeps it until that annotation changes. A new
mark, an edit, a delete or a reload from the store therefore costs a sort and a list of row heights
for the whole article, and the drawing of the rows on screen — the same for ten marks or a thousand.

Which rows are shown is the caller's: it passes the annotations (filtered as it likes) to
:meth:`AnnotationList.set_annotations`. What a row says is :func:`annotation_prompt` /
:func:`link_prompt` in tui/annotation_rows.py (keep :func:`annotation_lines` in step with it).

Why the cursor row is not the usual ``$primary`` block: the kind badges are drawn in the kind colours
(``$primary`` / ``$success`` / ``$warning``), and a claim badge on a ``$primary`` cursor would vanish.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual
from textual.widgets.option_list import Option

from nkreader.domain import Annotation, LinkView
from nkreader.tui.annotation_nav import RowNavigation
from nkreader.tui.annotation_paint import RowPainter
from nkreader.tui.annotation_rows import (
    Row,
    annotation_lines,
    annotation_prompt,
    build_rows,
    changed_lines,
    link_prompt,
    row_tops,
)
from nkreader.tui.instrument_cues import RowExtras
from nkreader.tui.steady_scrollbar import SteadyScrollbars

__all__ = [
    "EMPTY_HINT",
    "NO_ARTICLE_HINT",
    "AnnotationList",
    "annotation_lines",
    "annotation_prompt",
    "link_prompt",
]

EMPTY_HINT = "No annotations yet.\nSelect text and press c, q or p."
"""Shown when the open article has no annotations (wrapped to the pane's width)."""
NO_ARTICLE_HINT = "No article open.\nChoose one in the library."
"""Shown by :meth:`AnnotationList.show_no_article`."""

_Key = tuple[str, str | None]


def _index_of(rows: list[Row], key: _Key, near: int) -> int | None:
    """Where the row named `key` is, looked for first around `near` (a change moves it a row or two)."""
    for i in (near, near + 1, near - 1):
        if 0 <= i < len(rows) and rows[i].key == key:
            return i
    return next((i for i, row in enumerate(rows) if row.key == key), None)


class AnnotationList(SteadyScrollbars, RowNavigation, can_focus=True):
    """The annotations of the open article, in text order; Enter jumps to the one highlighted.

    The widget holds no database state: the app passes :class:`~nkreader.domain.Annotation` objects in
    (again after every change) and handles :class:`Highlighted` and :class:`Chosen`.
    """

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="annotations.up", tooltip="Previous annotation"),
        Binding(
            "down,j", "cursor_down", "Down", show=False, id="annotations.down", tooltip="Next annotation"
        ),
        Binding("enter", "select", "Go to", id="annotations.choose", tooltip="Show it in the reader"),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | up, k | Highlight the previous annotation. |
    | down, j | Highlight the next annotation. |
    | enter | Go to the highlighted annotation (posts `Chosen`); on a link row, follow it (`LinkChosen`). |
    | home / end / pageup / pagedown | First, last, a page up or down. |
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "annotation-list--row",
        "annotation-list--highlighted",
        "annotation-list--hover",
        "annotation-list--hint",
    }

    DEFAULT_CSS = """
    AnnotationList {
        height: 1fr;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        text-wrap: nowrap;          /* each line of a row stays one line ... */
        text-overflow: ellipsis;    /* ... and ends in "…" when it is too long */
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
        }
        & > .annotation-list--highlighted {
            color: $foreground;
            background: $foreground 8%;
        }
        &:focus > .annotation-list--highlighted {
            color: $foreground;
            background: $foreground 18%;
        }
        & > .annotation-list--hover {
            background: $block-hover-background;
        }
        & > .annotation-list--hint {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    class Highlighted(Message):
        """The user moved the highlight to another annotation (`uuid` None: nothing highlighted)."""

        def __init__(self, annotation_list: AnnotationList, uuid: str | None) -> None:
            super().__init__()
            self.annotation_list = annotation_list
            self.uuid = uuid

        @property
        def control(self) -> AnnotationList:
            return self.annotation_list

    class Chosen(Message):
        """The user chose an annotation (Enter or click): the app shows it in the reader."""

        def __init__(self, annotation_list: AnnotationList, uuid: str) -> None:
            super().__init__()
            self.annotation_list = annotation_list
            self.uuid = uuid

        @property
        def control(self) -> AnnotationList:
            return self.annotation_list

    class LinkChosen(Message):
        """The user chose a link row: the app opens the annotation at its other end."""

        def __init__(self, annotation_list: AnnotationList, view: LinkView) -> None:
            super().__init__()
            self.annotation_list = annotation_list
            self.view = view

        @property
        def control(self) -> AnnotationList:
            return self.annotation_list

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: list[Row] = []
        self._tops: list[int] = []
        """The first line of each row (rows are 1–3 lines; found by bisection when drawing)."""
        self._highlighted: int | None = None
        self._hover: int | None = None
        self._hint: str | None = NO_ARTICLE_HINT  # until `set_annotations` is called for an open article
        self._painter = RowPainter(self)
        self._frame: tuple[int, int, dict[str, VisualStyle]] | None = None
        """While lines are drawn (`render_lines`): the width, the scroll offset, the row styles."""
        self.row_extras: Callable[[list[Annotation]], Mapping[str, RowExtras]] | None = None
        """Grades and wording changes of the rows (set by the main screen; issue 17)."""

    # ------------------------------------------------------------------- API
    @property
    def highlighted(self) -> int | None:
        """Index of the highlighted row (annotation and link rows counted), or None."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        self._set_highlighted(index, notify=True)

    @property
    def highlighted_uuid(self) -> str | None:
        """Uuid of the highlighted annotation (for a link row, the annotation it is listed under), or None."""
        index = self._highlighted
        return self._rows[index].uuid if index is not None else None

    @property
    def highlighted_link(self) -> LinkView | None:
        """The link of the highlighted row, when it is a link row."""
        index = self._highlighted
        return self._rows[index].link if index is not None else None

    @property
    def uuids(self) -> list[str]:
        """Uuids in the order shown (text order)."""
        return [row.uuid for row in self._rows if row.link is None]

    @property
    def option_count(self) -> int:
        """Rows shown (a hint counts as one), as ``OptionList`` counts them."""
        return len(self._rows) or (1 if self._hint else 0)

    @property
    def options(self) -> list[Option]:
        """Every row as an ``Option`` (its prompt built now): for tests and tools, not for drawing."""
        return [self.get_option_at_index(i) for i in range(self.option_count)]

    def get_option_at_index(self, index: int) -> Option:
        """Row `index` as an ``Option`` (id: the uuid, or ``uuid/link-uuid``; a hint is disabled)."""
        if not self._rows:
            if index == 0 and self._hint:
                return Option(Content(self._hint), disabled=True)
            raise IndexError(index)
        row = self._rows[index]
        ident = row.uuid if row.link is None else f"{row.uuid}/{row.link.link.uuid}"
        return Option(row.prompt(), id=ident)

    def set_annotations(
        self,
        items: list[Annotation],
        links: dict[str, list[LinkView]] | None = None,
        *,
        empty: str | None = None,
        select: str | None = None,
    ) -> None:
        """Show these annotations in text order, the highlight on `select` if given and listed, else
        kept on the same uuid if present (else on the same position, else on the first). `links`
        maps an annotation's uuid to its links (both directions): each is shown as a row under it.

        Called again after every change (new annotation, edited note …); no message is posted. Costs
        a sort and the rows' heights; prompts are built only for rows drawn and only when changed.
        `empty`: the hint when `items` is empty (the annotator filter hides every mark), else EMPTY_HINT.
        `select`: the caller's current annotation — highlighted at once, so the list does not first
        scroll to the old highlight (or the first row) and then to it (two redraws of the panel).
        """
        index = self._highlighted
        keep = self._rows[index] if index is not None else None
        extras = self.row_extras(items) if self.row_extras is not None else None  # issue 17
        old_rows, old_tops, old_marked = self._rows, self._tops, (index, self._hover)
        self._rows = build_rows(items, links or {}, extras, old_rows)
        self._hint = None if self._rows else (empty or EMPTY_HINT)
        self._hover = None
        self._layout()
        self._painter.prune(self._rows)
        self._highlighted = None
        if self._rows:
            found = _index_of(self._rows, (select, None), index or 0) if select is not None else None
            if found is None and keep is not None:
                found = _index_of(self._rows, keep.key, index or 0)
                if found is None and keep.link is not None:
                    found = _index_of(self._rows, (keep.uuid, None), index or 0)
            if found is None:  # the highlighted one was deleted: its neighbour; nothing before: the first
                found = min(index or 0, len(self._rows) - 1)
            self._set_highlighted(found, notify=False)
        self._refresh_changed(old_rows, old_tops)
        for old in old_marked:  # the rows last drawn highlighted or hovered, where they were drawn
            if old is not None and old < len(old_rows) and old != self._highlighted:
                self.refresh_lines(old_tops[old], old_rows[old].lines)

    def show_no_article(self) -> None:
        """Show that no article is open (an empty list with its own hint); no message is posted."""
        self._rows = []
        self._hint = NO_ARTICLE_HINT
        self._highlighted = self._hover = None
        self._painter.forget()
        self._layout()
        self.refresh()

    def select_uuid(self, uuid: str) -> bool:
        """Highlight an annotation (to follow the reader's cursor) without posting `Highlighted`.

        Returns False if the uuid is not in the list.
        """
        index = next((i for i, row in enumerate(self._rows) if row.link is None and row.uuid == uuid), None)
        if index is None:
            return False
        self._set_highlighted(index, notify=False)
        return True

    def clear_highlight(self) -> None:
        """Highlight no row (the reader's cursor is on no annotation), without posting `Highlighted`."""
        self._set_highlighted(None, notify=False)

    # ---------------------------------------------------------------- layout
    def _layout(self) -> None:
        self._tops = row_tops(self._rows)
        line = self._tops[-1] + self._rows[-1].lines if self._rows else 0
        if not self._rows:
            line = len(self._hint_lines(self.scrollable_content_region.width))
        self._set_virtual_size(Size(self.scrollable_content_region.width, line))

    def _refresh_changed(self, old_rows: list[Row], old_tops: list[int]) -> None:
        """Redraw only the lines that show something else than before (`changed_lines`)."""
        if not self._rows or not old_rows:
            self.refresh()
            return
        changed = changed_lines(old_rows, old_tops, self._rows, self._tops)
        if changed is None:
            return  # the same rows: only the highlight may have moved (redrawn by `_set_highlighted`)
        top = self.scroll_offset.y
        bottom = top + self.scrollable_content_region.height
        first, end = max(changed[0], top), min(bottom if changed[1] is None else changed[1], bottom)
        if end > first:
            self.refresh_lines(first, end - first)

    def _hint_lines(self, width: int) -> list[Content]:
        if not self._hint or width <= 0:
            return []
        return Content(self._hint).wrap(width)

    def _set_highlighted(self, index: int | None, *, notify: bool) -> None:
        if index is not None:
            index = max(0, min(index, len(self._rows) - 1)) if self._rows else None
        old = self._highlighted
        if index == old:
            return
        self._highlighted = index
        self._refresh_row(old)
        self._refresh_row(index)
        if index is None:
            return
        self.scroll_to_highlight()
        if notify:
            self.post_message(self.Highlighted(self, self._rows[index].uuid).set_sender(self))

    def scroll_to_highlight(self) -> None:
        """Scroll the least needed to show the whole highlighted row."""
        index = self._highlighted
        if index is None or not self.is_mounted or not self.scrollable_content_region:
            return
        region = Region(0, self._tops[index], self.scrollable_content_region.width, self._rows[index].lines)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    # ---------------------------------------------------------------- drawing
    def render_lines(self, crop: Region) -> list[Strip]:
        """Every line drawn in this pass shares the width, scroll offset and row styles, looked
        up once (per line, those lookups were a third of drawing the panel)."""
        self._frame = (self.scrollable_content_region.width, self.scroll_offset.y, {})
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _row_style(self, state: str) -> VisualStyle:
        styles = self._frame[2] if self._frame is not None else {}
        style = styles.get(state)
        if style is None:
            names = ("annotation-list--row", state) if state else ("annotation-list--row",)
            style = styles[state] = self.get_visual_style(*names)
        return style

    def _row_strips(self, index: int, width: int) -> list[Strip]:
        if index == self._highlighted:
            state = "annotation-list--highlighted"
        elif index == self._hover:
            state = "annotation-list--hover"
        else:
            state = ""
        return self._painter.strips(self._rows[index], state, width, self._row_style(state))

    def render_line(self, y: int) -> Strip:
        frame = self._frame
        if frame is not None:
            width, line = frame[0], frame[1] + y
        else:
            width, line = self.scrollable_content_region.width, self.scroll_offset.y + y
        if not self._rows:
            hint = self._hint_lines(width)
            style = self.get_visual_style("annotation-list--hint")
            if 0 <= line < len(hint):
                [strip] = Visual.to_strips(self, hint[line], width, 1, style) or [Strip.blank(width)]
                return strip.extend_cell_length(width, style.rich_style)
            return Strip.blank(width, self._row_style("").rich_style)
        index = self._row_at_line(line)
        if index is None:
            return Strip.blank(width, self._row_style("").rich_style)
        return self._row_strips(index, width)[line - self._tops[index]]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter.restyle()  # theme or focus changed: colours of every row may differ

    def on_resize(self) -> None:
        self._painter.restyle()
        self._layout()
        self.scroll_to_highlight()

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_select(self) -> None:
        index = self._highlighted
        if index is None:
            return
        row = self._rows[index]
        if row.link is not None:
            self.post_message(self.LinkChosen(self, row.link).set_sender(self))
        else:
            self.post_message(self.Chosen(self, row.uuid).set_sender(self))
