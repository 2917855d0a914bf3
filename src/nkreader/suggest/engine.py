"""Run every rule over one article and return its suggestions in text order."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from nkreader.domain import Kind
from nkreader.suggest.mentions import Mentions
from nkreader.suggest.model import SpeakerBook, Suggestion, suggestion_key
from nkreader.text.segment import sentence_spans


def suggest(
    body: str,
    *,
    kinds: Iterable[Kind | str] | None = None,
    speakers: SpeakerBook | None = None,
    rejected: Collection[tuple[str, str]] = (),
    existing: Iterable[tuple[Kind | str, int, int]] = (),
    min_score: float = 0.5,
) -> list[Suggestion]:
    """Suggestions for ``body``.

    ``kinds`` limits what is looked for; ``speakers`` resolves speakers to the library's names;
    ``rejected`` holds ``suggestion_key``s the user turned down (never suggested again);
    ``existing`` holds (kind, start, end) of annotations already made: a suggestion overlapping
    an annotation of its kind is left out (it is already marked).
    """
    from nkreader.suggest.quotes import find_quote_suggestions
    from nkreader.suggest.statements import find_statement_suggestions

    wanted = {Kind(k) for k in kinds} if kinds else set(Kind)
    sentences = sentence_spans(body)
    mentions = Mentions()
    found: list[Suggestion] = []
    quotes = find_quote_suggestions(body, sentences, mentions)
    if Kind.QUOTE in wanted:
        found.extend(quotes)
    if wanted & {Kind.POLICY, Kind.CLAIM}:
        found.extend(
            s for s in find_statement_suggestions(body, sentences, quotes, mentions) if s.kind in wanted
        )
    marked: dict[Kind, list[tuple[int, int]]] = {}
    for kind, start, end in existing:
        marked.setdefault(Kind(kind), []).append((start, end))
    book = speakers or SpeakerBook()
    out = []
    for s in found:
        if s.score < min_score or suggestion_key(s.kind, s.exact) in rejected:
            continue
        if any(a < s.end and s.start < b for a, b in marked.get(s.kind, ())):
            continue
        known = book.resolve(s.speaker)
        if known is not None:
            s = _with_known(s, known)
        out.append(s)
    out.sort(key=lambda s: (s.start, s.end, list(Kind).index(s.kind)))
    return out


def _with_known(s: Suggestion, known: str) -> Suggestion:
    from dataclasses import replace

    reason = s.reason if known == s.speaker else f"{s.reason} → {known}"
    return replace(s, known_speaker=known, reason=reason)
