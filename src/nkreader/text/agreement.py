"""Inter-annotator agreement over marked spans: pure computation, no store, no screen.

For each pair of annotators and each kind:

- span agreement, one annotator's marks scored against the other's as if they were the
  reference: precision (how many of A's marks B also made), recall (how many of B's marks A also
  made) and F1, once for **exact** matches (same article, same start and end) and once for
  **overlap** matches (same article, characters in common over characters in either ≥ 0.5,
  each mark matched at most once, the largest overlaps first);
- a chance-corrected figure per character: every character of the articles both annotators marked
  something in is "in a mark of this kind" or not, for each of them; **Cohen's kappa** and
  **Krippendorff's alpha** (nominal, two coders) over those characters. Articles only one of them
  worked on are left out: not having read an article is not disagreeing about it.

Disagreements (a mark only one made, or marks that overlap but differ in their ends) are listed
in text order so a reviewer can step through them.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

OVERLAP_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Mark:
    """One annotation, as agreement sees it."""

    article_id: int
    kind: str
    start: int
    end: int
    annotator: str
    uuid: str = ""


@dataclass(frozen=True, slots=True)
class SpanScores:
    matched: int
    precision: float | None
    """Matched marks of A over A's marks (None when A made none)."""
    recall: float | None
    """Matched marks of B over B's marks (None when B made none)."""
    f1: float | None


@dataclass(frozen=True, slots=True)
class Disagreement:
    article_id: int
    kind: str
    a: Mark | None
    b: Mark | None
    reason: str
    """"only A", "only B", "boundaries" (the marks overlap but their ends differ) or "kind" (the
    same passage marked as two kinds: see `differences`)."""
    pair: tuple[str, str] = ("", "")
    """The two annotators compared (A, B)."""

    @property
    def start(self) -> int:
        return min(m.start for m in (self.a, self.b) if m is not None)

    @property
    def end(self) -> int:
        return max(m.end for m in (self.a, self.b) if m is not None)

    @property
    def marks(self) -> tuple[Mark, ...]:
        return tuple(m for m in (self.a, self.b) if m is not None)


@dataclass(frozen=True, slots=True)
class PairAgreement:
    a: str
    b: str
    kind: str
    a_marks: int
    b_marks: int
    exact: SpanScores
    overlap: SpanScores
    kappa: float | None
    """Cohen's kappa per character (None when undefined: neither marked any character)."""
    alpha: float | None
    """Krippendorff's alpha per character, nominal, two coders (None when undefined)."""
    characters: int
    """Characters the chance-corrected figures are over."""
    disagreements: list[Disagreement] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        def scores(s: SpanScores) -> dict[str, object]:
            return {"matched": s.matched, "precision": s.precision, "recall": s.recall, "f1": s.f1}

        return {
            "a": self.a,
            "b": self.b,
            "kind": self.kind,
            "a_marks": self.a_marks,
            "b_marks": self.b_marks,
            "exact": scores(self.exact),
            "overlap": scores(self.overlap),
            "kappa": self.kappa,
            "alpha": self.alpha,
            "characters": self.characters,
            "disagreements": len(self.disagreements),
        }


def figure(value: float | None) -> str:
    """A figure as the CLI table and the app screen print it: two decimals, "–" when undefined."""
    if value is None:
        return "–"
    return f"{value:.2f}".replace("-0.00", "0.00")  # a rounding of zero has no sign


# --------------------------------------------------------------------------- spans


def overlap_ratio(a: Mark, b: Mark) -> float:
    """Characters in common over characters in either (0 for different articles)."""
    if a.article_id != b.article_id:
        return 0.0
    common = min(a.end, b.end) - max(a.start, b.start)
    if common <= 0:
        return 0.0
    either = max(a.end, b.end) - min(a.start, b.start)
    return common / either if either else 1.0


def _scores(matched: int, a_total: int, b_total: int) -> SpanScores:
    precision = matched / a_total if a_total else None
    recall = matched / b_total if b_total else None
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SpanScores(matched, precision, recall, f1)


def exact_pairs(a_marks: Sequence[Mark], b_marks: Sequence[Mark]) -> list[tuple[Mark, Mark]]:
    """One-to-one pairs of marks with the same article, start and end."""
    waiting: dict[tuple[int, int, int], list[Mark]] = defaultdict(list)
    for mark in b_marks:
        waiting[(mark.article_id, mark.start, mark.end)].append(mark)
    pairs = []
    for mark in a_marks:
        same = waiting.get((mark.article_id, mark.start, mark.end))
        if same:
            pairs.append((mark, same.pop(0)))
    return pairs


def overlap_pairs(
    a_marks: Sequence[Mark], b_marks: Sequence[Mark], threshold: float = OVERLAP_THRESHOLD
) -> list[tuple[Mark, Mark]]:
    """One-to-one pairs whose overlap ratio is at least `threshold`, the largest overlaps first."""
    by_article: dict[int, list[Mark]] = defaultdict(list)
    for mark in b_marks:
        by_article[mark.article_id].append(mark)
    candidates = []
    for i, a in enumerate(a_marks):
        for j, b in enumerate(by_article.get(a.article_id, ())):
            ratio = overlap_ratio(a, b)
            if ratio >= threshold:
                candidates.append((-ratio, a.start, b.start, i, j, a, b))
    candidates.sort(key=lambda c: c[:5])
    used_a: set[int] = set()
    used_b: set[tuple[int, int]] = set()
    pairs = []
    for _ratio, _sa, _sb, i, j, a, b in candidates:
        if i in used_a or (b.article_id, j) in used_b:
            continue
        used_a.add(i)
        used_b.add((b.article_id, j))
        pairs.append((a, b))
    return pairs


# --------------------------------------------------------------------------- characters


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _length(spans: list[tuple[int, int]]) -> int:
    return sum(end - start for start, end in spans)


def _intersection(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        common = min(a[i][1], b[j][1]) - max(a[i][0], b[j][0])
        if common > 0:
            total += common
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def character_table(
    a_marks: Sequence[Mark], b_marks: Sequence[Mark], lengths: Mapping[int, int]
) -> tuple[int, int, int, int]:
    """(both, only A, only B, neither): characters of the articles in `lengths`."""
    # by article first: a whole library is 10,000 articles and 100,000 marks (scanning every mark
    # for every article took minutes)
    by_article_a: dict[int, list[Mark]] = defaultdict(list)
    by_article_b: dict[int, list[Mark]] = defaultdict(list)
    for m in a_marks:
        by_article_a[m.article_id].append(m)
    for m in b_marks:
        by_article_b[m.article_id].append(m)
    both = only_a = only_b = neither = 0
    for article_id, length in lengths.items():
        ua = _union((m.start, min(m.end, length)) for m in by_article_a.get(article_id, ()))
        ub = _union((m.start, min(m.end, length)) for m in by_article_b.get(article_id, ()))
        common = _intersection(ua, ub)
        in_a, in_b = _length(ua), _length(ub)
        both += common
        only_a += in_a - common
        only_b += in_b - common
        neither += length - in_a - in_b + common
    return both, only_a, only_b, neither


def cohen_kappa(both: int, only_a: int, only_b: int, neither: int) -> float | None:
    total = both + only_a + only_b + neither
    if not total:
        return None
    observed = (both + neither) / total
    a_yes, b_yes = (both + only_a) / total, (both + only_b) / total
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(both: int, only_a: int, only_b: int, neither: int) -> float | None:
    """Nominal alpha for two coders and no missing values, from the coincidence matrix."""
    units = both + only_a + only_b + neither
    values = 2 * units
    yes = 2 * both + only_a + only_b
    no = values - yes
    if values < 2 or yes == 0 or no == 0:
        return None
    disagreeing = 2 * (only_a + only_b)  # o_yes,no + o_no,yes
    return 1 - (values - 1) * disagreeing / (2 * yes * no)


# --------------------------------------------------------------------------- the whole report


def _disagreements(
    a: str, b: str, kind: str, a_marks: Sequence[Mark], b_marks: Sequence[Mark]
) -> list[Disagreement]:
    exact = exact_pairs(a_marks, b_marks)
    exact_a = {id(x) for x, _ in exact}
    exact_b = {id(y) for _, y in exact}
    rest_a = [m for m in a_marks if id(m) not in exact_a]
    rest_b = [m for m in b_marks if id(m) not in exact_b]
    found = []
    near = overlap_pairs(rest_a, rest_b, threshold=1e-9)
    near_a = {id(x) for x, _ in near}
    near_b = {id(y) for _, y in near}
    for x, y in near:
        found.append(Disagreement(x.article_id, kind, x, y, "boundaries", (a, b)))
    found += [
        Disagreement(m.article_id, kind, m, None, f"only {a}", (a, b)) for m in rest_a if id(m) not in near_a
    ]
    found += [
        Disagreement(m.article_id, kind, None, m, f"only {b}", (a, b)) for m in rest_b if id(m) not in near_b
    ]
    found.sort(key=lambda d: (d.article_id, d.start, d.reason))
    return found


def agreement(
    marks: Iterable[Mark],
    lengths: Mapping[int, int],
    *,
    kinds: Sequence[str],
    between: tuple[str, str] | None = None,
) -> list[PairAgreement]:
    """Agreement for every pair of annotators (or just `between`) and every kind in `kinds`.

    `lengths` gives each article's length in characters (the articles considered); marks on
    other articles are ignored. Pairs are named in alphabetical order unless `between` says.
    """
    marks = [m for m in marks if m.article_id in lengths]
    annotators = sorted({m.annotator for m in marks})
    pairs = [between] if between is not None else list(itertools.combinations(annotators, 2))
    results = []
    for a, b in pairs:
        worked_a = {m.article_id for m in marks if m.annotator == a}
        worked_b = {m.article_id for m in marks if m.annotator == b}
        shared = {article: lengths[article] for article in sorted(worked_a & worked_b)}
        for kind in kinds:
            a_marks = sorted(
                (m for m in marks if m.annotator == a and m.kind == kind and m.article_id in shared),
                key=lambda m: (m.article_id, m.start, m.end),
            )
            b_marks = sorted(
                (m for m in marks if m.annotator == b and m.kind == kind and m.article_id in shared),
                key=lambda m: (m.article_id, m.start, m.end),
            )
            table = character_table(a_marks, b_marks, shared)
            results.append(
                PairAgreement(
                    a=a,
                    b=b,
                    kind=kind,
                    a_marks=len(a_marks),
                    b_marks=len(b_marks),
                    exact=_scores(len(exact_pairs(a_marks, b_marks)), len(a_marks), len(b_marks)),
                    overlap=_scores(len(overlap_pairs(a_marks, b_marks)), len(a_marks), len(b_marks)),
                    kappa=cohen_kappa(*table),
                    alpha=krippendorff_alpha(*table),
                    characters=sum(table),
                    disagreements=_disagreements(a, b, kind, a_marks, b_marks),
                )
            )
    return results


def differences(results: Iterable[PairAgreement]) -> list[Disagreement]:
    """Every disagreement of `results`, for a reviewer to step through: by pair (in the order of
    `results`), then article and position.

    Agreement is scored per kind, so a passage A marked as a claim and B as a quote counts as
    "only A" among claims and "only B" among quotes. A reviewer sees one disagreement there, about
    the kind: such an "only A" and "only B" of different kinds on the same passage (overlap ≥ 0.5,
    one-to-one, largest overlap first) become one with reason "kind" and kind "A's kind/B's kind".
    """
    by_pair: dict[tuple[str, str], list[Disagreement]] = {}
    for result in results:
        by_pair.setdefault((result.a, result.b), []).extend(result.disagreements)
    found: list[Disagreement] = []
    for pair, listed in by_pair.items():
        only_a: dict[int, list[Disagreement]] = defaultdict(list)
        only_b: dict[int, list[Disagreement]] = defaultdict(list)
        for d in listed:
            if d.b is None:
                only_a[d.article_id].append(d)
            elif d.a is None:
                only_b[d.article_id].append(d)
            else:
                found.append(d)
        for article, a_side in only_a.items():
            b_side = only_b.pop(article, [])
            candidates = sorted(
                (
                    (-overlap_ratio(x.a, y.b), i, j)
                    for i, x in enumerate(a_side)
                    for j, y in enumerate(b_side)
                    if x.a is not None and y.b is not None and x.kind != y.kind
                    and overlap_ratio(x.a, y.b) >= OVERLAP_THRESHOLD
                ),
            )
            used_a: set[int] = set()
            used_b: set[int] = set()
            for _, i, j in candidates:
                if i in used_a or j in used_b:
                    continue
                used_a.add(i)
                used_b.add(j)
                x, y = a_side[i], b_side[j]
                found.append(Disagreement(article, f"{x.kind}/{y.kind}", x.a, y.b, "kind", pair))
            found += [d for i, d in enumerate(a_side) if i not in used_a]
            found += [d for j, d in enumerate(b_side) if j not in used_b]
        for b_side in only_b.values():
            found += b_side
    order = {pair: n for n, pair in enumerate(by_pair)}
    found.sort(key=lambda d: (order[d.pair], d.article_id, d.start, d.end, d.reason))
    return found
