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

__all__ = [
    "Row",
    "annotation_lines",
    "annotation_prompt",
    "build_rows",
    "changed_lines",
    "link_prompt",
    "row_order",
    "row_tops",
]

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


def _in_row_order(items: list[Annotation]) -> bool:
    """Whether `items` already are in text order (the session keeps them so): checked without the
    1,000 key tuples a sort would make (each a young object the garbage collector scans)."""
    kinds = _KIND_ORDER
    for a, b in zip(items, items[1:]):
        if a.start != b.start:
            if a.start > b.start:
                return False
        elif a.end != b.end:
            if a.end > b.end:
                return False
        elif kinds.get(a.kind, 0) > kinds.get(b.kind, 0):
            return False
    return True


def build_rows(
    items: list[Annotation],
    links: dict[str, list[LinkView]],
    extras: Mapping[str, RowExtras] | None = None,
    previous: list[Row] | None = None,
) -> list[Row]:
    """The rows for `items` in text order, each annotation followed by its links (no prompt built).

    `previous` (the rows last shown) lends back every row whose annotation (and link) is the very
    same object with the same extras: an unchanged row costs a lookup and allocates nothing, and
    the list tells the rows that changed by identity (it redraws only their lines)."""
    rows: list[Row] = []
    append = rows.append
    extras = extras or {}
    old = previous or []
    where = {id(row.annotation): i for i, row in enumerate(old) if row.link is None}
    get_extras, get_links, get_old = extras.get, links.get, where.get
    for annotation in items if _in_row_order(items) else sorted(items, key=row_order):
        uuid = annotation.uuid
        more = get_extras(uuid)
        at = get_old(id(annotation))
        row = old[at] if at is not None else None
        if row is None or row.annotation is not annotation or (row.extras is not more and row.extras != more):
            row = Row(annotation, None, annotation_lines(annotation, more), more)
        append(row)
        for view in get_links(uuid, ()):
            at = at + 1 if at is not None else None
            row = old[at] if at is not None and at < len(old) else None
            if row is None or row.link is not view or row.annotation is not annotation:
                row, at = Row(annotation, view, 1), None
            append(row)
    return rows


def row_tops(rows: list[Row]) -> list[int]:
    """The first line of each row (rows are laid out one under the other)."""
    tops: list[int] = []
    line = 0
    for row in rows:
        tops.append(line)
        line += row.lines
    return tops


def changed_lines(
    old_rows: list[Row], old_tops: list[int], rows: list[Row], tops: list[int]
) -> tuple[int, int | None] | None:
    """The lines (first, end) that show something else in `rows` than in `old_rows`; end None:
    every line from `first` on; None: nothing changed.

    Rows are compared by identity (`build_rows` hands back the same `Row` for an unchanged
    annotation): the rows before the first changed one and after the last keep their lines,
    unless the changed ones took more or fewer lines, which moves every line below them. A new
    mark among 1,000 redraws the lines from its row down, an edit only its own row's lines.
    """
    shortest = min(len(rows), len(old_rows))
    head = 0
    while head < shortest and rows[head] is old_rows[head]:
        head += 1
    if head == len(rows) == len(old_rows):
        return None
    tail = 0
    while tail < shortest - head and rows[-1 - tail] is old_rows[-1 - tail]:
        tail += 1
    first = tops[head] if head < len(rows) else old_tops[head]
    new_end = tops[-1 - tail] + rows[-1 - tail].lines if len(rows) > tail else 0
    old_end = old_tops[-1 - tail] + old_rows[-1 - tail].lines if len(old_rows) > tail else 0
    return (first, new_end) if new_end == old_end else (first, None)
