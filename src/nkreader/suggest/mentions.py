"""Who a pronoun or a short description refers to, inside one article.

News writing names a source once ("a source in Ryanggang Province") and then says "the source",
"she", "Ms. Park" or "소식통은". Mentions are remembered in text order; a later reference is
replaced by the phrase as the article first wrote it, which is what an analyst records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nkreader.suggest.lexicon import FIRST_PERSON, KO_PRONOUNS, PRONOUNS, SPEECH_VERB, Gated, rx, words_of

_ORDINALS = {"first": 1, "second": 2, "third": 3, "other": 2, "another": 2, "다른": 2}
_TITLE = re.compile(
    r"^(?:Mr|Mrs|Ms|Dr|Prof|Professor|Comrade|General|Gen|Marshal|Officer)\.?\s+(?P<name>[A-Z][\w’'\-]+)$"
)
_DEFINITE = re.compile(
    r"^(?:the|this|that|our|my|his|her|their)\s+(?:(?P<ord>first|second|third|other)\s+)?(?P<rest>.+)$", re.I
)
_DOCUMENT = re.compile(
    r"\b(?:notice|directive|decree|order|document|statement|letter|instruction|section|resolution|report|board|sign|banner|slogan)s?\b",
    re.I,
)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+(?:-[a-z]+)?|-[A-Z]?[a-z]+){1,3}\b")
_SURNAMES = frozenset(
    """Kim Lee Ri Park Pak Choi Choe Jeong Jung Jeon Jon Kang Cho Jo Yoon Yun Jang Lim Rim Han Oh O Seo
    Shin Sin Kwon Hwang Ahn An Song Ryu Yu Hong Ko Go Moon Mun Yang Son Bae Baek Paek Heo Nam Noh Ro Ha
    Kwak Sung Cha Joo Ju Woo U Min Ra Jin Um Chae Won Bang Hyun Ham Byun Yeo Chu Do So Seok Ma Gil Pyo
    Ki Ban Ok Tak Kye Ryang Thae""".split()  # noqa: SIM905
)
_PLACES = (
    "North Korea",
    "South Korea",
    "United States",
    "North Hamgyong",
    "South Hamgyong",
    "North Pyongan",
    "South Pyongan",
    "Ryanggang",
    "Central Committee",
    "Workers",
    "Kim Il Sung Square",
    "Pyongyang",
    "Seoul",
    "Hyesan",
    "Chongjin",
    "Sinuiju",
    "Dandong",
    "Yanji",
    "Musan",
    "Kaechon",
    "Hoeryong",
    "Uiju",
    "China",
)
_HUMAN = frozenset(
    """source sources resident residents official officials trader traders defector defectors merchant
    worker workers woman women man men spokesperson spokesman spokeswoman analyst expert researcher
    officer inspector guard broker smuggler driver farmer student teacher witness mother father wife
    husband foreman cousin neighbor neighbour director economist professor engineer scholar fellow
    soldier vendor seller dealer miner leader prosecutor judge broker teacher chairman minister secretary
    inmate inmates prisoner detainee captain fisherman fishermen sergeant builder builders spokesperson
    diplomat lawmaker activist journalist reporter nurse doctor 소식통 주민 상인 관계자 연구위원
    교수 전문가 탈북민 탈북자 노동자 간부 상인들 주민들""".split()  # noqa: SIM905
)
_DESCRIPTION = re.compile(
    r"\b(?:[Aa]n?|[Tt]wo|[Tt]hree|[Aa]nother)\s+(?:[\w’'-]+\s+){0,3}?(?:source|resident|official|trader|defector|"
    r"merchant|worker|woman|man|smuggler|officer|driver|farmer|student|analyst|expert|researcher|broker|prosecutor)s?"
    r"(?:\s+(?:in|from|at|of|based\s+in|near|living\s+in|with|inside)\s+[^,.;:“”\"]{2,60}?)?(?=\s*[,.;:]|\s+(?:who|said|says|told|tells|added|speaking|reached)\b)"
)
_DOC_MENTION = re.compile(
    r"\b(?:the|a|this|its)\s+(?:new\s+)?(?:directive|notice|decree|order|statement|document|resolution|instruction)\b"
)
_HONORIFIC = re.compile(r"\b(?:Respected\s+|Dear\s+)?Comrade\s+")
_OBJECT_BEFORE = re.compile(
    r"(?:\baccompanied\s+by|\bjoined\s+by|\bsister\s+of|\bbrother\s+of|\bwife\s+of|\bdaughter\s+of|"
    r"\bof\s+leader|\bmet\s+with|\bgreeted|\bwelcomed|\breceived)\s+(?:(?:leader|Comrade|President|Premier)\s+)?$"
)
_KO_SURNAME_TITLE = re.compile(r"^(?P<surname>[\uac00-\ud7a3])\s+(?P<title>[\uac00-\ud7a3]{2,6})$")
_KO_DEFINITE = re.compile(r"^(?:(?P<ord>다른|또\s*다른)\s+)?(?P<head>\S+)$")


_G_DESCRIPTION = Gated(_DESCRIPTION)
_G_DOC_MENTION = Gated(_DOC_MENTION)
_G_SPEECH_VERB = Gated(SPEECH_VERB)


_REACH = 60
"""How many earlier mentions a reference may point back to."""


@dataclass(slots=True)
class Mention:
    offset: int
    phrase: str
    head: str
    person: bool


def head_of(phrase: str) -> str:
    """The noun a description is about: "a source in North Hamgyong Province" -> "source"."""
    text = rx(r"\s+(?:in|at|from|of|for|who|with|based|near|on|inside|living)\b|,").split(phrase, maxsplit=1)[
        0
    ]
    words = text.split()
    if not words:
        return ""
    last = words[-1].strip("’'.,").lower()
    if last.endswith("-based") and len(words) > 1:
        return words[-2].lower()
    return last


class Mentions:
    """Speakers mentioned so far in one article, and what later references point back to."""

    def __init__(self) -> None:
        self._items: list[Mention] = []
        self._narrator: str | None = None

    def add(self, offset: int, phrase: str) -> None:
        phrase = " ".join(phrase.split())
        if not phrase or phrase.lower() in PRONOUNS or phrase in KO_PRONOUNS:
            return
        self._items.append(Mention(offset, phrase, head_of(phrase), _is_person(phrase)))

    def scan(self, offset: int, sentence: str) -> None:
        """Remember the speakers a sentence introduces: a name, "a source in …", a notice."""
        # "Respected Comrade Kim Jong Un": the honorific blanked (offsets kept) so the name is found
        text = (
            _HONORIFIC.sub(lambda m: " " * len(m.group(0)), sentence) if "Comrade" in sentence else sentence
        )
        object_end = -1  # the end of the last name seen in object position ("accompanied by X, Y and")
        for match in _NAME.finditer(text):
            name = match.group(0)
            first = name.split()[0].split("-")[0]
            before = text[max(0, match.start() - 12) : match.start()]
            after = text[match.end() : match.end() + 40]
            titled = rx(r"(?:Mr|Mrs|Ms|Dr|Prof)\.\s*$|(?:Comrade|Professor)\s*$").search(before)
            apposed = re.match(
                r",\s+(?:an?|the|who|general|chairman|director|head|spokes\w*|a\s+former)\b", after
            )
            spoke = rx(r"\s+(?:said|says|told|added|warned|stressed|noted)\b").match(after)
            if name.startswith(_PLACES) and not titled:
                continue
            if _OBJECT_BEFORE.search(text[max(0, match.start() - 30) : match.start()]) or (
                object_end >= 0 and rx(r"^(?:,\s*|\s+and\s+)$").match(text[object_end : match.start()])
            ):
                object_end = match.end()  # "accompanied by Jo Yong Won, Kim Tok Hun": not a speaker
                continue
            if first in _SURNAMES or titled or apposed or spoke:
                self.add(offset + match.start(), name)
        words = words_of(sentence)
        for match in _G_DESCRIPTION.finditer(sentence, words):
            if rx(r"[A-Z][\w’'-]+,\s*$").search(sentence[: match.start()]):
                continue  # "Choi Min-seo, a researcher at …": the name is the speaker
            self.add(offset + match.start(), match.group(0))
        lead = re.match(
            r"(?:The|the)\s+(?:\w+\s+)?(prosecutor|judge|broker|guard|teacher|officer|inspector|foreman|official)\b",
            sentence,
        )
        if lead:
            self.add(offset, lead.group(0))
        verb = _G_SPEECH_VERB.search(sentence, words)
        if verb is not None and not rx(r"[“”\"]").search(sentence[: verb.start()]):
            from nkreader.suggest.quotes import subject_of

            who = subject_of(sentence[: verb.start()])
            if who and who.lower() not in PRONOUNS and len(who.split()) <= 10:
                self.add(offset + verb.start(), self.resolve(who, offset + verb.start()))
        for match in _G_DOC_MENTION.finditer(sentence, words):
            self.add(offset + match.start(), match.group(0))

    def _before(self, offset: int) -> list[Mention]:
        """Mentions before ``offset``, the last few hundred only: a reference reaches back a few
        paragraphs, and a bounded look keeps a 1 MB text linear."""
        return [m for m in self._items[-_REACH:] if m.offset < offset]

    def resolve(self, phrase: str, offset: int) -> str:
        """The phrase the article first used for the speaker ``phrase`` refers to (or ``phrase``)."""
        phrase = " ".join(phrase.split())
        lower = phrase.lower()
        earlier = self._before(offset)
        if not earlier:
            return phrase
        if lower in FIRST_PERSON:
            if self._narrator is None:
                people = (m for m in self._items if m.person and _NAME.fullmatch(m.phrase))
                self._narrator = next((m.phrase for m in people), None)
            return self._narrator or phrase
        if lower in PRONOUNS or phrase in KO_PRONOUNS:
            wanted_person = lower != "it"
            for m in reversed(earlier):
                if m.person == wanted_person and m.phrase != self._narrator:
                    return m.phrase
            return phrase
        title = _TITLE.match(phrase)
        if title:
            surname = title.group("name")
            for m in reversed(earlier):
                if m.phrase != phrase and re.search(rf"\b{re.escape(surname)}\b", m.phrase):
                    return m.phrase
            return phrase
        surname_title = _KO_SURNAME_TITLE.match(phrase) if not phrase.isascii() else None
        if surname_title:  # "박 연구위원" -> "박지원 한반도경제연구소 연구위원"
            family, rank = surname_title.group("surname"), surname_title.group("title")
            for m in reversed(earlier):
                words = m.phrase.split()
                if (
                    len(words) >= 2
                    and words[-1].endswith(rank)
                    and any(w.startswith(family) and 2 <= len(w) <= 4 and w != rank for w in words[:-1])
                ):
                    return m.phrase
            return phrase
        definite = _DEFINITE.match(phrase)
        korean = _KO_DEFINITE.match(phrase) if not definite and not phrase.isascii() else None
        if definite or korean:
            ordinal = (definite or korean).group("ord")  # type: ignore[union-attr]
            head = head_of((definite or korean).group("rest" if definite else "head"))  # type: ignore[union-attr]
            if ordinal and korean:
                return phrase  # "다른 소식통" is a new source
            same = [
                m for m in earlier if m.head == head or (not phrase.isascii() and m.phrase.endswith(head))
            ]
            distinct = list(dict.fromkeys(m.phrase for m in same))
            if not distinct:
                return phrase
            if ordinal:
                n = _ORDINALS[ordinal.lower()]
                named = [p for p in distinct if re.search(rf"\b{ordinal}\b", p, re.I)]
                if named:
                    return named[-1]
                return distinct[n - 1] if len(distinct) >= n else phrase
            return [m.phrase for m in same][-1]
        return phrase


def _is_person(phrase: str) -> bool:
    if _DOCUMENT.search(phrase):
        return False
    if rx(r"^(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+[A-Z]").match(phrase):
        return True
    if not phrase.isascii():
        return not rx(r"위원회|당국|관리소|부$|국$|지시|통신|신문").search(phrase)
    if head_of(phrase) in _HUMAN or head_of(phrase).rstrip("s") in _HUMAN:
        return True
    words = phrase.split()
    return (
        bool(_NAME.fullmatch(phrase))
        and (words[0].split("-")[0] in _SURNAMES or len(words) <= 3)
        and not phrase.startswith(_PLACES)
    )
