"""Korean quotes: "…"고 말했다, "…"며 "…"고 전했다, 「…」이라며 … 강조했다, and who the subject is.

The speaker of a Korean quote is the clause's topic (은/는, then 이/가, then 도), with a
describing clause before a name dropped ("군사 전문가인 정태호 …" -> "정태호 …").
"""

from __future__ import annotations

import re

from nkreader.suggest import lexicon as lx
from nkreader.suggest.lexicon import rx
from nkreader.suggest.marks import QuoteMarks
from nkreader.suggest.quote_frame import _Context, _Found, _set

_KO_RELATIVE = re.compile(r"^(?:\S+\s+){0,4}?\S*(?:인|하는|있는|맡은|출신인)\s+(?=\S+\s+\S)")


def _attribute_korean(ctx: _Context, q: QuoteMarks, prev_end: int) -> _Found:
    body = ctx.body
    found = _Found(q)
    after = body[q.end : min(ctx.paragraph_end(q.end), q.end + 120)]
    if lx.KO_CONTINUE.match(after):
        found.chained = True
        return found
    m = lx.KO_SPEECH_END.match(after)
    content = lx.KO_CONTENT.match(after)
    if m or content:
        who = m.group("who") if m else None
        verb = (m.group("verb") or m.group("verb2")) if m else content.group(0)  # type: ignore[union-attr]
        if who is None:
            start = max(ctx.sentence_start(q.start), ctx.paragraph_start(q.start))
            before = body[start : q.start]
            before = rx(r"[“「\"]").split(before)[0]
            who = _korean_topic(before)
        if who:
            return _set(
                found, _ko_trim(who), verb.strip(), "quote.ko-고-말했다" if m else "quote.ko-content", 0.9
            )
    clause = lx.KO_SAYING_CLAUSE.match(after)
    if clause:  # 「…」이라며 … 해야 한다고 강조했다
        start = max(ctx.sentence_start(q.start), ctx.paragraph_start(q.start))
        who = _korean_topic(rx(r"[“「\"]").split(body[start : q.start])[0])
        if who:
            return _set(found, _ko_trim(who), clause.group("verb"), "quote.ko-이라며", 0.8)
    return found


def _ko_trim(who: str) -> str:
    """Drop a describing clause before a name: "군사 전문가인 정태호 …" -> "정태호 …"."""
    return _KO_RELATIVE.sub("", who, count=1) or who


_ADNOMINAL = re.compile(
    r"(?:다는|하는|되는|있는|없는|리는|르는|치는|지는|오는|가는|나는|보는|라는|던|한|른|된)$"
)


def _korean_topic(before: str) -> str | None:
    """The subject of a Korean clause: the words up to the first topic or subject marker
    (은/는, then 이/가, then 도 "also", never a province's 도)."""
    words = before.split()
    for markers in (("은", "는"), ("이", "가"), ("도",)):
        for i, word in enumerate(words):
            if markers == ("도",) and (i > 2 or _PROVINCE.search(word)):
                continue
            if word == "김정은" and i + 1 < len(words):
                continue  # the name, not 김정 + 은: "김정은 국무위원장은"
            if word.endswith(markers) and len(word) > 1 and not _ADNOMINAL.search(word):
                phrase = [*words[:i], word[:-1]]
                while phrase and lx.KO_TIME_WORD.match(phrase[0]):
                    phrase.pop(0)
                text = " ".join(phrase[-7:]).strip(" ,")
                return text or None
            if word in ("그는", "그녀는"):
                return word[:-1]
    return None


_PROVINCE = re.compile(r"(?:북도|남도|강도|해도|기도|원도|주도|[시군구]도)$")
