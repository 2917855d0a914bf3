"""Agreement between annotators (issue 11): the pure computation, checked against hand figures
and a brute-force count over characters."""

from __future__ import annotations

import itertools
import random

import pytest

from nkreader.text.agreement import (
    Mark,
    agreement,
    character_table,
    cohen_kappa,
    differences,
    krippendorff_alpha,
    overlap_pairs,
    overlap_ratio,
)


def mark(who: str, start: int, end: int, kind: str = "claim", article: int = 1) -> Mark:
    return Mark(article, kind, start, end, who, f"{who}-{article}-{start}-{end}")


def test_hand_computed_kappa_and_alpha() -> None:
    # 10 characters; ana marks 0-5, ben 2-7: 3 both, 2 only ana, 2 only ben, 3 neither
    a, b = [mark("ana", 0, 5)], [mark("ben", 2, 7)]
    table = character_table(a, b, {1: 10})
    assert table == (3, 2, 2, 3)
    assert cohen_kappa(*table) == pytest.approx(0.2)
    assert krippendorff_alpha(*table) == pytest.approx(1 - 19 * 8 / 200)


def brute_force(a: list[Mark], b: list[Mark], length: int) -> tuple[float | None, float | None]:
    la = [any(m.start <= i < m.end for m in a) for i in range(length)]
    lb = [any(m.start <= i < m.end for m in b) for i in range(length)]
    n = length
    po = sum(x == y for x, y in zip(la, lb, strict=True)) / n
    pa, pb = sum(la) / n, sum(lb) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    kappa = None if pe == 1 else (po - pe) / (1 - pe)
    # Krippendorff: coincidence matrix, two values per unit
    o = {(x, y): 0 for x in (False, True) for y in (False, True)}
    for x, y in zip(la, lb, strict=True):
        o[(x, y)] += 1
        o[(y, x)] += 1
    total = 2 * n
    nc = {v: o[(v, False)] + o[(v, True)] for v in (False, True)}
    do = (o[(True, False)] + o[(False, True)]) / total
    de = 2 * nc[True] * nc[False] / (total * (total - 1))
    alpha = None if de == 0 else 1 - do / de
    return kappa, alpha


@pytest.mark.parametrize("seed", range(8))
def test_figures_match_a_character_by_character_count(seed: int) -> None:
    rng = random.Random(seed)
    length = 200

    def some(who: str) -> list[Mark]:
        marks = []
        for _ in range(rng.randint(1, 6)):
            start = rng.randrange(length - 10)
            marks.append(mark(who, start, start + rng.randint(1, 40)))
        return marks

    a, b = some("ana"), some("ben")
    [result] = agreement([*a, *b], {1: length}, kinds=["claim"])
    kappa, alpha = brute_force(a, b, length)
    assert result.kappa == pytest.approx(kappa)
    assert result.alpha == pytest.approx(alpha)
    assert result.characters == length


def test_exact_and_overlap_precision_recall_f1() -> None:
    ana = [mark("ana", 0, 10), mark("ana", 20, 30), mark("ana", 40, 50), mark("ana", 60, 70, "quote")]
    ben = [mark("ben", 0, 10), mark("ben", 22, 31), mark("ben", 45, 80)]
    results = {r.kind: r for r in agreement([*ana, *ben], {1: 100}, kinds=["claim", "quote"])}
    claim = results["claim"]
    assert (claim.a, claim.b, claim.a_marks, claim.b_marks) == ("ana", "ben", 3, 3)
    assert claim.exact.matched == 1
    assert claim.exact.precision == pytest.approx(1 / 3) and claim.exact.recall == pytest.approx(1 / 3)
    # 20-30 vs 22-31: 8 of 11 in common; 40-50 vs 45-80: 5 of 40
    assert claim.overlap.matched == 2
    assert claim.overlap.f1 == pytest.approx(2 / 3)
    reasons = [(d.reason, d.a.start if d.a else None, d.b.start if d.b else None) for d in claim.disagreements]
    assert reasons == [("boundaries", 20, 22), ("boundaries", 40, 45)]
    quote = results["quote"]
    assert (quote.a_marks, quote.b_marks, quote.exact.precision, quote.exact.recall, quote.exact.f1) == (
        1,
        0,
        0.0,
        None,
        None,
    )
    assert [d.reason for d in quote.disagreements] == ["only ana"]


def test_overlap_matches_are_one_to_one_largest_first() -> None:
    a = [mark("ana", 0, 10)]
    b = [mark("ben", 0, 9), mark("ben", 1, 10), mark("ben", 0, 10)]
    assert overlap_pairs(a, b) == [(a[0], b[2])]
    assert overlap_ratio(mark("a", 0, 10), mark("b", 5, 15)) == pytest.approx(5 / 15)
    assert overlap_ratio(mark("a", 0, 10), mark("b", 0, 10, article=2)) == 0.0


def test_identical_work_agrees_perfectly_and_articles_one_skipped_are_left_out() -> None:
    same = [mark("ana", 5, 15), mark("ana", 30, 35), mark("ana", 0, 4, article=2)]
    copy = [Mark(m.article_id, m.kind, m.start, m.end, "ben") for m in same[:2]]
    [r] = agreement([*same, *copy], {1: 50, 2: 50}, kinds=["claim"])
    # ben never marked article 2: it does not count against either of them
    assert r.characters == 50 and r.a_marks == 2
    assert r.exact.f1 == 1.0 and r.overlap.f1 == 1.0 and r.kappa == 1.0 and r.alpha == 1.0
    assert r.disagreements == []


def test_every_pair_or_just_the_one_asked_for() -> None:
    marks = [mark(who, 0, 5) for who in ("cat", "ana", "ben")]
    pairs = {(r.a, r.b) for r in agreement(marks, {1: 10}, kinds=["claim"])}
    assert pairs == set(itertools.combinations(["ana", "ben", "cat"], 2))
    only = agreement(marks, {1: 10}, kinds=["claim"], between=("cat", "ana"))
    assert [(r.a, r.b) for r in only] == [("cat", "ana")]


def test_undefined_figures_are_none_not_a_division_error() -> None:
    assert cohen_kappa(0, 0, 0, 0) is None
    assert cohen_kappa(0, 0, 0, 10) is None  # nobody marked anything: kappa is undefined
    assert krippendorff_alpha(0, 0, 0, 10) is None
    assert krippendorff_alpha(10, 0, 0, 0) is None


def test_differences_for_review_one_per_passage_with_kind_changes_merged() -> None:
    marks = [
        mark("ana", 0, 10),  # both: agree
        mark("ben", 0, 10),
        mark("ana", 20, 30),  # only ana
        mark("ana", 40, 50),  # ben moved the end
        mark("ben", 40, 55),
        mark("ana", 60, 70, kind="claim"),  # ben saw a quote there
        mark("ben", 61, 70, kind="quote"),
        mark("ben", 80, 85, kind="quote"),  # only ben
        mark("ana", 90, 95, kind="policy"),  # a claim by ben barely touching it: two disagreements
        mark("ben", 94, 99, kind="claim"),
    ]
    results = agreement(marks, {1: 100}, kinds=["claim", "quote", "policy"])
    found = differences(results)
    assert [(d.start, d.end, d.reason, d.kind) for d in found] == [
        (20, 30, "only ana", "claim"),
        (40, 55, "boundaries", "claim"),
        (60, 70, "kind", "claim/quote"),
        (80, 85, "only ben", "quote"),
        (90, 95, "only ana", "policy"),
        (94, 99, "only ben", "claim"),
    ]
    kind_change = found[2]
    assert kind_change.a is not None and kind_change.a.annotator == "ana"
    assert kind_change.b is not None and (kind_change.b.kind, kind_change.b.start) == ("quote", 61)
    assert {d.pair for d in found} == {("ana", "ben")}
    # per kind, the figures still count the kind change against both kinds
    assert sum(len(r.disagreements) for r in results) == 7


def test_differences_keep_pairs_apart_and_in_order() -> None:
    marks = [mark("ana", 0, 5), mark("ben", 10, 15), mark("cat", 0, 5)]
    found = differences(agreement(marks, {1: 20}, kinds=["claim"]))
    assert [(d.pair, d.reason) for d in found] == [
        (("ana", "ben"), "only ana"),
        (("ana", "ben"), "only ben"),
        (("ben", "cat"), "only cat"),  # in text order: cat's mark comes first
        (("ben", "cat"), "only ben"),
    ]
