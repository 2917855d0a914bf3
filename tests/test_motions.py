"""Motions that land on a unit's last character, for inclusive selections (issue 12, item 1)."""

from __future__ import annotations

from nkreader.text.motions import clause_end, clause_start, find_char, paragraph_end, sentence_end, word_end

BODY = (
    "Rice rose to 7,200 won, a source said; traders — many of them women — were told to lower prices. "
    "Officials came.\n\n"
    "김정은 위원장은 “인민생활을 개선해야 한다”고 강조했다. 두 번째 문장."
)


def at(text: str, occurrence: int = 0) -> int:
    i = -1
    for _ in range(occurrence + 1):
        i = BODY.index(text, i + 1)
    return i


def test_find_char_forward_and_back_within_the_paragraph() -> None:
    assert find_char(BODY, 0, ",") == at(",")
    assert find_char(BODY, 0, ",", till=True) == at(",") - 1
    assert find_char(BODY, at(",") - 1, ",", till=True, repeat=True) == at(",", 1) - 1
    assert find_char(BODY, at("Officials"), ";", forward=False) == at(";")
    assert find_char(BODY, at("Officials"), ";", forward=False, till=True) == at(";") + 1
    assert find_char(BODY, 0, "김") is None, "the search stays inside the paragraph"
    assert find_char(BODY, at("김정은"), "고") == at("고 강조")


def test_word_end_is_the_last_letter() -> None:
    assert word_end(BODY, 0) == at("Rice") + 3
    assert word_end(BODY, at("Rice") + 3) == at("rose") + 3
    assert BODY[word_end(BODY, at("7,200") - 1)] == "0", "7,200 is one word"


def test_sentence_and_paragraph_end_land_on_the_full_stop() -> None:
    first_stop = at("prices.") + len("prices")
    assert sentence_end(BODY, 0) == first_stop
    assert sentence_end(BODY, first_stop) == at("came.") + len("came")
    assert paragraph_end(BODY, 0) == at("came.") + len("came")
    assert BODY[sentence_end(BODY, at("김정은"))] == "."


def test_clause_end_stops_at_commas_semicolons_dashes() -> None:
    assert clause_end(BODY, 0) == at(",", 1), "the comma in 7,200 separates digits, not clauses"
    assert clause_end(BODY, at(",", 1)) == at(";")
    assert clause_end(BODY, at(";")) == at("—")
    assert clause_end(BODY, at("—", 1)) == at("prices.") + len("prices")


def test_clause_start_goes_back_after_the_mark() -> None:
    assert clause_start(BODY, at("were")) == at("many")
    assert clause_start(BODY, at("many")) == at("traders")
    assert clause_start(BODY, at("Rice") + 2) == 0
