"""Drawing one visual line of the reader: highlights, overlaps, selection, cursor, gutter.

Kept apart from the widget so the widget reads as input and state, and this as "what a line
looks like". Text is always drawn as `Segment`s of the display text (controls replaced),
never as markup: article text is untrusted.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from nkreader.domain import Kind
from nkreader.text import segment
from nkreader.text.highlights import Highlight, HighlightIndex
from nkreader.text.layout import WrapLayout
from nkreader.text.wrap import cell_width, is_single_cell

__all__ = [
    "GUTTER",
    "READER_COMPONENT_CLASSES",
    "READER_CSS",
    "Highlight",
    "HighlightIndex",
    "LineStyles",
    "line_styles",
    "render_visual_line",
]

GUTTER = 2
"""Cells left of the text: the kind letter of the highlights on the line, then a space."""

_KIND_ORDER = (Kind.CLAIM, Kind.QUOTE, Kind.POLICY)
_CURRENT_GUTTER = Style(reverse=True)


@dataclass
class LineStyles:
    """The resolved styles a line is drawn with (from the widget's component classes)."""

    base: Style = field(default_factory=Style)
    kinds: dict[Kind, Style] = field(default_factory=dict)
    overlap: Style = field(default_factory=Style)
    selection: Style = field(default_factory=Style)
    cursor: Style = field(default_factory=Style)
    gutter: Style = field(default_factory=Style)
    current: Style = field(default_factory=Style)
    suggestion: Style = field(default_factory=Style)
    mention: Style = field(default_factory=Style)
    others: dict[Kind, Style] = field(default_factory=dict)
    """Another annotator's marks in compare mode, by kind."""


def render_visual_line(
    layout: WrapLayout,
    index: HighlightIndex,
    styles: LineStyles,
    line: int,
    width: int,
    *,
    cursor: int | None = None,
    selection: tuple[int, int] | None = None,
) -> Strip:
    """Visual line `line`, `width` cells wide; `cursor` is drawn if given (it is on this line)."""
    base = styles.base
    start, end = layout.line_span(line)
    text = layout.display[start:end]
    marks: list[tuple[int, int, Style]] = []  # (from, to, style) relative to `start`

    row = layout.row_of(start)
    here = [h for h in index.on_row(row) if h.start < end and h.end > start]
    mentions = [h for h in here if h.mention]
    if mentions:  # an entity's mentions: not marks; drawn over them, below selection and cursor
        here = [h for h in here if not h.mention]
    suggested = [h for h in here if h.suggested]
    if suggested:  # drawn first, so a mark on the same text shows over it
        here = [h for h in here if not h.suggested]
        for h in suggested:
            marks.append((max(h.start, start) - start, min(h.end, end) - start, styles.suggestion))
    others = [h for h in here if h.other]
    if others:  # another annotator's marks: drawn over one's own (below), never counted as overlap
        here = [h for h in here if not h.other]
    kinds = {h.kind for h in here}
    if here:
        here.sort(key=lambda h: _KIND_ORDER.index(h.kind))
        spans = [(max(h.start, start) - start, min(h.end, end) - start) for h in here]
        for (a, b), h in zip(spans, here, strict=True):
            if a < b:
                marks.append((a, b, styles.kinds[h.kind]))
        if len(here) > 1:
            points = sorted({p for span in spans for p in span})
            for a, b in itertools.pairwise(points):
                if sum(1 for s, e in spans if s <= a and e >= b) > 1:
                    marks.append((a, b, styles.overlap))
    for h in others:
        a, b = max(h.start, start) - start, min(h.end, end) - start
        if a < b:
            marks.append((a, b, styles.others.get(h.kind, styles.overlap)))
    for h in [*here, *others]:
        a, b = max(h.start, start) - start, min(h.end, end) - start
        if h.current and a < b:
            marks.append((a, b, styles.current))

    for h in mentions:
        marks.append((max(h.start, start) - start, min(h.end, end) - start, styles.mention))
    if selection is not None:
        a, b = max(selection[0], start) - start, min(selection[1], end) - start
        if a < b:
            marks.append((a, b, styles.selection))
    if cursor is not None:
        at = cursor - start
        if at >= len(text):
            text += " "  # the cursor after the last character
            marks.append((len(text) - 1, len(text), styles.cursor))
        else:
            after = min(segment.next_grapheme(layout.display, cursor) - start, len(text))
            marks.append((at, after, styles.cursor))

    other_kinds = {h.kind for h in others}
    if not kinds and other_kinds:  # only the other's marks here: their letter in their style
        kind = min(other_kinds, key=_KIND_ORDER.index)
        letter = kind.letter if len(other_kinds) == 1 else "*"
        letter_style = base + styles.others.get(kind, styles.overlap)
    elif not kinds and suggested:
        letter, letter_style = suggested[0].kind.letter.lower(), base + styles.suggestion
    elif not kinds:
        letter, letter_style = " ", base
    elif len(kinds) == 1:
        (kind,) = kinds
        letter, letter_style = kind.letter, base + styles.kinds[kind] + styles.gutter
    else:
        letter, letter_style = "*", base + styles.overlap + styles.gutter
    if any(h.current for h in [*here, *others]):
        letter_style += _CURRENT_GUTTER  # the lines of the annotation the edit keys act on
    segments = [Segment(letter, letter_style), Segment(" ", base)]
    if not marks:
        segments.append(Segment(text, base))
    else:
        points = sorted({0, len(text), *(p for a, b, _ in marks for p in (a, b))})
        for a, b in itertools.pairwise(points):
            style = base
            for s, e, mark in marks:
                if s <= a and e >= b:
                    style += mark
            segments.append(Segment(text[a:b], style))
    # Pieces cut inside a cluster (a highlight ending mid-emoji) may not add up: let Rich
    # measure those; single-cell text (the common case) is measured here, cheaply.
    known = not marks or is_single_cell(text)
    strip = Strip(segments, GUTTER + cell_width(text) if known else None)
    if strip.cell_length > width:
        return strip.crop(0, width)
    return strip.extend_cell_length(width, base)


def _component_style(widget: Widget, name: str) -> Style:
    """A component's own style, its translucent colours blended over the widget's background."""
    styles = widget.get_component_styles(name)
    background = widget.background_colors[1]
    style = Style()
    if styles.has_rule("background"):
        style += Style(bgcolor=(background + styles.background).rich_color)
    if styles.has_rule("color"):
        style += Style(color=(background + styles.color).rich_color)
    return style + styles.text_style


def line_styles(widget: Widget, base: Style) -> LineStyles:
    """The styles of the reader's component classes (`reader--claim` …), resolved for drawing."""
    return LineStyles(
        base=base,
        kinds={kind: _component_style(widget, f"reader--{kind.value}") for kind in Kind},
        overlap=_component_style(widget, "reader--overlap"),
        selection=_component_style(widget, "reader--selection"),
        cursor=_component_style(widget, "reader--cursor"),
        gutter=_component_style(widget, "reader--gutter"),
        current=_component_style(widget, "reader--current"),
        suggestion=_component_style(widget, "reader--suggestion"),
        mention=_component_style(widget, "reader--mention"),
        others={kind: _component_style(widget, f"reader--other-{kind.value}") for kind in Kind},
    )


# ---------------------------------------------------------------- the reader's styles

READER_COMPONENT_CLASSES: set[str] = {
    "reader--claim",
    "reader--quote",
    "reader--policy",
    "reader--overlap",
    "reader--selection",
    "reader--cursor",
    "reader--gutter",
    "reader--current",
    "reader--suggestion",
    "reader--mention",
    "reader--other-claim",
    "reader--other-quote",
    "reader--other-policy",
}
"""
| Class | Description |
| :- | :- |
| `reader--claim`, `reader--quote`, `reader--policy` | A highlight of that kind. |
| `reader--overlap` | Text under two or more highlights (violet; the gutter shows `*`). |
| `reader--selection` | The selection (drawn over highlights). |
| `reader--cursor` | The cursor (drawn over everything). |
| `reader--gutter` | The kind letters left of the text. |
| `reader--current` | The annotation the edit keys act on (drawn over its kind). |
| `reader--suggestion` | A suggested span: faded text, no background (never taken for a mark). |
| `reader--mention` | A mention of the entity chosen with `H`: bright bold text over any mark. |
| `reader--other-claim`, `reader--other-quote`, `reader--other-policy` | Another annotator's mark in compare mode: coloured, underlined text, no background. |
"""

READER_CSS = """
ReaderView {
    background: $surface;
    color: $foreground;
    overflow-x: hidden;
    overflow-y: auto;
    scrollbar-gutter: stable;
    /* Opaque colours, one set per light/dark theme, chosen so that the kinds stay four
       different colours when a 256-colour terminal rounds them (xterm 24/22/94/54 dark,
       110/151/222/183 light) and the theme's text keeps its contrast on them. */
    & > .reader--claim { background: #1a4a80; text-style: underline; }
    & > .reader--quote { background: #1f5a2a; text-style: italic; }
    & > .reader--policy { background: #765014; text-style: bold; }
    & > .reader--overlap { background: #5a2a8a; }
    &:light > .reader--claim { background: #8fb4dc; }
    &:light > .reader--quote { background: #a8d5b0; }
    &:light > .reader--policy { background: #f5d08a; }
    &:light > .reader--overlap { background: #cfb0f0; }
    & > .reader--selection { background: $foreground 30%; }
    & > .reader--cursor { text-style: reverse; }
    & > .reader--gutter { color: $foreground-muted; text-style: bold; }
    & > .reader--current { text-style: bold underline; }
    & > .reader--suggestion { color: $foreground 50%; text-style: dim; }
    & > .reader--mention { color: #ffd75f; text-style: bold underline; }
    &:light > .reader--mention { color: #a0360a; }
    & > .reader--other-claim { color: #7fb8ff; text-style: underline; }
    & > .reader--other-quote { color: #7fe08f; text-style: underline; }
    & > .reader--other-policy { color: #ff9f5a; text-style: underline; }
    &:light > .reader--other-claim { color: #0b4f9e; }
    &:light > .reader--other-quote { color: #0f6b28; }
    &:light > .reader--other-policy { color: #8a5200; }
}
"""
