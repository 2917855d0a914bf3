"""The reader's maths without a widget: wrap table, offset <-> cell, movement targets."""

from __future__ import annotations

from nkreader.text import navigation
from nkreader.text.layout import MIN_WRAP_WIDTH, WrapLayout, display_text

BODY = "one two three four five six\n\n김정은 위원장이 말했다. Second sentence here."


def test_wrap_table_and_cells() -> None:
    layout = WrapLayout(BODY)
    assert not layout.wrapped and layout.vline_of(5) == 0
    assert layout.wrap(14) and not layout.wrap(14)
    assert [BODY[a:b] for a, b in zip(layout.vl_start, layout.vl_end, strict=True)][:3] == [
        "one two three ",
        "four five six",
        "",
    ]
    korean = BODY.index("김")
    line = layout.vline_of(korean)
    assert layout.x_of(korean + 2, line) == 4  # two wide characters
    assert layout.offset_at(line, 4) == korean + 2
    assert layout.offset_at(line, 5) == korean + 2  # inside a wide character: its start
    assert layout.line_end(0) == BODY.index("four") - 1  # a wrapped line's end shows on the next
    assert layout.position_label(0) == "ln 1/3 · 0%"
    narrow = WrapLayout(BODY)
    narrow.wrap(1)
    assert narrow.width == MIN_WRAP_WIDTH


def test_controls_are_drawn_as_replacement_characters() -> None:
    assert display_text("a\x1b[31mb\tc\u202ed\ne") == "a\ufffd[31mb c\ufffdd\ne"


def test_movement_targets() -> None:
    layout = WrapLayout(BODY)
    layout.wrap(14)
    assert navigation.move(layout, 0, "word_next").offset == 4
    assert navigation.move(layout, 0, "paragraph_next").offset == BODY.index("김")
    assert navigation.move(layout, 0, "bottom").offset == len(BODY)
    down = navigation.move(layout, 2, "down")
    assert down.goal_x == 2 and down.offset == BODY.index("four") + 2
    blank = navigation.move(layout, down.offset, "down", down.goal_x)
    assert blank.offset == BODY.index("\n\n") + 1 and blank.goal_x == 2  # the blank line keeps the column
    moved, step = navigation.page(layout, 0, up=True, height=5, goal_x=None)
    assert moved.offset == 0 and step == -4
    assert navigation.find(BODY, "SECOND   sentence", 0) == BODY.index("Second")
    assert navigation.find(BODY, "one", 10) == 0  # wraps around
    assert navigation.grow_to_units(BODY, BODY.index("\n\n") + 1, None, lambda b, o: (o, o)) is None
