"""Sentence, paragraph, word and grapheme boundaries (nkreader.text.segment)."""

from __future__ import annotations

import itertools
import random

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from nkreader.text import segment
from nkreader.text.segment import (
    grapheme_floor,
    next_grapheme,
    next_paragraph_start,
    next_sentence_start,
    next_word_start,
    paragraph_at,
    prev_grapheme,
    prev_paragraph_start,
    prev_sentence_start,
    prev_word_start,
    sentence_at,
    sentence_spans,
    trim_span,
    word_at,
)


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


# ----------------------------------------------------------------------------- English


def test_simple_english() -> None:
    assert sentences("The minister spoke. Critics disagreed! Did they? Yes.") == [
        "The minister spoke.",
        "Critics disagreed!",
        "Did they?",
        "Yes.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Kim met Mrs. Lee and Dr. Park. They talked.",
            ["Mr. Kim met Mrs. Lee and Dr. Park.", "They talked."],
        ),
        (
            "The U.S. State Department said so. The U.S. The move followed.",
            ["The U.S. State Department said so.", "The U.S.", "The move followed."],
        ),
        (
            "Sanctions by the U.S. and the U.N. stayed. Trade fell.",
            ["Sanctions by the U.S. and the U.N. stayed.", "Trade fell."],
        ),
        (
            "He arrived on Jan. 5 and left on Dec. 24 at 3 p.m. Tuesday. It rained.",
            ["He arrived on Jan. 5 and left on Dec. 24 at 3 p.m. Tuesday.", "It rained."],
        ),
        (
            "Feb. 1, Mar. 2, Apr. 3, Jun. 4, Jul. 5, Aug. 6, Sept. 7, Oct. 8 and Nov. 9 passed. Done.",
            ["Feb. 1, Mar. 2, Apr. 3, Jun. 4, Jul. 5, Aug. 6, Sept. 7, Oct. 8 and Nov. 9 passed.", "Done."],
        ),
        ("He lives at No. 10 on St. Mark's Road. Fine.", ["He lives at No. 10 on St. Mark's Road.", "Fine."]),
        (
            "Gen. Park, Lt. Col. Choi and Lt. Han arrived. Col. Ri left.",
            ["Gen. Park, Lt. Col. Choi and Lt. Han arrived.", "Col. Ri left."],
        ),
        (
            "Fruit, e.g. apples, i.e. Fuji, etc. are sold. Prices rose.",
            ["Fruit, e.g. apples, i.e. Fuji, etc. are sold.", "Prices rose."],
        ),
        ("We bought pens, paper, etc. The rest waited.", ["We bought pens, paper, etc.", "The rest waited."]),
        (
            "Donald J. Trump met Kim Jong Un. They shook hands.",
            ["Donald J. Trump met Kim Jong Un.", "They shook hands."],
        ),
        ("He said no. Then he left.", ["He said no.", "Then he left."]),
    ],
)
def test_abbreviations(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_decimals_and_thousands() -> None:
    text = "Prices rose 1.5 percent to 4,800 won. Output fell 0.3 percent. Exports were $1.25 billion."
    assert sentences(text) == [
        "Prices rose 1.5 percent to 4,800 won.",
        "Output fell 0.3 percent.",
        "Exports were $1.25 billion.",
    ]


def test_ellipses() -> None:
    assert sentences("He paused... Then he spoke. She said… and stopped. Wait… No.") == [
        "He paused...",
        "Then he spoke.",
        "She said… and stopped.",
        "Wait…",
        "No.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said: “We will win.” Then he left.", ["He said: “We will win.”", "Then he left."]),
        ("“Why?” she asked. “Because.” Done.", ["“Why?” she asked.", "“Because.”", "Done."]),
        ("‘It is over.’ He wept.", ["‘It is over.’", "He wept."]),
        ('"It is over." He wept.', ['"It is over."', "He wept."]),
        ("It rained (as forecast.) The match went on.", ["It rained (as forecast.)", "The match went on."]),
        ("“Is it true?” asked Kim. “Yes!” Lee said.", ["“Is it true?” asked Kim.", "“Yes!”", "Lee said."]),
    ],
)
def test_closing_quotes_and_brackets(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The launch was on Aug. 30. The group said more.",
            ["The launch was on Aug. 30.", "The group said more."],
        ),
        (
            "He met Kim Jong Un in Pyongyang on Jan. 5. It was cold.",
            ["He met Kim Jong Un in Pyongyang on Jan. 5.", "It was cold."],
        ),
        (
            "Choe Son Hui met Lavrov on Oct. 14. Russia said so.",
            ["Choe Son Hui met Lavrov on Oct. 14.", "Russia said so."],
        ),
        (
            "Rice sold for 7,500 won on Aug. 20. “The notice failed,” he said.",
            ["Rice sold for 7,500 won on Aug. 20.", "“The notice failed,” he said."],
        ),
        ("The roof of Shelter No. 3. Then rain.", ["The roof of Shelter No. 3.", "Then rain."]),
        # the number continues the sentence: no boundary
        ("Workers of the No. 3 Coal Mine came. Done.", ["Workers of the No. 3 Coal Mine came.", "Done."]),
        ("The Jan. 5 meeting ended. Done.", ["The Jan. 5 meeting ended.", "Done."]),
        ("The Aug. 30 launch failed. Done.", ["The Aug. 30 launch failed.", "Done."]),
        ("It was on Aug. 30. the group said.", ["It was on Aug. 30. the group said."]),
        (
            "Prices fell 1.5 percent in the U.S. on Aug. 2. Mr. Kim left.",
            ["Prices fell 1.5 percent in the U.S. on Aug. 2.", "Mr. Kim left."],
        ),
        # a numbered item after a real sentence end is still an item
        ("He left. 2. The second point.", ["He left.", "2. The second point."]),
    ],
)
def test_month_and_number_abbreviation_then_number_ends_a_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The banner reads “자력갱생으로 나가자!” (“Let us go on by self-reliance!”). It is red.",
            ["The banner reads “자력갱생으로 나가자!” (“Let us go on by self-reliance!”).", "It is red."],
        ),
        ("He left. (He came back later.) Then rain.", ["He left.", "(He came back later.)", "Then rain."]),
        ("He left. (He came back) and stayed.", ["He left.", "(He came back) and stayed."]),
    ],
)
def test_gloss_in_brackets_before_the_full_stop_stays_with_its_sentence(
    text: str, expected: list[str]
) -> None:
    assert sentences(text) == expected


def test_numbered_items() -> None:
    assert sentences("1. The first point. 2. The second point.") == [
        "1. The first point.",
        "2. The second point.",
    ]
    assert sentences("He scored 2. The team lost.") == ["He scored 2.", "The team lost."]


# ----------------------------------------------------------------------------- Korean


def test_korean_endings() -> None:
    text = "김정은 위원장은 말했다. 경제를 살리겠다고 했어요. 정말 그럴까? 그렇다! 주민들이 모였다。다음 날 떠났다"
    assert sentences(text) == [
        "김정은 위원장은 말했다.",
        "경제를 살리겠다고 했어요.",
        "정말 그럴까?",
        "그렇다!",
        "주민들이 모였다。",
        "다음 날 떠났다",
    ]


def test_korean_quoted_speech_stays_in_one_sentence() -> None:
    text = "그는 “경제를 살리겠다.”라고 말했다. 이어 떠났다."
    assert sentences(text) == ["그는 “경제를 살리겠다.”라고 말했다.", "이어 떠났다."]


def test_korean_period_without_space() -> None:
    assert sentences("회의가 끝났다.이어 발표가 있었다.") == ["회의가 끝났다.", "이어 발표가 있었다."]


def test_mixed_korean_and_english() -> None:
    text = "Kim Jong Un said so. 김 위원장은 U.S. 정책을 비판했다. 그는 “No.”라고 말했다. The U.N. met."
    assert sentences(text) == [
        "Kim Jong Un said so.",
        "김 위원장은 U.S. 정책을 비판했다.",
        "그는 “No.”라고 말했다.",
        "The U.N. met.",
    ]


def test_cjk_full_stops() -> None:
    assert sentences("北朝鮮は発表した。次に行く！本当か？") == [
        "北朝鮮は発表した。",
        "次に行く！",
        "本当か？",
    ]


# ---------------------------------------------------------------------- over a body

BODY = (
    "The minister spoke. Critics disagreed. Mr. Kim left.\n"
    "\n"
    "김정은 위원장은 말했다. 경제를 살리겠다.\n"
    "\n"
    "Last one."
)
P2 = BODY.index("김정은")
P3 = BODY.index("Last")


def test_sentences_never_cross_paragraphs() -> None:
    assert sentences("No full stop here\n\nNext paragraph.") == ["No full stop here", "Next paragraph."]
    assert sentences(BODY) == [
        "The minister spoke.",
        "Critics disagreed.",
        "Mr. Kim left.",
        "김정은 위원장은 말했다.",
        "경제를 살리겠다.",
        "Last one.",
    ]


def test_sentence_at() -> None:
    s2 = BODY.index("Critics")
    assert sentence_at(BODY, 0) == (0, 19)
    assert sentence_at(BODY, 5) == (0, 19)
    assert sentence_at(BODY, 19) == (0, 19)  # the space after a sentence belongs to it
    assert sentence_at(BODY, s2) == (s2, s2 + len("Critics disagreed."))
    end1 = BODY.index("\n")
    assert BODY[slice(*sentence_at(BODY, end1))] == "Mr. Kim left."  # the end of the line
    assert sentence_at(BODY, end1 + 1) == (end1 + 1, end1 + 1)  # the blank line
    assert BODY[slice(*sentence_at(BODY, P2 + 3))] == "김정은 위원장은 말했다."
    assert BODY[slice(*sentence_at(BODY, len(BODY)))] == "Last one."


def test_next_and_prev_sentence_start() -> None:
    starts = [a for a, _ in sentence_spans(BODY)]
    pos, seen = 0, [0]
    while (pos := next_sentence_start(BODY, pos)) < len(BODY):
        seen.append(pos)
    assert seen == starts
    pos, seen = len(BODY), []
    while pos > 0:
        pos = prev_sentence_start(BODY, pos)
        seen.append(pos)
    assert seen == starts[::-1]
    # from inside a sentence: its own start first
    assert prev_sentence_start(BODY, BODY.index("disagreed")) == BODY.index("Critics")
    assert prev_sentence_start(BODY, BODY.index("Critics")) == 0


def test_paragraphs() -> None:
    end1 = BODY.index("\n")
    assert paragraph_at(BODY, 3) == (0, end1)
    assert paragraph_at(BODY, end1) == (0, end1)
    assert paragraph_at(BODY, end1 + 1) == (end1 + 1, end1 + 1)
    assert paragraph_at(BODY, P2) == (P2, BODY.index("\n", P2))
    assert next_paragraph_start(BODY, 0) == P2
    assert next_paragraph_start(BODY, end1 + 1) == P2
    assert next_paragraph_start(BODY, P2 + 4) == P3
    assert next_paragraph_start(BODY, P3 + 1) == len(BODY)
    assert prev_paragraph_start(BODY, P3 + 2) == P3
    assert prev_paragraph_start(BODY, P3) == P2
    assert prev_paragraph_start(BODY, P2) == 0
    assert prev_paragraph_start(BODY, 0) == 0


def test_words() -> None:
    text = "Kim Jong-un's 4,800 won, 1.5%; don't stop. 김정은 위원장은"
    starts, pos = [], 0
    while (pos := next_word_start(text, pos)) < len(text):
        starts.append(text[pos : word_at(text, pos)[1]])
    assert starts == ["Jong-un's", "4,800", "won", "1.5", "don't", "stop", "김정은", "위원장은"]
    assert prev_word_start(text, text.index("un's")) == text.index("Jong")
    assert prev_word_start(text, text.index("won")) == text.index("4,800")
    assert prev_word_start(text, 2) == 0
    assert prev_word_start(text, 0) == 0
    assert word_at(text, text.index("위원") + 1) == (text.index("위원"), len(text))
    assert word_at(text, text.index(";")) == (text.index(";"), text.index(";"))


def test_graphemes() -> None:
    text = "a👨‍👩‍👧e\u0301\u1100\u1161\u11a8가🇰🇷!"
    bounds = [0]
    while bounds[-1] < len(text):
        bounds.append(next_grapheme(text, bounds[-1]))
    assert [text[a:b] for a, b in itertools.pairwise(bounds)] == [
        "a",
        "👨‍👩‍👧",
        "e\u0301",
        "\u1100\u1161\u11a8",
        "가",
        "🇰🇷",
        "!",
    ]
    back = [len(text)]
    while back[-1] > 0:
        back.append(prev_grapheme(text, back[-1]))
    assert back[::-1] == bounds
    assert grapheme_floor(text, 3) == 1  # inside the family emoji
    assert grapheme_floor(text, bounds[3] - 1) == bounds[2]  # on the combining mark


def test_trim_span() -> None:
    assert trim_span("  ab  ", 0, 6) == (2, 4)
    assert trim_span("   ", 0, 3) == (0, 0)


# ------------------------------------------------------------- windows in long paragraphs


def long_paragraph(n_chars: int = 200_000, seed: int = 3) -> str:
    rnd = random.Random(seed)
    words = [
        "the",
        "minister",
        "said",
        "U.S.",
        "Mr.",
        "Kim",
        "1.5",
        "“quoted”",
        "policy",
        "김정은",
        "말했다",
        "on",
        "Jan.",
        "5",
        "e.g.",
        "growth",
    ]
    out: list[str] = []
    size = 0
    while size < n_chars:
        sentence = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 25)))
        sentence = sentence[0].upper() + sentence[1:] + rnd.choice([".", "!", "?", ".”", "다."])
        out.append(sentence)
        size += len(sentence) + 1
    return " ".join(out)


def test_long_paragraph_uses_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    text = long_paragraph()
    spans = sentence_spans(text)  # one full scan, the reference
    seen: list[int] = []
    real = segment._boundaries

    def spy(body: str, lo: int, hi: int, ps: int, pe: int) -> list[int]:
        seen.append(hi - lo)
        return real(body, lo, hi, ps, pe)

    monkeypatch.setattr(segment, "_boundaries", spy)
    rnd = random.Random(5)
    for _ in range(200):
        offset = rnd.randrange(len(text))
        i = max(j for j, (a, _) in enumerate(spans) if a <= offset) if offset >= spans[0][0] else 0
        assert sentence_at(text, offset) == spans[i]
        nxt = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        assert next_sentence_start(text, offset) == nxt
        expected_prev = spans[i][0] if spans[i][0] < offset else (spans[i - 1][0] if i else 0)
        assert prev_sentence_start(text, offset) == expected_prev
    assert max(seen) <= 3 * segment._WINDOW  # windows of a few KB, never the 200 KB paragraph


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Mr.",
                "U.S.",
                "Kim",
                "said",
                "1.5",
                "“no.”",
                "no.",
                "J.",
                "다.",
                "요?",
                "그는",
                "…",
                "!",
                "(x.)",
                "\n\n",
                "e.g.",
            ]
        ),
        max_size=60,
    ),
    st.integers(min_value=4, max_value=40),
)
def test_small_windows_agree_with_a_full_scan(words: list[str], window: int) -> None:
    text = " ".join(words)
    spans = sentence_spans(text)
    starts = [a for a, _ in spans]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(segment, "_WINDOW", window)
        for offset in range(len(text) + 1):
            s = sentence_at(text, offset)
            if s[0] < s[1]:
                assert s in spans
            following = [a for a in starts if a > offset]
            if following and text.rfind("\n\n", offset, following[0]) < 0:
                assert next_sentence_start(text, offset) == following[0]
            preceding = [a for a in starts if a < offset]
            if preceding and text.rfind("\n\n", preceding[-1], offset) < 0:
                assert prev_sentence_start(text, offset) == preceding[-1]
        for a, b in spans:
            assert sentence_at(text, a) == (a, b)
            assert sentence_at(text, b - 1) == (a, b)


# ----------------------------------------------------------------------------- properties

_ALPHABET = st.sampled_from([*"ab .!?”’\"')(\n가다요。 1,.", "Mr.", "U.S.", "e\u0301", "👍🏽", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_spans_are_trimmed_ordered_and_in_bounds(text: str) -> None:
    spans = sentence_spans(text)
    prev_end = 0
    for a, b in spans:
        assert prev_end <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        assert "\n\n" not in text[a:b]
        prev_end = b
    for offset in range(len(text) + 1):
        a, b = sentence_at(text, offset)
        assert 0 <= a <= b <= len(text)
        assert (a, b) in spans or a == b
        assert offset < next_sentence_start(text, offset) or offset == len(text)
        assert prev_sentence_start(text, offset) < offset or offset == 0
        assert next_word_start(text, offset) > offset or offset == len(text)
        assert prev_word_start(text, offset) < offset or offset == 0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ae \u0301\u200d👍🏽🇰🇷가\u1100\u1161\n")), max_size=40))
def test_grapheme_steps_match_regex(text: str) -> None:
    bounds = [m.start() for m in regex.finditer(r"\X", text)] + [len(text)]
    for a, b in itertools.pairwise(bounds):
        assert next_grapheme(text, a) == b
        assert prev_grapheme(text, b) == a
    for offset in range(len(text) + 1):
        assert grapheme_floor(text, offset) in bounds
