"""What one row of the annotation panel says, and how many lines it takes, without drawing it.

Split from the widget (tui/annotation_list.py) so the two things others change — *which* rows are
shown (the caller filters the annotations it passes) and *what a row says* (:func:`annotation_prompt`)
— live apart from the scrolling and drawing. :func:`annotation_lines` must agree with
:func:`annotation_prompt`: the list lays out 1,000 rows from their line counts alone and builds the
prompts only of the rows on screen (``tests/test_annotation_rows.py`` checks the two agree).

Every prompt is a ``Content`` assembled from plain pieces: a speaker ``[@click=app.quit]x`` or an
excerpt ``[/nope]`` is shown literally and never runs or crashes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.content import Content

from nkreader.domain import AnchorState, Annotation, Kind, LinkView, Status
from nkreader.tui.annotator_labels import who_label
from nkreader.tui.cues import passage_preview, tags_label
from nkreader.tui.instrument_cues import RowExtras, head_cues, was_line
from nkreader.tui.safe import excerpt

__all__ = ["Row", "annotation_lines", "annotation_prompt", "build_rows", "link_prompt", "row_order"]

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


def _note_line(annotation: Annotation) -> str:
    return next((line for line in annotation.note.splitlines() if line.strip()), "")


def _has_third_line(annotation: Annotation) -> bool:
    return any(tag.strip() for tag in annotation.tags) or bool(_note_line(annotation))


def annotation_lines(annotation: Annotation, extras: RowExtras | None = None) -> int:
    """How many lines :func:`annotation_prompt` takes (rows never wrap): 2, or 3 with tags or a note,
    and one more for ``was: …`` when an update changed the words."""
    was = 1 if extras is not None and extras.was is not None else 0
    return (3 if _has_third_line(annotation) else 2) + was


def annotation_prompt(
    annotation: Annotation, extras: RowExtras | None = None, cells: int = _EXCERPT_CELLS
) -> Content:
    """The prompt of one annotation, built only from plain (never markup) pieces.

    `cells`: where the excerpts and the note are cut (the list passes its width: a line cut to the
    pane costs a fifth of one cut at 240 cells to draw, and looks the same once the CSS cuts it).

    Line 1: ``[C]`` badge in the kind colour, ``⚑ review`` when an update changed the words after the
    status was set and the Admiralty grade ``B2`` (the source's reliability, the passage's
    credibility; `extras`, tui/instrument_cues.py) — first, so a long speaker's name cut at the
    pane's edge cannot hide them — speaker, claim status unless unverified, anchor state unless
    anchored, who made it and who changed it last when known. Line 2: the excerpt. Then ``was: ‹old
    words›`` when an update changed them. Last, only when there is a note or tags: the ``#tags``
    and a dim preview of the note's first line (tags first: they are short, the note is cut).
    """
    kind = annotation.kind
    head: list[str | tuple[str, str]] = [(f"[{kind.letter}]", f"bold {kind.colour}"), *head_cues(extras)]
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
        excerpt(annotation.exact, cells) or "…",
    ]
    was = was_line(extras, cells)
    if was:
        lines += ["\n", _INDENT, *was]
    extra: list[str | tuple[str, str]] = []
    tags = tags_label(annotation.tags)
    if tags:
        extra.append((tags, "dim"))
    note = _note_line(annotation)
    if note:
        extra += ["  " if extra else "", (excerpt(note, cells), "dim italic")]
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


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the panel: an annotation, or one of its links listed under it."""

    annotation: Annotation
    link: LinkView | None
    lines: int
    extras: RowExtras | None = None
    """Grades and the words an update replaced (issue 17), for an annotation row."""

    @property
    def uuid(self) -> str:
        """The annotation's uuid (for a link row, the annotation it is listed under)."""
        return self.annotation.uuid

    @property
    def key(self) -> tuple[str, str | None]:
        """Names the row across updates: the annotation's uuid and the link's, if a link row."""
        return (self.annotation.uuid, self.link.link.uuid if self.link is not None else None)

    def prompt(self, cells: int = _EXCERPT_CELLS) -> Content:
        """What the row says, its excerpts cut at `cells`."""
        if self.link is not None:
            return link_prompt(self.link)
        return annotation_prompt(self.annotation, self.extras, cells)


def row_order(annotation: Annotation) -> tuple[int, int, int]:
    """Text order: by start, then end, then kind (claim, quote, policy)."""
    return (annotation.start, annotation.end, _KIND_ORDER.get(annotation.kind, 0))


def build_rows(
    items: list[Annotation],
    links: dict[str, list[LinkView]],
    extras: Mapping[str, RowExtras] | None = None,
    previous: Mapping[str, Row] | None = None,
) -> list[Row]:
    """The rows for `items` in text order, each annotation followed by its links (no prompt built).

    `previous` (uuid -> the annotation's row last time) lends back rows whose annotation is the
    very same object with the same extras, so an unchanged row costs a lookup."""
    rows: list[Row] = []
    append = rows.append
    extras = extras or {}
    previous = previous or {}
    for annotation in sorted(items, key=row_order):
        more = extras.get(annotation.uuid)
        row = previous.get(annotation.uuid)
        if row is None or row.annotation is not annotation or row.extras != more:
            row = Row(annotation, None, annotation_lines(annotation, more), more)
        append(row)
        for view in links.get(annotation.uuid, ()):
            append(Row(annotation, view, 1))
    return rows
