"""Agreement between the library's annotators (issue 11): read the marks, compute, report.

The figures are computed by `text.agreement` (pure, tested on its own); this reads the marks of
the articles asked for in one snapshot and names what cannot be compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nkreader.domain import Kind
from nkreader.services.library import Library
from nkreader.store import annotators as store
from nkreader.store.errors import NotFound
from nkreader.text.agreement import Disagreement, Mark, PairAgreement, agreement, differences

__all__ = [
    "AgreementError",
    "AgreementReview",
    "Disagreement",
    "PairAgreement",
    "agreement_review",
    "annotators",
    "library_agreement",
]


class AgreementError(ValueError):
    """Agreement cannot be computed as asked (one line, for the user)."""


def annotators(library: Library) -> list[str]:
    with library.database.reading() as session:
        return store.annotators(session)


def library_agreement(
    library: Library,
    *,
    article_ids: Sequence[int] | None = None,
    between: tuple[str, str] | None = None,
    kinds: Sequence[Kind] = tuple(Kind),
) -> list[PairAgreement]:
    """Per pair of annotators and kind, over the articles asked for (default: all)."""
    with library.database.reading() as session:
        rows, lengths = store.marks_for_agreement(session, article_ids)
    missing = sorted(set(article_ids or ()) - set(lengths))
    if missing:
        raise NotFound(f"no article {missing[0]}")
    marks = [Mark(a, k, s, e, who, uuid) for a, k, s, e, who, uuid in rows]
    people = sorted({m.annotator for m in marks})
    if between is not None:
        a, b = between
        if a == b:
            raise AgreementError("--between needs two different annotators")
        for name in (a, b):
            if name not in people:
                known = ", ".join(people) or "nobody yet"
                raise AgreementError(f"{name!r} made no marks here (annotators: {known})")
    elif len(people) < 2:
        who = f"only {people[0]}" if people else "nobody"
        raise AgreementError(
            f"agreement needs marks by two annotators; {who} marked these articles "
            "(mark as someone with: nkreader --as NAME)"
        )
    return agreement(marks, lengths, kinds=[k.value for k in kinds], between=between)


@dataclass(frozen=True)
class AgreementReview:
    """What the agreement screen shows for one scope (an article, or the whole library)."""

    article_ids: tuple[int, ...] | None
    """The articles looked at (None: the whole library)."""
    annotators: list[str]
    """Who marked something in the scope, alphabetically."""
    everyone: list[str]
    """Who marked something anywhere in the library (to say where else there is a second one)."""
    results: list[PairAgreement] = field(default_factory=list)
    """Per pair and kind, as `nkreader agreement` prints them (empty under two annotators)."""
    differences: list[Disagreement] = field(default_factory=list)
    """To step through: by pair, article and position, a kind change once (`text.agreement.differences`)."""
    texts: dict[str, str] = field(default_factory=dict)
    """The marked text of each mark in `differences`, by uuid."""
    titles: dict[int, str] = field(default_factory=dict)
    """The title of each article in `differences`, by id."""

    @property
    def shared_articles(self) -> bool:
        """Whether some pair marked the same article at all (otherwise there is nothing to compare)."""
        return any(r.characters for r in self.results)


def agreement_review(library: Library, article_ids: Sequence[int] | None = None) -> AgreementReview:
    """Figures for every pair and kind and the disagreements to review, over `article_ids`
    (default: every article), read in one snapshot. Never raises AgreementError: fewer than two
    annotators is a state the screen explains, not an error."""
    scope = tuple(article_ids) if article_ids else None
    with library.database.reading() as session:
        rows, lengths = store.marks_for_agreement(session, scope)
        everyone = store.annotators(session)
        marks = [Mark(a, k, s, e, who, uuid) for a, k, s, e, who, uuid in rows if a in lengths]
        people = sorted({m.annotator for m in marks})
        if len(people) < 2:
            return AgreementReview(scope, people, everyone)
        results = agreement(marks, lengths, kinds=[k.value for k in Kind])
        found = differences(results)
        texts = store.mark_texts(session, [m.uuid for d in found for m in d.marks])
        titles = store.article_titles(session, [d.article_id for d in found])
    return AgreementReview(scope, people, everyone, results, found, texts, titles)
