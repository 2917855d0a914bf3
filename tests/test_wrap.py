"""Cell-width word wrap (nkreader.text.wrap)."""

from __future__ import annotations

import random

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from nkreader.text.wrap import _wrap_complex, cell_width, is_single_cell, wrap_offsets, wrap_pieces

# Trailing whitespace hangs past the width: break spaces, with any marks a space carries.
HANGING = regex.compile(
    r"(?:[ \t\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000][\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]*)+$"
)


def grapheme_bounds(line: str) -> set[int]:
    return {m.start() for m in regex.finditer(r"\X", line)} | {len(line)}


def check(line: str, width: int) -> list[str]:
    offsets = wrap_offsets(line, width)
    assert offsets == sorted(set(offsets))
    assert all(0 < o < len(line) for o in offsets)
    assert set(offsets) <= grapheme_bounds(line)
    pieces = wrap_pieces(line, width)
    assert "".join(pieces) == line
    for piece in pieces:
        text = HANGING.sub("", piece)
        # only a lone cluster wider than the line (a jamo run) may overflow: it cannot be cut
        wide = [g for g in regex.findall(r"\X", text) if cell_len(g)]
        assert cell_len(text) <= width or len(wide) == 1, (piece, width)
    return pieces


def test_latin_words() -> None:
    line = "The minister said that government policy on housing will change next year"
    assert check(line, 20) == [
        "The minister said ",
        "that government ",
        "policy on housing ",
        "will change next ",
        "year",
    ]
    assert wrap_offsets(line, len(line)) == []


def test_long_word_is_folded() -> None:
    assert check("ab " + "c" * 12, 5) == ["ab ", "ccccc", "ccccc", "cc"]


def test_hangul_is_two_cells_and_never_split() -> None:
    pieces = check("김정은 위원장은 경제 건설 정책을 발표했다", 12)
    assert pieces == ["김정은 ", "위원장은 ", "경제 건설 ", "정책을 ", "발표했다"]
    assert check("가나다라마바사", 5) == ["가나", "다라", "마바", "사"]


def test_clusters_are_kept_whole() -> None:
    family = "👨‍👩‍👧"
    assert check(family * 3, 4) == [family * 2, family]
    assert check("e\u0301" * 5, 3) == ["e\u0301" * 3, "e\u0301" * 2]
    jamo = "\u1100\u1161\u11a8"
    assert check(jamo * 3, 5) == [jamo * 2, jamo]
    # a combining mark after a space belongs to the space: no break before it
    check("abc \u0301def ghi", 4)


def test_no_break_spaces_do_not_break() -> None:
    assert check("aaaa 10\u00a0km bbbb", 8) == ["aaaa ", "10\u00a0km ", "bbbb"]


def test_curly_quotes_are_single_cell() -> None:
    assert is_single_cell("“quoted” — ‘x’ …")
    assert cell_width("“quoted” — ‘x’ …") == cell_len("“quoted” — ‘x’ …")
    assert check("“quoted” — analysts said “yes” and no", 10) == [
        "“quoted” — ",
        "analysts ",
        "said “yes” ",
        "and no",
    ]


def test_wide_fast_path_matches_the_exact_path() -> None:
    rnd = random.Random(7)
    words = [
        "김정은",
        "위원장은",
        "경제",
        "건설",
        "정책을",
        "北朝鮮",
        "発表",
        "the",
        "minister",
        "1.5%",
        "“quoted”",
        "—",
        "가나다라마바사아자차카타파하",
    ]
    for _ in range(300):
        line = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 40)))
        width = rnd.randint(2, 60)
        expected = _wrap_complex(line, width) if cell_len(line) > width else []
        assert wrap_offsets(line, width) == expected
        check(line, width)


_PIECES = st.sampled_from(
    [
        *"abcxyz .,“”—\u00a0",
        "  ",
        "가",
        "김정은",
        "北",
        "e\u0301",
        "👨‍👩‍👧",
        "👍🏽",
        "🇰🇷",
        "\u200b",
        "\u3000",
        "\u1100\u1161",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join), st.integers(min_value=2, max_value=30))
def test_properties(line: str, width: int) -> None:
    check(line, width)


@pytest.mark.parametrize("width", [2, 3, 10])
def test_degenerate_lines(width: int) -> None:
    for line in ["", " ", "     ", "a", "가", "👨‍👩‍👧", "\u0301", "a" * 50]:
        check(line, width)
