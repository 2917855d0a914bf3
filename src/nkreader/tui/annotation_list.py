"""The annotation panel: the open article's annotations in text order, two or three lines each.

Why an ``OptionList``: an article holds at most a few hundred annotations, where ``OptionList`` is quick
(its cost only shows at thousands of rows) and gives scrolling, mouse hover and click for free. It parses
``str`` prompts as markup, so every prompt here is a ``Content`` assembled from plain pieces: a speaker
``[@click=app.quit]x`` or an excerpt ``[/nope]`` is shown literally and never runs or crashes.

Why the cursor row is not the usual ``$primary`` block: the kind badges are drawn in the kind colours
(``$primary`` / ``$success`` / ``$warning``), and a claim badge on a ``$primary`` cursor would vanish.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from nkreader.domain import AnchorState, Annotation, Kind, LinkView, Status
from nkreader.tui.annotator_labels import who_label
from nkreader.tui.cues import passage_preview, tags_label
from nkreader.tui.safe import excerpt

__all__ = ["EMPTY_HINT", "NO_ARTICLE_HINT", "AnnotationList", "annotation_prompt", "link_prompt"]

EMPTY_HINT = "No annotations yet.\nSelect text and press c, q or p."
"""Shown when the open article has no annotations (wrapped to the pane's width)."""
NO_ARTICLE_HINT = "No article open.\nChoose one in the library."
"""Shown by :meth:`AnnotationList.show_no_article`."""

_KIND_ORDER = {kind: i for i, kind in enumerate(Kind)}
_STATUS_STYLE = {
    Status.CORROBORATED: "italic $text-success",
    Status.DISPUTED: "italic $text-warning",
    Status.REFUTED: "italic $text-error",
}
_ANCHOR_STYLE = {
    AnchorState.MOVED: "$text-warning",
    AnchorState.FUZZY: "$text-warning",
    AnchorState.ORPHANED: "bold $text-error",
}
_EXCERPT_CELLS = 240
"""Excerpts are cut here first; the CSS (``text-overflow: ellipsis``) cuts them again at the panel width."""
_INDENT = "    "


def annotation_prompt(annotation: Annotation) -> Content:
    """The prompt of one annotation, built only from plain (never markup) pieces.

    Line 1: ``[C]`` badge in the kind colour, speaker, claim status unless unverified, anchor state
    unless anchored, who made it and who changed it last when known. Line 2: the excerpt. Line 3, only when there is a note or tags: the ``#tags``
    and a dim preview of the note's first line (tags first: they are short, the note is cut).
    """
    kind = annotation.kind
    head: list[str | tuple[str, str]] = [(f"[{kind.letter}]", f"bold {kind.colour}")]
    if annotation.speaker:
        head += [" ", (excerpt(annotation.speaker, 60), "bold")]
    if kind is Kind.CLAIM and annotation.status is not Status.UNVERIFIED:
        head += [" · ", (annotation.status.value, _STATUS_STYLE.get(annotation.status, "italic"))]
    if annotation.anchor_state is not AnchorState.ANCHORED:
        head += [
            " · ",
            (f"⚠ {annotation.anchor_state.value}", _ANCHOR_STYLE.get(annotation.anchor_state, "")),
        ]
    who = who_label(annotation)
    if who:
        # who marked it and who changed it last (a team library): dim, last, so the kind and speaker still lead
        head += [" · ", (who, "dim")]

    lines: list[str | tuple[str, str]] = [
        *head,
        "\n",
        _INDENT,
        excerpt(annotation.exact, _EXCERPT_CELLS) or "…",
    ]
    extra: list[str | tuple[str, str]] = []
    tags = tags_label(annotation.tags)
    if tags:
        extra.append((tags, "dim"))
    note = next((line for line in annotation.note.splitlines() if line.strip()), "")
    if note:
        extra += ["  " if extra else "", (excerpt(note, _EXCERPT_CELLS), "dim italic")]
    if extra:
        lines += ["\n", _INDENT, *extra]
    return Content.assemble(*lines)


def link_prompt(view: LinkView) -> Content:
    """One link under its annotation: ``→ corroborates: [Q] ‹excerpt…› (Other article)``; ``←`` for a link
    pointing at this annotation. Built from plain pieces, like :func:`annotation_prompt`."""
    arrow = "→" if view.direction == "out" else "←"
    other = view.other
    return Content.assemble(
        _INDENT,
        (f"{arrow} {view.link.type.value}", "bold $text-accent"),
        ": ",
        (f"[{other.kind.letter}] ", f"bold {other.kind.colour}"),
        passage_preview(other.exact, 60),
        (f" ({excerpt(view.other_article_title, 40)})", "dim"),
    )


class AnnotationList(OptionList):
    """The annotations of the open article, in text order; Enter jumps to the one highlighted.

    The widget holds no database state: the app passes :class:`~nkreader.domain.Annotation` objects in
    (again after every change) and handles :class:`Highlighted` and :class:`Chosen`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="annotations.up", tooltip="Previous annotation"),
        Binding(
            "down,j", "cursor_down", "Down", show=False, id="annotations.down", tooltip="Next annotation"
        ),
        Binding("enter", "select", "Go to", id="annotations.choose", tooltip="Show it in the reader"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | up, k | Highlight the previous annotation. |
    | down, j | Highlight the next annotation. |
    | enter | Go to the highlighted annotation (posts `Chosen`); on a link row, follow it (`LinkChosen`). |
    | home / end / pageup / pagedown | As in `OptionList`. |
    """

    DEFAULT_CSS = """
    AnnotationList {
        height: 1fr;
        max-height: 100%;
        text-wrap: nowrap;          /* each line of a row stays one line ... */
        text-overflow: ellipsis;    /* ... and ends in "…" when it is too long */
        & > .option-list--option-highlighted {
            color: $foreground;
            background: $foreground 8%;
            text-style: none;
        }
        &:focus > .option-list--option-highlighted {
            color: $foreground;
            background: $foreground 18%;
            text-style: none;
        }
        & > .option-list--option-disabled {
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
        self._uuids: list[str] = []
        self._rows: list[tuple[str, LinkView | None]] = []
        """Per option: the annotation's uuid, and the link when the row is a link under it."""
        self._show_hint(NO_ARTICLE_HINT)  # until `set_annotations` is called for an open article

    # ------------------------------------------------------------------- API
    @property
    def highlighted_uuid(self) -> str | None:
        """Uuid of the highlighted annotation (for a link row, the annotation it is listed under), or None."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index][0]

    @property
    def highlighted_link(self) -> LinkView | None:
        """The link of the highlighted row, when it is a link row."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index][1]

    @property
    def uuids(self) -> list[str]:
        """Uuids in the order shown (text order)."""
        return list(self._uuids)

    def set_annotations(
        self, items: list[Annotation], links: dict[str, list[LinkView]] | None = None
    ) -> None:
        """Show these annotations in text order, keeping the highlight on the same uuid if present
        (else on the same position, else on the first). `links` maps an annotation's uuid to its links
        (both directions): each is shown as a row under it.

        Called again after every change (new annotation, edited note …); no message is posted.
        """
        keep, keep_link, index = self.highlighted_uuid, self.highlighted_link, self.highlighted
        ordered = sorted(items, key=lambda a: (a.start, a.end, _KIND_ORDER.get(a.kind, 0)))
        self._uuids = [a.uuid for a in ordered]
        links = links or {}
        rows: list[tuple[str, LinkView | None]] = []
        options: list[Option] = []
        for annotation in ordered:
            rows.append((annotation.uuid, None))
            options.append(Option(annotation_prompt(annotation), id=annotation.uuid))
            for view in links.get(annotation.uuid, ()):
                rows.append((annotation.uuid, view))
                options.append(Option(link_prompt(view), id=f"{annotation.uuid}/{view.link.uuid}"))
        self._rows = rows
        with self.prevent(OptionList.OptionHighlighted):
            self.clear_options()
            if not ordered:
                self._show_hint(EMPTY_HINT)
                return
            self.styles.text_wrap = "nowrap"
            self.add_options(options)
            keys = [(uuid, view.link.uuid if view else None) for uuid, view in rows]
            wanted = (keep, keep_link.link.uuid if keep_link else None)
            if wanted in keys:
                self.highlighted = keys.index(wanted)
            elif keep is not None and (keep, None) in keys:
                self.highlighted = keys.index((keep, None))
            else:  # the highlighted one was deleted: its neighbour; nothing before: the first
                self.highlighted = min(index or 0, len(rows) - 1)

    def show_no_article(self) -> None:
        """Show that no article is open (an empty list with its own hint); no message is posted."""
        self._uuids = []
        self._rows = []
        with self.prevent(OptionList.OptionHighlighted):
            self.clear_options()
            self._show_hint(NO_ARTICLE_HINT)

    def select_uuid(self, uuid: str) -> bool:
        """Highlight an annotation (to follow the reader's cursor) without posting `Highlighted`.

        Returns False if the uuid is not in the list.
        """
        try:
            index = self._rows.index((uuid, None))
        except ValueError:
            return False
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = index
        return True

    def clear_highlight(self) -> None:
        """Highlight no row (the reader's cursor is on no annotation), without posting `Highlighted`."""
        if self._rows:
            with self.prevent(OptionList.OptionHighlighted):
                self.highlighted = None

    # -------------------------------------------------------------- handlers
    def _show_hint(self, hint: str) -> None:
        # A disabled option: never highlighted, drawn dim, and Enter on it does nothing. Rows never
        # wrap (each line ends in "…"), a hint does: set inline, so the option's height is measured
        # with it before the next CSS pass.
        self.styles.text_wrap = "wrap"
        self.add_option(Option(Content(hint), disabled=True))

    @on(OptionList.OptionHighlighted)
    def _forward_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is not self:
            return
        event.stop()
        uuid = self.highlighted_uuid if event.option_id is not None else None
        self.post_message(self.Highlighted(self, uuid).set_sender(self))

    @on(OptionList.OptionSelected)
    def _forward_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is not self:
            return
        event.stop()
        if event.option_id is None or not 0 <= event.option_index < len(self._rows):
            return
        uuid, view = self._rows[event.option_index]
        if view is not None:
            self.post_message(self.LinkChosen(self, view).set_sender(self))
        else:
            self.post_message(self.Chosen(self, uuid).set_sender(self))
