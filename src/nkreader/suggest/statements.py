"""Sentence-level suggestions: policy statements (with their speaker) and checkable claims.

A policy statement is a directive, a task or a declared intent of the state: a directive verb
or modal ("called for", "stressed the need to", "ordered", "must", 해야 한다, 지시했다) with a
state speaker (Kim Jong Un, the Party Central Committee, a ministry, "the authorities", a
notice) in the sentence or as the speaker of a quote in it. A claim is a sentence a reader could
check: numbers, dates, events (arrests, sentences, launches, prices moving) and attributed
reports ("sources said", "reportedly", 소식통에 따르면). Hedges ("reportedly", "about",
것으로 알려졌다) are listed in the reason.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from nkreader.domain import Kind
from nkreader.suggest import lexicon as lx
from nkreader.suggest.lexicon import rx
from nkreader.suggest.mentions import Mentions
from nkreader.suggest.model import Suggestion

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_STRONG = re.compile(
    r"\b(?:stressed|emphasized|emphasised|underlined|underscored)\s+(?:the\s+)?(?:need|importance|necessity|task)|"
    r"\bcalled\s+(?:for|on|upon)|\bordered|\binstructed|\bdirected|\bset\s+forth|\bdecided|\bdecreed|\bbanned|"
    r"\bprohibited|\bmandated|\bissued|\bordering|\bset\s+the\s+task|\bgave\s+instructions|\bdeclared|\bvowed|"
    r"\bpledged|\bwill\s+be\s+(?:punished|dealt\s+with|confiscated|seized|fined|revoked)|\bnever\s+tolerate|\brequir",
    re.I,
)
_STATE_SPEAKER = re.compile(
    r"Kim|Party|Committee|Cabinet|Ministry|authorit|state|notice|directive|decree|order|office|bureau|"
    r"government|regime|KCNA|leader|secretary|officer|inspector|당|위원회|당국|김정은|김여정|관리소|안전|보위|지시",
    re.I,
)
_PRONOUN_SUBJECT = re.compile(r"\b(he|she|it|they)\s+(?:\w+\s+)?\0")
_PASSIVE_DIRECTIVE = re.compile(
    r"\b(?:have|has|had|were|was|are|is)\s+(?:also\s+)?(?:been\s+)?(?:ordered|instructed|directed|told|required)\s+to\b"
)
_DIGIT = re.compile(r"\d")
_ATTENDED_WORDS = frozenset({"accompanied", "attended", "joined"})
_STRONG_REPORT_WORDS = frozenset({"reportedly", "allegedly"})
_QUOTE_MARK = re.compile(r"[“”\"]")
_KO_CONTEXT = re.compile(
    r"해야|하여야|하라|금지|처벌|몰수|회수한다|겠다고|하도록|말아야|선고할\s*수|도록\s*했"
)
_FIRST_PERSON = re.compile(r"^(?:I|We|My|Our)\b")
_ATTRIBUTION = re.compile(
    r"\baccording\s+to\s+(?P<a>[^,.;]{3,80})|(?P<b>(?:a|the|two|three|both)\s+(?:[\w-]+\s+){0,3}sources?(?:\s+(?:in|from)\s+[A-Z][\w\s]{2,40}?)?)\s+(?:said|told|say)\b",
    re.I,
)


def _quote_cover(
    start: int, end: int, quotes: list[Suggestion], starts: list[int]
) -> tuple[int, list[Suggestion]]:
    """How many characters of body[start:end] are inside quotes, and those quotes."""
    inside = 0
    hit = []
    i = max(0, bisect_left(starts, start) - 1)
    while i < len(quotes) and quotes[i].start < end:
        q = quotes[i]
        overlap = min(end, q.end) - max(start, q.start)
        if overlap > 0:
            inside += overlap
            hit.append(q)
        i += 1
    return inside, hit


def find_statement_suggestions(
    body: str, sentences: list[tuple[int, int]], quotes: list[Suggestion], mentions: Mentions
) -> list[Suggestion]:
    out: list[Suggestion] = []
    starts = [q.start for q in quotes]
    context: tuple[int, str | None] | None = None  # sentence number and speaker of the last policy
    for number, (s, e) in enumerate(sentences):
        text = body[s:e]
        if len(text) < 12 or (text.startswith(("#", "- ", "* ")) and len(text) < 40):
            continue
        inside, hit = _quote_cover(s, e, quotes, starts)
        korean = bool(_HANGUL.search(text))
        words = lx.words_of(text)
        policy = _policy_ko(text, s, hit, mentions) if korean else _policy_en(text, words, s, hit, mentions)
        if policy is None and context is not None and number - context[0] <= 3:
            modal = _KO_CONTEXT.search(text) if korean else lx.G_POLICY_VERB.search(text, words)
            if modal and not _FIRST_PERSON.match(text) and not hit:
                policy = context[1], "policy.context", 0.6, f"{modal.group(0)} (after a directive)"
        if policy is not None:
            context = (number, policy[0])
            speaker, rule, score, cue = policy
            reason = f"{cue} + {speaker}" if speaker else cue
            out.append(Suggestion(Kind.POLICY, s, e, text, speaker, score, rule, reason))
        if inside > 0.6 * len(text):
            continue  # speech: the quote is the thing to mark
        claim = _claim_ko(text) if korean else _claim_en(text, words)
        if claim is not None:
            score, cues, hedges, speaker = claim
            reason = " + ".join(cues)
            if hedges:
                reason += " · hedged: " + ", ".join(hedges)
            out.append(
                Suggestion(
                    Kind.CLAIM,
                    s,
                    e,
                    text,
                    speaker,
                    score,
                    "claim." + cues[0].split()[0],
                    reason,
                    hedges=tuple(hedges),
                )
            )
    return out


def _policy_en(text: str, words: frozenset[str], start: int, hit: list[Suggestion], mentions: Mentions):
    verb = lx.G_POLICY_VERB.search(text, words)
    if verb is None or (text.rstrip().endswith("?") and not hit):
        return None
    strong = _STRONG.search(text)
    speaker: str | None = None
    pronoun = rx(r"^(He|She|It|They)\b").match(text) or _PRONOUN_SUBJECT.search(text[: verb.start()] + "\0")
    if pronoun:
        speaker = mentions.resolve(pronoun.group(1), start)
        if speaker == pronoun.group(1):
            speaker = None
    if speaker is None:
        actor = lx.G_STATE_ACTOR.search(text, words)
        if actor:
            speaker = actor.group(0)
    quoted_speaker = next((q.speaker for q in hit if q.speaker), None)
    if quoted_speaker and (speaker is None or (quoted_speaker and hit and hit[0].start - start < 3)):
        speaker = quoted_speaker if _STATE_SPEAKER.search(quoted_speaker) or speaker is None else speaker
    state = bool(speaker and _STATE_SPEAKER.search(speaker))
    if _FIRST_PERSON.match(text) and not hit:
        return None
    document = next(
        (
            m
            for m in lx.G_STATE_ACTOR.finditer(text, words)
            if re.fullmatch(
                r"(?:the\s+)?(?:notice|directive|decree|order|statement|document)", m.group(0), re.I
            )
        ),
        None,
    )
    if (
        document
        and re.fullmatch(
            r"(?:the\s+)?(?:notice|directive|decree|order|statement|document)", document.group(0), re.I
        )
        and re.search(
            r"\b(?:says|states|stipulates|said|stated)\b", text[document.end() : document.end() + 12]
        )
    ):
        return speaker or document.group(0), "policy.document", 0.75, f"{document.group(0)} + {verb.group(0)}"
    if strong and state:
        return speaker, "policy.directive", 0.9, f"{strong.group(0)}"
    if state and (hit or not _FIRST_PERSON.match(text)):
        return speaker, "policy.modal", 0.75, f"{verb.group(0)}"
    passive = _PASSIVE_DIRECTIVE.search(text)
    if passive:
        return speaker, "policy.passive-directive", 0.6, passive.group(0)
    noun = lx.G_DIRECTIVE_NOUN.search(text, words) if strong else None
    if strong and noun:
        return speaker, "policy.directive-noun", 0.6, f"{strong.group(0)} + {noun.group(0)}"
    return None


def _policy_ko(text: str, start: int, hit: list[Suggestion], mentions: Mentions):
    verb = lx.KO_POLICY.search(text)
    if verb is None:
        return None
    if verb.group(0) == "밝혔다" and not any(m.group(0) != "밝혔다" for m in lx.KO_POLICY.finditer(text)):
        return None  # "stated" alone is a report, not a directive or an intent
    quoted = next((q.speaker for q in hit if q.speaker and lx.KO_STATE_ACTOR.search(q.speaker)), None)
    if quoted:
        return quoted, "policy.ko-directive", 0.85, verb.group(0)
    spans = [(q.start - start, q.end - start) for q in hit]
    # a state word inside someone else's quote ("…김정은이 …"고 말했다) is not who speaks
    actor = next(
        (m for m in lx.KO_STATE_ACTOR.finditer(text) if not any(a <= m.start() < b for a, b in spans)), None
    )
    topic = rx(r"^(?P<who>[^\s]+?(?:\s+[^\s]+?){0,3}?)(?:은|는|이|가)\s").match(text)
    if topic and topic.group("who") in lx.KO_PRONOUNS:  # 그는: the speaker named before
        resolved = mentions.resolve(topic.group("who"), start)
        if lx.KO_STATE_ACTOR.search(resolved):
            strong = rx(r"지시|명령|포치|방침|해야|하여야|처벌|몰수|금지|결정|촉구|강조|요구").search(text)
            return resolved, "policy.ko-directive", 0.85 if strong else 0.6, verb.group(0)
    if actor is None:
        return None
    speaker = topic.group("who") if topic and lx.KO_STATE_ACTOR.search(topic.group("who")) else actor.group(0)
    strong = rx(r"지시|명령|포치|방침|해야|하여야|처벌|몰수|금지|결정|촉구|강조").search(text)
    return speaker, "policy.ko-directive", 0.85 if strong else 0.6, verb.group(0)


def _claim_en(text: str, words: frozenset[str]):
    cues: list[str] = []
    score = 0.0
    if text.rstrip().endswith("?") or lx.G_OPINION.search(text, words):
        return None
    digits = _DIGIT.search(text) is not None
    number = lx.NUMBER.search(text) if digits else None
    if number:
        unit = lx.UNIT.search(text)
        cues.append(f"number {(unit or number).group(0).strip()}")
        score += 0.5 if unit else 0.3  # a measurement (300 grams, 12,000 tons) is checkable alone
    date = lx.DATE.search(text) if digits or not words.isdisjoint(lx.DATE_WORDS) else None
    if date:
        cues.append(f"date {date.group(0).strip()}")
        score += 0.25
    events = words & lx.EVENT_WORDS
    if events:
        cues.append(f"event {min(events)}")
        score += 0.25
    if "price" in words and (move := lx.PRICE_MOVE.search(text)):
        cues.append(f"price {move.group(0).split()[-1]}")
        score += 0.25
    if not words.isdisjoint(_ATTENDED_WORDS) and (attended := lx.ATTENDED.search(text)):
        cues.append(f"attendance ({attended.group(0)})")
        score += 0.5
    if not words.isdisjoint(_STRONG_REPORT_WORDS) and (strong := lx.STRONG_REPORT.search(text)):
        cues.append(f"reported ({strong.group(0).lower()})")
        score += 0.25
    reported = lx.G_REPORTED.search(text, words)
    if reported and reported.group(0) in ("said", "says") and _QUOTE_MARK.search(text):
        reported = None  # "said, “…”": speech, not a reported fact
    if reported:
        cues.append(f"reported ({reported.group(0)})")
        score += 0.25
    if not cues or score < 0.5:
        return None
    hedges = list(dict.fromkeys(m.group(0).lower() for m in lx.G_HEDGE.finditer(text, words)))[:4]
    speaker = None
    attribution = _ATTRIBUTION.search(text) if not words.isdisjoint({"according", "source"}) else None
    if attribution:
        speaker = (attribution.group("a") or attribution.group("b") or "").strip() or None
    return min(score, 0.95), cues, hedges, speaker


def _claim_ko(text: str):
    cues: list[str] = []
    score = 0.0
    if text.rstrip().endswith("?"):
        return None
    number = lx.KO_NUMBER.search(text)
    if number:
        unit = lx.KO_UNIT.search(text)
        cues.append(f"number {(unit or number).group(0).strip()}")
        score += 0.5 if unit else 0.3
    date = lx.KO_DATE.search(text)
    if date:
        cues.append(f"date {date.group(0)}")
        score += 0.25
    event = lx.KO_EVENT.search(text)
    if event:
        cues.append(f"event {event.group(0)}")
        score += 0.25
    counted = None if number else lx.KO_COUNTED.search(text)
    if counted:
        cues.append(f"number {counted.group(0)}")
        score += 0.3
    attended = lx.KO_ATTENDED.search(text)
    if attended:
        cues.append(f"attendance ({attended.group(0)}다)")
        score += 0.5
    strong_report = lx.KO_STRONG_REPORT.search(text)
    if strong_report:
        cues.append(f"reported ({strong_report.group(0)})")
        score += 0.25
    move = lx.KO_PRICE_MOVE.search(text)
    if move:
        cues.append(f"price {move.group(0).split()[-1]}")
        score += 0.25
    reported = lx.KO_REPORTED.search(text)
    if reported:
        cues.append(f"reported ({reported.group(0)})")
        score += 0.25
    if not cues or score < 0.5:
        return None
    hedges = list(dict.fromkeys(m.group(0) for m in lx.KO_HEDGE.finditer(text)))[:4]
    speaker = None
    m = rx(r"(\S+\s+)?소식통(?:에\s*따르면|은|이)").search(text)
    if m:
        speaker = ((m.group(1) or "") + "소식통").strip()
    return min(score, 0.95), cues, hedges, speaker
