"""Direct quotes and their speakers, English and Korean.

A quoted span is suggested only when something says who spoke it: a reporting verb beside it
("…," said X / X said, "…" / X told Y: "…" / "…"고 말했다), "according to X", or its place
right after another quote of a known speaker (the next sentence, the next paragraph). Short
quoted terms, names and titles with no such frame are scare quotes and never suggested.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from nkreader.domain import Kind
from nkreader.suggest import lexicon as lx
from nkreader.suggest.lexicon import rx
from nkreader.suggest.marks import QuoteMarks, find_quotes
from nkreader.suggest.mentions import Mentions
from nkreader.suggest.model import Suggestion
from nkreader.suggest.quote_frame import _Context, _Found, _is_korean, _set
from nkreader.suggest.quotes_ko import _attribute_korean, _korean_topic

_TERMINAL = re.compile(r"[.?!…。？！]\s*[’']?\s*$|[.?!]\s")
_LEAD = re.compile(r"^(?:and|but|or|so|then|when|while|as|that|which|because|although|though|once)\s+", re.I)
_BAD_WHO = re.compile(
    r"^(?:and|but|or|that|which|in|on|at|to|is|was|are|were|if|unless|whether|because|when|while|after|"
    r"before|it\s+is|the\s+(?:day|year|week))\b",
    re.I,
)
_WHO_TAIL = re.compile(
    r"\s+(?:in|on|during|through)\s+(?:a|an|his|her|its|the|their)\s+(?:statement|interview|speech|message|post|"
    r"article|report|commentary|phone|call|telephone|meeting|briefing|press)\b.*$|\s+(?:as|that|then|also|later|simply)$"
)
_LEADING_TIME = re.compile(
    r"^(?:in|on|at|by|after|before|during|last|this|that)\s+(?:\w+\s+){0,2}?(?=(?:the|a|an|my|our|his|her)\s)",
    re.I,
)
_DESCRIBED = re.compile(r"^(?:a|an|another|the|one)\s+[a-z]", re.I)
_APPOSED_NAME = re.compile(
    r"^\s*((?:(?:Mr|Mrs|Ms|Dr|Prof)\.\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3})(?:\s+(?:of|at|from|with)\b.*)?$"
)
_PLACE_WORD = re.compile(
    r"\b(?:Province|City|County|District|Region|Island|Korea|China|Russia|Japan|States|Pyongyang|Seoul|Beijing)\b"
)
_NAMING_BEFORE = re.compile(
    r"(?:\bcalls?|\bcalled|\bdubbed|\btermed|\bknown\s+as|\bso-called|\bnicknamed|\blabell?ed|\bbranded)\s+(?:(?:it|the|a|an|its|their)\s+)?$|\bso-called\s*$",
    re.I,
)
_CLOSE_PUNCT = re.compile(r"[,?!.…]\s*[’']?\s*$")


def _preview(inner: str) -> str:
    words = inner.split()
    text = " ".join(words[:4])
    return f"“{text}…”" if len(words) > 4 else f"“{text}”"


def looks_like_scare_quote(inner: str) -> str | None:
    """Why a quoted span is a term, a name or a title rather than speech (None: it may be speech)."""
    text = inner.strip()
    korean = _is_korean(text)
    words = text.split()
    has_terminal = bool(_TERMINAL.search(text))
    if korean:
        if len(words) < 2 and not has_terminal:
            return "a short quoted term"
        return None
    if len(words) < 4 and not has_terminal:
        return "a short quoted term"
    alpha = [w for w in words if w[:1].isalpha()]
    capital = [w for w in alpha if w[:1].isupper()]
    minor = {"of", "the", "and", "for", "in", "on", "to", "a", "an", "at", "with"}
    content = [w for w in alpha if w.lower() not in minor]
    if len(content) >= 2 and len(capital) >= 0.8 * len(content) and not rx(r"[.?!]\s*$").search(text):
        return "a title or a name"
    return None


def _subject(text: str) -> str | None:
    """The speaker in the words before a reporting verb: "Asked about it, a spokesperson for X"."""
    text = text.strip()
    if not text:
        return None
    # "Park Seon-a, an economist at …, said": the name before the apposition; else the last clause.
    # "A second analyst, Dr. Hana Lindqvist of …, said": the name, not the description.
    parts = text.split(",")
    if text.endswith(",") and len(parts) >= 3 and _DESCRIBED.match(parts[0].strip()):
        named = _APPOSED_NAME.match(parts[1])
        if named and not _PLACE_WORD.search(named.group(1)):
            return named.group(1)
    text = text.split(",", 1)[0] if text.endswith(",") else text.rsplit(",", 1)[-1]
    text = _LEADING_TIME.sub("", _LEAD.sub("", text.strip()))
    text = rx(r"\s+(?:and|but|who|which|that)$").sub("", text)
    text = rx(r"\s+(?:did|does|do|would|could|will|has|had|have)(?:\s+not|n[’']t)?$").sub("", text)
    text = lx.ACTION_VERB.sub("", text)
    text = rx(r"\s+(?:and|but)\s+").split(text)[0]
    words = text.split()
    if not words or len(words) > 14:
        return None
    text = " ".join(words).strip(" ,.:;'‘’")
    if not text or _BAD_WHO.match(text) or rx(r"[“”\"]").search(text):
        return None
    return text


def _clean_who(who: str) -> str | None:
    who = " ".join(who.split()).strip(" ,:;")
    who = rx(r"\s+(?:was|were|is|has\s+been|had\s+been)$").sub("", who)
    who = (
        _WHO_TAIL.sub("", who).rstrip(" ,.")
        if not rx(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Jr|St)\.$").search(who)
        else who
    )
    if not who or _BAD_WHO.match(who) or len(who.split()) > 14:
        return None
    return who


_ACCORDING_START = re.compile(r"\s*according\s+to\s+([^,]{2,100}),", re.I)
_PARTICIPLE = re.compile(r"ing$")
_NOT_SPEECH_BEFORE = frozenset({"continued", "read", "went on", "reads"})


def _before_text(ctx: _Context, q: QuoteMarks, prev_end: int) -> str:
    start = max(ctx.sentence_start(q.start), prev_end, ctx.paragraph_start(q.start))
    return ctx.body[start : q.start]


def _attribute_english(ctx: _Context, q: QuoteMarks, prev_end: int, inner: str) -> _Found:
    body = ctx.body
    found = _Found(q)
    before = _before_text(ctx, q, prev_end)
    verbs = [v for v in lx.SPEECH_VERB.finditer(before) if v.group(0) not in _NOT_SPEECH_BEFORE]
    if verbs:
        # X said, "…" / X told Y: "…": the last verb, right before the mark.
        verb = verbs[-1]
        tail = before[verb.end() :]
        if rx(r"(?:\s+(?:[\w’'.-]+\s+){0,6}?[\w’'.-]+)?\s*[:,]\s*").fullmatch(tail):
            first = verbs[0] if _PARTICIPLE.search(verb.group(0)) else verb
            who = _subject(before[: first.start()])
            if who:
                return _set(found, who, verb.group(0), "quote.X-said-colon", 0.9)
    after = body[q.end : min(ctx.paragraph_end(q.end), q.end + 200)]
    standalone = bool(_CLOSE_PUNCT.search(inner)) or after[:1] == ","
    m = lx.AFTER_VERB_FIRST.match(after) if standalone else None
    if m and (who := _clean_who(m.group("who"))):
        return _set(found, who, m.group("verb"), "quote.said-X", 0.95)
    m = lx.QUOTED_AS.search(after[:160])
    if m and (who := _clean_who(m.group("who"))) and not lx.SPEECH_VERB.search(after[: m.start()]):
        return _set(found, who, "quoted … as saying", "quote.quoted-as-saying", 0.9)
    m = lx.AFTER_SUBJECT_FIRST.match(after)
    if m and (who := _clean_who(m.group("who"))) and (standalone or len(inner.split()) >= 4):
        new_sentence = bool(rx(r"[.?!]\s*$").search(inner)) and who[:1].isupper()
        if not (new_sentence and not _NAMEISH.match(who)) and not rx(r"\b(?:not|n[’']t|never)\b").search(who):
            return _set(found, who, m.group("verb"), "quote.X-said", 0.95)
    m = lx.ACCORDING_TO.match(after[1:].lstrip()) if after[:1] == "," else None
    if m and (who := _clean_who(m.group("who"))):
        return _set(found, who, "according to", "quote.according-to", 0.85)
    if verbs and len(inner.split()) >= 4:
        # A partial quote: He said that the year had been "a period of …".
        verb = verbs[0]
        tail = before[verb.end() :]
        who = _subject(before[: verb.start()])
        if who and len(tail) < 200 and not _NAMING_BEFORE.search(tail):
            return _set(found, who, verb.group(0), "quote.partial", 0.75)
    m = _ACCORDING_START.match(before)
    if m and (who := _clean_who(m.group(1))):
        return _set(found, who, "according to", "quote.according-to", 0.85)
    return found


_NAMEISH = re.compile(r"^(?:[A-Z][\w’'-]+\.?\s+){0,3}[A-Z][\w’'-]+$|^(?:He|She|They|I|We)$")


def find_quote_suggestions(
    body: str, sentences: list[tuple[int, int]], mentions: Mentions
) -> list[Suggestion]:
    ctx = _Context(body, sentences)
    quotes = find_quotes(body)
    results: list[_Found] = []
    prev_end = 0
    mention_sentences = iter(sentences)
    next_sentence = next(mention_sentences, None)
    for q in quotes:
        while next_sentence is not None and next_sentence[0] < q.start:
            s, e = next_sentence
            mentions.scan(s, body[s:e])
            next_sentence = next(mention_sentences, None)
        inner = q.inner(body)
        if _is_korean(body[q.end : q.end + 3]) or _is_korean(inner):
            found = _attribute_korean(ctx, q, prev_end)
            if not found.rule and not found.chained:
                eng = _attribute_english(ctx, q, prev_end, inner)
                found = eng if eng.rule else found
        else:
            found = _attribute_english(ctx, q, prev_end, inner)
        if body[q.start - 2 : q.start] in (" (", "(“") or body[q.start - 1 : q.start] == "(":
            found.gloss = True  # ("Let us …"): a translation of the quote before it
        if found.written:
            found.speaker = mentions.resolve(found.written, q.start)
            mentions.add(q.start, found.speaker)
        results.append(found)
        prev_end = q.end
    while next_sentence is not None:  # the rest: statements resolve their pronouns too
        mentions.scan(next_sentence[0], body[next_sentence[0] : next_sentence[1]])
        next_sentence = next(mention_sentences, None)
    # A quote chained to the next ("…"며 "…"고 말했다) has the next one's speaker.
    for i in range(len(results) - 2, -1, -1):
        if results[i].chained and results[i + 1].speaker:
            nxt = results[i + 1]
            _set(results[i], nxt.written or "", nxt.verb, nxt.rule, nxt.score)
            results[i].speaker = nxt.speaker
    _continue_speakers(ctx, results, mentions)
    out: list[Suggestion] = []
    for f in results:
        if not f.speaker or f.gloss:
            continue
        inner = f.marks.inner(body)
        scare = looks_like_scare_quote(inner)
        if scare and not (
            f.rule in ("quote.said-X", "quote.X-said", "quote.X-said-colon", "quote.ko-고-말했다")
            and _TERMINAL.search(inner.strip())
        ):
            continue
        written = f.written or f.speaker
        who = written if written == f.speaker else f"{written} (= {f.speaker})"
        verb = f" + {f.verb}" if f.verb else ""
        extra = f" · {f.marks.paragraphs} paragraphs" if f.marks.paragraphs > 1 else ""
        reason = f"{_preview(inner)}{verb} + {who}{extra}"
        out.append(
            Suggestion(
                Kind.QUOTE,
                f.marks.start,
                f.marks.end,
                body[f.marks.start : f.marks.end],
                f.speaker,
                f.score,
                f.rule,
                reason,
            )
        )
    return out


def _continue_speakers(ctx: _Context, results: list[_Found], mentions: Mentions) -> None:
    """An unattributed quote right after an attributed one continues its speaker: the next
    sentence of the same paragraph, or a paragraph that is only a quote; a quote opening a
    sentence right after reported speech ("He added that …. “…”") is that speaker's."""
    body = ctx.body
    previous: _Found | None = None
    attributed: list[_Found] = []
    for f in results:
        if f.gloss:
            continue
        if f.speaker:
            previous = f
            attributed.append(f)
            continue
        if _after_indirect(ctx, f, mentions, attributed[-3:]):
            previous = f
            continue
        thus_start = ctx.sentence_start(max(0, f.marks.start - 2))
        if lx.KO_THUS.search(body[thus_start : f.marks.start].strip()):
            who = _korean_topic(body[thus_start : f.marks.start])
            if who:
                _set(f, who, "이렇게 말했다", "quote.ko-thus", 0.85)
                f.speaker = who
                previous = f
                continue
        if previous is None or looks_like_scare_quote(f.marks.inner(body)):
            continue
        if (
            ctx.sentence_start(f.marks.start) == ctx.sentence_start(previous.marks.start)
            and previous.rule in ("quote.partial", "quote.X-said-colon")
            and len(f.marks.inner(body).split()) >= 3
            and f.marks.start - previous.marks.end < 80
        ):
            _set(f, previous.written or "", previous.verb, "quote.same-sentence", 0.75)
            f.speaker = previous.speaker
            continue
        same_paragraph = ctx.paragraph_start(f.marks.start) == ctx.paragraph_start(previous.marks.end)
        sentence_opener = (
            ctx.sentence_start(f.marks.start) >= previous.marks.end
            or body[ctx.sentence_start(f.marks.start) : f.marks.start].strip() == ""
        )
        if same_paragraph and sentence_opener:
            gap = body[previous.marks.end : f.marks.start]
            if len(gap) < 200:
                _set(f, previous.written or "", "", "quote.continued", 0.85)
                f.speaker = previous.speaker
                continue
        ps = ctx.paragraph_start(f.marks.start)
        pe = ctx.paragraph_end(f.marks.end)
        prev_ps = ctx.paragraph_start(max(0, ps - 2))
        opens = body[ps : f.marks.start].strip() == ""
        if (
            opens
            and previous.marks.end >= prev_ps
            and not same_paragraph
            and not _has_other_speaker(body, f.marks.end, pe)
        ):
            _set(f, previous.written or "", "", "quote.floating", 0.75)
            f.speaker = previous.speaker


def _after_indirect(ctx: _Context, f: _Found, mentions: Mentions, attributed: list[_Found]) -> bool:
    """A long quote opening its sentence, after a sentence of reported speech with a subject
    ("He added that …" / "She recalled one guard …"), in the same or the previous paragraph."""
    body = ctx.body
    start = f.marks.start
    own = ctx.sentence_start(start)
    inner = f.marks.inner(body)
    if (
        body[own:start].strip()
        or len(inner.split()) < 6
        or looks_like_scare_quote(inner)
        or _is_korean(inner)
    ):
        return False
    i = bisect_right(ctx.starts, own - 1) - 1
    if i < 0:
        return False
    ps, pe = ctx.sentences[i]
    if body[pe:own].count("\n\n") > 1 or "\n\n" in body[ps:pe]:
        return False
    text = body[ps:pe]
    if any(ps < r.marks.end and r.marks.start < pe for r in attributed):
        return False  # a sentence holding an attributed quote: "continued" and "floating" decide
    verb = next((v for v in lx.SPEECH_VERB.finditer(text) if v.group(0) not in _NOT_SPEECH_BEFORE), None)
    if (
        verb is None
        or rx(r"[“”\"]").search(text[: verb.start()])
        or rx(r"[“”\"]").search(text[verb.end() :][:3])
    ):
        return False
    who = _subject(text[: verb.start()])
    if not who:
        return False
    speaker = mentions.resolve(who, ps)
    if speaker.lower() in lx.PRONOUNS:
        return False
    _set(f, who, verb.group(0), "quote.after-reported-speech", 0.7)
    f.speaker = speaker
    return True


def _has_other_speaker(body: str, start: int, end: int) -> bool:
    return bool(lx.SPEECH_VERB.search(body[start:end]))


def subject_of(text: str) -> str | None:
    """The speaker in the words before a reporting verb (for mentions outside quotes)."""
    return _subject(text)
