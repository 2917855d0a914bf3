"""Agreement between the library's annotators (issue 11): read the marks, compute, report.

The figures are computed by `text.agreement` (pure, tested on its own); this reads the marks of
the articles asked for in one snapshot and names what cannot be compared.
"""

from __future__ import annotations

from collections.abc import Sequence

from nkreader.domain import Kind
from nkreader.services.library import Library
from nkreader.store import annotators as store
from nkreader.store.errors import NotFound
from nkreader.text.agreement import Disagreement, Mark, PairAgreement, agreement

__all__ = ["AgreementError", "Disagreement", "PairAgreement", "annotators", "library_agreement"]


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
