"""Re-anchoring: find where an annotation's passage went when the text of its article changed.

An annotation keeps a position selector (start, end: code point offsets) and a quote selector
(exact text, and up to 32 characters of prefix and suffix). Given those and the new body,
`TextIndex.locate` returns where the passage now is and how sure that is:

1. **anchored** — the exact text is still at the stored offsets (and its context still fits), or
   it is elsewhere only because text was added or removed around it: its prefix and suffix are
   unchanged (the offsets follow; nothing for the analyst to check);
2. **moved** — the exact text is elsewhere with other words around it: of all its occurrences, the
   one whose prefix and suffix fit best, and among equals the one nearest the old place, wins;
3. **fuzzy** — the text was edited: an approximate match within an edit-distance budget
   proportional to its length (`FUZZY_BUDGET`), scored with its context (rapidfuzz);
4. **orphaned** — none of the above: the caller keeps the old quote and says so.

Comparisons are made on a *folded* form of both texts, with an offset map back to the real
body: Unicode NFC, curly quotes and apostrophes as straight ones, dashes as `-`, every run of
whitespace (line breaks included, so reflowed paragraphs still match) as one space, soft hyphens
and zero-width spaces dropped. A passage that differs from the new text only by such
typography is not an edit: it is anchored (same offsets) or moved.

Building the folded body is linear and done once per body (`TextIndex`), lazily: most
annotations are settled by step 1 on the raw text. Pure functions; no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz.distance import Indel, Levenshtein

from nkreader.domain import CONTEXT_CHARS, AnchorState, Annotation, quote_context

__all__ = [
    "FUZZY_BUDGET",
    "Anchor",
    "Quote",
    "TextIndex",
    "fold",
    "locate",
    "locate_all",
    "reanchor",
    "reanchor_many",
]

FUZZY_BUDGET = 0.25
"""Largest edit distance a fuzzy match may have, as a fraction of the passage's length."""

MIN_FUZZY_LENGTH = 8
"""Passages shorter than this (folded) are never matched approximately: too many false friends."""

SHORT_PASSAGE = 32
"""An edited passage shorter than this (folded) must also keep its context (fit ≥ `STAY_FIT`)."""

ACCEPT_SCORE = 0.72
"""A fuzzy candidate needs 0.7 × similarity + 0.3 × context fit at least this high."""

STAY_FIT = 0.5
"""The exact text at the stored offsets is kept there when its context fits at least this well."""

NEARNESS = 0.05
"""Weight of the distance from the old place (as a fraction of the body) in every score."""

LOCAL_RADIUS = 4_000
"""Fuzzy matches are looked for this many characters (plus 4 × the passage) around the expected
place first; the whole body is searched only when nothing is found there."""

MAX_REFINE = 128
"""How far (in characters) the edges of a fuzzy match may be moved to bring it closer to the old text."""

MAX_OCCURRENCES = 20_000
MAX_SEED_HITS = 64
MAX_CLUSTERS = 8


@dataclass(frozen=True, slots=True)
class Quote:
    """What an annotation remembers of its passage: both selectors."""

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where the passage is in the new body. For an orphan, the old offsets clamped to the body."""

    start: int
    end: int
    state: AnchorState
    score: float
    """Similarity of the text found to the old exact text (folded): 1.0 unless fuzzy, 0.0 for orphans."""

    @property
    def orphaned(self) -> bool:
        return self.state is AnchorState.ORPHANED


# --------------------------------------------------------------------------- folding

_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    chr(c) for c in range(0x2000, 0x200B)
)
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u02bb\uff07\u0060\u00b4"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u301d\u301e\u301f\uff02"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(map(ord, _SPACES), " "),
        **dict.fromkeys(map(ord, _SINGLE_QUOTES), "'"),
        **dict.fromkeys(map(ord, _DOUBLE_QUOTES), '"'),
        **dict.fromkeys(map(ord, _DASHES), "-"),
    }
)
_DROPPED = "\u00ad\u200b\u2060\ufeff"
_SQUEEZE = re.compile(f"[ {_DROPPED}]{{2,}}|[{_DROPPED}]")


def _squeeze(match: re.Match[str]) -> str:
    return " " if " " in match.group() else ""


def fold(text: str) -> str:
    """The folded form of a short string (a quote, a prefix): what `TextIndex` compares on."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    return _SQUEEZE.sub(_squeeze, text)


def _is_mark(ch: str) -> bool:
    """A character NFC may compose into the one before it (combining mark, Hangul vowel/final)."""
    return unicodedata.combining(ch) != 0 or "\u1160" <= ch <= "\u11ff" or "\ud7b0" <= ch <= "\ud7ff"


class _Map:
    """A piecewise one-for-one map between offsets of a derived text and of its source.

    Segment k maps derived offsets from `dpos[k]` on to source offsets from `spos[k]` on, one for
    one, up to the next breakpoint; breakpoints sit only where a length changed.
    """

    __slots__ = ("dpos", "spos")

    def __init__(self) -> None:
        self.dpos = [0]
        self.spos = [0]

    def add(self, derived: int, source: int) -> None:
        if self.dpos[-1] == derived:
            self.spos[-1] = source
        else:
            self.dpos.append(derived)
            self.spos.append(source)

    def to_source(self, d: int) -> int:
        k = bisect_right(self.dpos, d) - 1
        s = self.spos[k] + (d - self.dpos[k])
        return min(s, self.spos[k + 1]) if k + 1 < len(self.spos) else s

    def to_derived(self, s: int) -> int:
        k = bisect_right(self.spos, s) - 1
        d = self.dpos[k] + (s - self.spos[k])
        return min(d, self.dpos[k + 1]) if k + 1 < len(self.dpos) else d


def _compose(body: str) -> tuple[str, _Map]:
    """NFC, cluster by cluster (a base and the marks after it), with the map back to `body`."""
    out: list[str] = []
    mapping = _Map()
    i, n, d = 0, len(body), 0
    while i < n:
        j = i + 1
        while j < n and _is_mark(body[j]):
            j += 1
        cluster = body[i:j] if j - i == 1 else unicodedata.normalize("NFC", body[i:j])
        out.append(cluster)
        d += len(cluster)
        if len(cluster) != j - i:
            mapping.add(d, j)
        i = j
    return "".join(out), mapping


def _squeezed(text: str) -> tuple[str, _Map]:
    """`text` (already translated) with space runs squeezed and invisible characters dropped."""
    parts: list[str] = []
    mapping = _Map()
    last = 0
    d = 0
    for match in _SQUEEZE.finditer(text):
        a, b = match.span()
        replacement = _squeeze(match)
        parts.append(text[last:a])
        parts.append(replacement)
        d += (a - last) + len(replacement)
        mapping.add(d, b)
        last = b
    if not parts:
        return text, mapping
    parts.append(text[last:])
    return "".join(parts), mapping


class _Folded:
    """A folded body and the maps from its offsets back to the real body's."""

    __slots__ = ("_maps", "length", "text")

    def __init__(self, body: str) -> None:
        self.length = len(body)
        maps: list[_Map] = []
        if not unicodedata.is_normalized("NFC", body):
            body, composed = _compose(body)  # rare: stored bodies are NFC already
            maps.append(composed)
        self.text, squeezed = _squeezed(body.translate(_TRANSLATE))
        maps.append(squeezed)
        self._maps = maps[::-1]  # folded -> ... -> real

    def to_real(self, f: int) -> int:
        for mapping in self._maps:
            f = mapping.to_source(f)
        return max(0, min(f, self.length))

    def to_folded(self, o: int) -> int:
        for mapping in reversed(self._maps):
            o = mapping.to_derived(o)
        return max(0, min(o, len(self.text)))


# --------------------------------------------------------------------------- matching


def _find_all(
    text: str, needle: str, limit: int = MAX_OCCURRENCES, lo: int = 0, hi: int | None = None
) -> list[int]:
    found: list[int] = []
    hi = len(text) if hi is None else hi
    i = text.find(needle, lo, hi)
    while i >= 0 and len(found) < limit:
        found.append(i)
        i = text.find(needle, i + 1, hi)
    return found


def _context_fit(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around [start, end) matches the remembered prefix and suffix (0..1).

    An empty prefix (suffix) means the passage began (ended) the body: it fits where that is
    still true.
    """
    before = (
        Indel.normalized_similarity(prefix, text[max(0, start - len(prefix)) : start])
        if prefix
        else float(start == 0)
    )
    after = (
        Indel.normalized_similarity(suffix, text[end : end + len(suffix)])
        if suffix
        else float(end == len(text))
    )
    return (before + after) / 2


def _map_boundary(opcodes: Iterable[object], i: int, *, start: bool) -> int:
    """Where boundary `i` of the source string falls in the destination, per an alignment.

    A start boundary lands before the first destination character aligned with source[i];
    an end boundary right after the one aligned with source[i - 1]. Destination text inserted
    exactly at the boundary stays outside the passage.
    """
    last_j = 0
    for op in opcodes:
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end  # type: ignore[attr-defined]
        last_j = j2
        if i1 == i2:  # insertion into the destination
            continue
        if (start and i1 <= i < i2) or (not start and i1 < i <= i2):
            offset = i - i1
        else:
            continue
        if tag == "delete":
            return j1
        return j1 + min(offset, j2 - j1)
    return last_j


def _refine(
    text: str, needle: str, prefix: str, suffix: str, s: int, e: int, reach: int
) -> tuple[int, int, int]:
    """Move each end of [s, e) by up to `reach` to where passage and context read closest to the old.

    An alignment with the surrounding window may put an edge a few words off when the same words
    occur in the context (a deleted first word reappearing in the prefix). Each edge is set where
    the edit distance of the passage plus that of the context beside the edge is least (nearest
    the aligned edge among equals). Returns (start, end, edit distance of the passage).
    """

    def inner(a: int, b: int) -> int:
        return Levenshtein.distance(needle, text[a:b]) if a < b else len(needle)

    def before(a: int) -> int:
        return Levenshtein.distance(prefix, text[max(0, a - len(prefix)) : a]) if prefix else 0

    def after(b: int) -> int:
        return Levenshtein.distance(suffix, text[b : b + len(suffix)]) if suffix else 0

    best = min(
        (inner(a, e) + before(a), abs(a - s), a) for a in range(max(0, s - reach), min(e - 1, s + reach) + 1)
    )
    s = best[2]
    best = min(
        (inner(s, b) + after(b), abs(b - e), b)
        for b in range(max(s + 1, e - reach), min(len(text), e + reach) + 1)
    )
    e = best[2]
    return s, e, inner(s, e)


class TextIndex:
    """One new body, ready to have many annotations re-anchored on it.

    It learns from each passage it places how far text has shifted there, and expects the next
    passage near its old place plus the shift of its nearest placed neighbour: give it the
    annotations in text order (`locate_all` and `reanchor_many` do).
    """

    def __init__(self, body: str) -> None:
        self.body = body
        self._folded: _Folded | None = None
        self._old: list[int] = []  # old starts of passages placed so far, sorted
        self._new: list[int] = []  # ... and where they went

    @property
    def folded(self) -> _Folded:
        if self._folded is None:
            self._folded = _Folded(self.body)
        return self._folded

    def locate(self, quote: Quote) -> Anchor:
        """Where `quote`'s passage is in this body (see the module's docstring for the steps)."""
        anchor = self._locate(quote)
        if anchor.state is not AnchorState.ORPHANED:
            k = bisect_right(self._old, quote.start)
            self._old.insert(k, quote.start)
            self._new.insert(k, anchor.start)
        return anchor

    def _expected(self, old_start: int) -> int:
        """Where the passage that began at `old_start` probably begins now (real offset)."""
        k = bisect_right(self._old, old_start)
        neighbours = [j for j in (k - 1, k) if 0 <= j < len(self._old)]
        if not neighbours:
            return old_start
        j = min(neighbours, key=lambda j: abs(self._old[j] - old_start))
        return old_start + self._new[j] - self._old[j]

    def _locate(self, quote: Quote) -> Anchor:
        body = self.body
        start, end, exact = quote.start, quote.end, quote.exact
        if (
            exact
            and start >= 0
            and body.startswith(exact, start)
            and _context_fit(body, start, start + len(exact), quote.prefix, quote.suffix) >= STAY_FIT
        ):
            return Anchor(start, start + len(exact), AnchorState.ANCHORED, 1.0)
        needle = fold(exact).strip(" ")
        if not needle:
            return self._orphan(quote)
        folded = self.folded
        prefix, suffix = fold(quote.prefix), fold(quote.suffix)
        expected = folded.to_folded(min(max(self._expected(start), 0), len(body)))
        found = self._exact(needle, prefix, suffix, expected)
        fuzzy = None
        if found is None or found[2] < STAY_FIT:
            # no copy of the exact text, or only copies out of context: an edited passage in its
            # old context beats a copy elsewhere
            fuzzy = self._fuzzy(needle, prefix, suffix, expected)
            if found is not None and fuzzy is not None and fuzzy[3] <= 0.7 + 0.3 * found[2]:
                fuzzy = None
        if fuzzy is None and found is not None:
            s, e = self._real_span(found[0], found[1], exact)
            kept = (s, e) == (start, end) or self._context_kept(found[0], found[1], s, e, prefix, suffix)
            return Anchor(s, e, AnchorState.ANCHORED if kept else AnchorState.MOVED, 1.0)
        if fuzzy is None:
            return self._orphan(quote)
        s, e = self._real_span(fuzzy[0], fuzzy[1], exact)
        if e <= s:
            return self._orphan(quote)
        return Anchor(s, e, AnchorState.FUZZY, round(fuzzy[2], 4))

    # ------------------------------------------------------------------ steps

    def _orphan(self, quote: Quote) -> Anchor:
        n = len(self.body)
        start = max(0, min(quote.start, n))
        return Anchor(start, max(start, min(quote.end, n)), AnchorState.ORPHANED, 0.0)

    def _context_kept(self, fs: int, fe: int, s: int, e: int, prefix: str, suffix: str) -> bool:
        """True when the passage (folded [fs, fe), real [s, e)) still has the words it had around it.

        Text added or removed elsewhere shifts offsets without moving the passage relative to its
        context: that is not news to the analyst and must not raise a `moved` cue. A passage that began
        (ended) the body keeps its context when it still begins (ends) a paragraph.
        """
        text, body = self.folded.text, self.body
        if prefix:
            before_ok = text[max(0, fs - len(prefix)) : fs] == prefix
        else:
            before_ok = body[:s].rstrip(" \t").endswith("\n") or not body[:s].strip()
        if suffix:
            after_ok = text[fe : fe + len(suffix)] == suffix
        else:
            after_ok = body[e:].lstrip(" \t").startswith("\n") or not body[e:].strip()
        return before_ok and after_ok

    def _nearness(self, at: int, expected: int) -> float:
        return NEARNESS * abs(at - expected) / max(1, len(self.folded.text))

    def _exact(self, needle: str, prefix: str, suffix: str, expected: int) -> tuple[int, int, float] | None:
        """The occurrence of `needle` whose context fits best (nearest among equals), and its fit."""
        text = self.folded.text
        best: tuple[float, int, float] | None = None
        m = len(needle)
        for at in _find_all(text, needle):
            fit = _context_fit(text, at, at + m, prefix, suffix)
            score = fit - self._nearness(at, expected)
            if best is None or score > best[0]:
                best = (score, at, fit)
        return None if best is None else (best[1], best[1] + m, best[2])

    @staticmethod
    def _seeds(needle: str, prefix: str, suffix: str) -> list[tuple[str, int]]:
        """Pieces to look for, each with the offset of the passage's start relative to it.

        Pieces of the passage (one survives any few edits) and the ends of its context next to it
        (intact when the edit is inside the passage).
        """
        m = len(needle)
        size = max(5, min(24, m // 8))
        seeds = [(needle[i : i + size], -i) for i in range(0, m - size + 1, size)]
        if m % size:
            seeds.append((needle[m - size :], -(m - size)))
        context = max(size, 8)
        if len(prefix) >= context:
            seeds.append((prefix[-context:], context))
        if len(suffix) >= context:
            seeds.append((suffix[:context], -m))
        return seeds

    def _fuzzy(
        self, needle: str, prefix: str, suffix: str, expected: int
    ) -> tuple[int, int, float, float] | None:
        """The best approximate match: (start, end, similarity, score) in folded offsets.

        Looked for near the expected place first, then, failing that, in the whole body.
        """
        m = len(needle)
        budget = int(m * FUZZY_BUDGET)
        if m < MIN_FUZZY_LENGTH or budget < 1:
            return None
        n = len(self.folded.text)
        radius = LOCAL_RADIUS + 4 * m
        lo, hi = max(0, expected - radius), min(n, expected + m + radius)
        found = self._fuzzy_in(needle, prefix, suffix, expected, budget, lo, hi)
        if found is None and (lo > 0 or hi < n):
            found = self._fuzzy_in(needle, prefix, suffix, expected, budget, 0, n)
        return found

    def _fuzzy_in(
        self, needle: str, prefix: str, suffix: str, expected: int, budget: int, lo: int, hi: int
    ) -> tuple[int, int, float, float] | None:
        text = self.folded.text
        m = len(needle)
        votes: list[tuple[int, int]] = []  # (candidate start, seed number)
        for number, (piece, shift) in enumerate(self._seeds(needle, prefix, suffix)):
            hits = _find_all(text, piece, MAX_SEED_HITS + 1, lo, hi)
            if len(hits) > MAX_SEED_HITS:
                continue  # not selective: "of the", a repeated phrase
            votes.extend((hit + shift, number) for hit in hits)
        if not votes:
            return None
        clusters = self._clusters(votes, budget + 2)
        clusters.sort(key=lambda c: (-c[1], abs(c[0] - expected)))
        query = prefix + needle + suffix
        best: tuple[float, int, int, float] | None = None
        for candidate, _ in clusters[:MAX_CLUSTERS]:
            w0 = max(0, candidate - budget - len(prefix))
            w1 = min(len(text), candidate + m + budget + len(suffix))
            opcodes = Levenshtein.opcodes(query, text[w0:w1])
            s = w0 + _map_boundary(opcodes, len(prefix), start=True)
            e = w0 + _map_boundary(opcodes, len(prefix) + m, start=False)
            while s < e and text[s] == " ":
                s += 1
            while e > s and text[e - 1] == " ":
                e -= 1
            if e <= s:
                continue
            s, e, distance = _refine(text, needle, prefix, suffix, s, e, min(budget, MAX_REFINE))
            if distance > budget:
                continue
            similarity = 1 - distance / max(m, e - s)
            fit = _context_fit(text, s, e, prefix, suffix)
            score = 0.7 * similarity + 0.3 * fit - self._nearness(s, expected)
            if m < SHORT_PASSAGE and fit < STAY_FIT:
                continue  # a few words, edited, out of context: more likely a look-alike
            if score >= ACCEPT_SCORE and (best is None or score > best[0]):
                best = (score, s, e, similarity)
        return None if best is None else (best[1], best[2], best[3], best[0])

    @staticmethod
    def _clusters(votes: list[tuple[int, int]], tolerance: int) -> list[tuple[int, int]]:
        """Group candidate starts lying within `tolerance` of each other: (median start, seeds agreeing)."""
        votes.sort()
        clusters: list[tuple[int, int]] = []
        group: list[tuple[int, int]] = [votes[0]]
        for vote in votes[1:]:
            if vote[0] - group[-1][0] <= tolerance:
                group.append(vote)
                continue
            clusters.append((group[len(group) // 2][0], len({n for _, n in group})))
            group = [vote]
        clusters.append((group[len(group) // 2][0], len({n for _, n in group})))
        return clusters

    def _real_span(self, fs: int, fe: int, exact: str) -> tuple[int, int]:
        """Folded span -> real span, with the old exact text's own edge whitespace kept."""
        folded = self.folded
        body = self.body
        s, e = folded.to_real(fs), folded.to_real(fe)
        while s < e and body[s].isspace():
            s += 1
        while e > s and body[e - 1].isspace():
            e -= 1
        lead = len(exact) - len(exact.lstrip())
        trail = len(exact) - len(exact.rstrip())
        if lead and body[max(0, s - lead) : s] == exact[:lead]:
            s -= lead
        if trail and body[e : e + trail] == exact[len(exact) - trail :]:
            e += trail
        return s, e


def locate(body: str, quote: Quote) -> Anchor:
    """Where `quote`'s passage is in `body`; for many quotes on one body use `TextIndex`."""
    return TextIndex(body).locate(quote)


def locate_all(body: str, quotes: Iterable[Quote]) -> list[Anchor]:
    """Locate many quotes on one body; answers in the order given (worked out in text order)."""
    quotes = list(quotes)
    index = TextIndex(body)
    anchors: dict[int, Anchor] = {}
    for i in sorted(range(len(quotes)), key=lambda i: (quotes[i].start, quotes[i].end)):
        anchors[i] = index.locate(quotes[i])
    return [anchors[i] for i in range(len(quotes))]


# --------------------------------------------------------------------------- annotations


def reanchor(text: str | TextIndex, annotation: Annotation) -> Annotation:
    """The one re-anchoring rule: `annotation` placed on a (new) text, with new offsets, quote
    selector and anchor state. Used by `import --update` and by annotation imports alike.

    - found (anchored, moved, fuzzy): offsets, exact text, prefix and suffix are taken from the
      new text; an annotation that was `fuzzy` stays `fuzzy` (nobody has checked that
      approximate match yet), even if this text holds its passage exactly;
    - orphaned: it keeps its exact text and quote context (what it was made on, the context cut
      to `CONTEXT_CHARS`) and its offsets are clamped to the text, so it can be re-attached.

    Nothing else changes (note, tags, times: the caller moves `updated_at` on if it stores it).
    For many annotations on one text, pass one `TextIndex` (or use `reanchor_many`).
    """
    index = text if isinstance(text, TextIndex) else TextIndex(text)
    anchor = index.locate(
        Quote(annotation.start, annotation.end, annotation.exact, annotation.prefix, annotation.suffix)
    )
    if anchor.orphaned:
        return replace(
            annotation,
            start=anchor.start,
            end=anchor.end,
            prefix=annotation.prefix[-CONTEXT_CHARS:],
            suffix=annotation.suffix[:CONTEXT_CHARS],
            anchor_state=AnchorState.ORPHANED,
        )
    exact, prefix, suffix = quote_context(index.body, anchor.start, anchor.end)
    state = AnchorState.FUZZY if annotation.anchor_state is AnchorState.FUZZY else anchor.state
    return replace(
        annotation,
        start=anchor.start,
        end=anchor.end,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        anchor_state=state,
    )


def reanchor_many(text: str | TextIndex, annotations: Iterable[Annotation]) -> list[Annotation]:
    """`reanchor` for every annotation on one text; answers in the order given (worked out in
    text order, so the index's caches serve neighbours)."""
    items = list(annotations)
    index = text if isinstance(text, TextIndex) else TextIndex(text)
    placed: dict[int, Annotation] = {}
    for i in sorted(range(len(items)), key=lambda i: (items[i].start, items[i].end)):
        placed[i] = reanchor(index, items[i])
    return [placed[i] for i in range(len(items))]
