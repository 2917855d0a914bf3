"""Word lists of the genre, English and Korean, compiled once on first use.

Kept apart from the rules so a reader can see (and extend) what the rules recognise.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Verbs that introduce or follow a direct quote ("…," said X / X told Y: "…").
SPEECH_VERBS = (
    "said|says|say|added|adds|told|tells|asked|asks|explained|explains|noted|notes|stressed|"
    "emphasized|emphasised|declared|declares|warned|warns|insisted|recalled|continued|wrote|writes|"
    "stated|states|replied|answered|claimed|argued|joked|cautioned|acknowledged|admitted|"
    "complained|quipped|observed|remarked|announced|urged|whispered|shouted|commented|concluded|"
    "criticized|criticised|joke|jokes|called\\s+on|called\\s+for|calls\\s+on|calls\\s+for|pointed out|went on|reads|read|quoted|recounted|described|vowed|"
    "demanded|instructed|ordered|underlined|underscored|affirmed|predicted|told me|saying|adding|"
    "telling|asking|warning|noting|stressing|declaring"
)
SPEECH_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
# After a closing mark: ", said Dr. Keller" / ", the source said" / " he quoted X as saying".
AFTER_VERB_FIRST = re.compile(
    rf"^[\s,]*(?P<verb>{SPEECH_VERBS})\s+(?P<who>(?:(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|St|Jr)\.|[^,.;:!?“”\"]){{2,120}}?)(?=\s*(?:[,.;:!?“\"]|$|\s+(?:on|in|at)\s+(?:[A-Z]\w*\.?\s+\d|\d)|\s+(?:who|when|after|before|adding|during)\b))"
)
AFTER_SUBJECT_FIRST = re.compile(
    rf"^[\s,]*(?P<who>(?:[\w’'\-.]+\s+){{0,11}}?[\w’'\-.]+)\s+(?:(?:then|also|later|once|again|simply|only|quickly|finally)\s+)?(?P<verb>{SPEECH_VERBS})\b"
)
QUOTED_AS = re.compile(r"\bquoted\s+(?P<who>.{3,120}?)\s+as\s+say(?:ing)?\b")
ACCORDING_TO = re.compile(r"\baccording\s+to\s+(?P<who>[^,.;:!?“”\"]{2,120}?)(?=\s*(?:[,.;:!?“\"]|$))", re.I)

PRONOUNS = frozenset({"he", "she", "they", "him", "her", "it", "we", "i"})
FIRST_PERSON = frozenset({"i", "we"})
# Predicates that end the subject of a clause: "my mother held my hand and said".
ACTION_VERB = re.compile(
    r"\s+(?:held|stood|sat|came|went|turned|looked|used\s+to|began|kept|got|took|put|leaned|paused|"
    r"smiled|laughed|shook|walked|wrote|made|gave|raised|met|called|picked|pulled|sighed|nodded|"
    r"repeated|simply|only|then|also|was|were|has|have|had\s+(?!been\b))\b.*$"
)

# Who speaks for the state: the speakers of policy statements.
STATE_ACTOR = re.compile(
    r"\b(?:Kim\s+Jong[\s-]?Un|Kim\s+Yo[\s-]?Jong|Kim\s+Tok[\s-]?Hun|Choe\s+Son[\s-]?Hui|Pak\s+Thae[\s-]?Song|"
    r"(?:the\s+)?(?:WPK\s+|Party\s+)?Central\s+Committee(?:\s+of\s+the\s+(?:Workers['’]\s+Party\s+of\s+Korea|WPK|Party))?|"
    r"(?:the\s+)?Political\s+Bureau|(?:the\s+)?Politburo|(?:the\s+)?Presidium|(?:the\s+)?Secretariat|"
    r"(?:the\s+)?Cabinet|(?:the\s+)?State\s+Affairs\s+Commission|(?:the\s+)?Supreme\s+People['’]s\s+Assembly|"
    r"(?:the\s+)?Ministry\s+of\s+[A-Z][\w\s]{2,40}?(?=[\s,.]|$)|(?:the\s+)?(?:Foreign\s+|Defense\s+|Defence\s+)?[Mm]inistry\b|(?:the\s+)?(?:general\s+)?secretary|"
    r"(?:the\s+)?(?:North\s+Korean\s+|local\s+|provincial\s+|city\s+|central\s+)?authorities|"
    r"(?:the\s+)?(?:[A-Z]\w+\s+)?(?:city|provincial|county)\s+(?:people['’]s\s+committee|public\s+security\s+bureau|party\s+committee)|"
    r"(?:the\s+)?(?:market\s+management\s+office|public\s+security\s+(?:bureau|officers?|ministry)|"
    r"state\s+security\s+(?:department|ministry)|inspection\s+teams?|party\s+committee|people['’]s\s+committee|"
    r"youth\s+league)|"
    r"(?:the\s+)?(?:notice|directive|decree|order|resolution|instruction|regulation|law|statement|document)\b|"
    r"(?:the\s+)?(?:state|regime|government|Party|leader|KCNA|Rodong\s+Sinmun|Pyongyang)\b)",
)
STATE_SUBJECT_PRONOUN = re.compile(r"^(?:He|She|It|They)\b")

# Verbs and phrases that state policy, a directive or a declared intent.
POLICY_VERB = re.compile(
    r"\b(?:stressed|emphasized|emphasised|underlined|underscored)\s+(?:the\s+)?(?:need|importance|necessity|task)\b|"
    r"\b(?:called\s+(?:for|on|upon)|urged|ordered|instructed|directed|demanded|decided|decreed|banned|"
    r"prohibited|forbade|mandated|set\s+forth|put\s+forward|laid\s+down|declared|vowed|pledged|"
    r"warned\s+that|warning\s+that|stressed\s+that|emphasized\s+that|set\s+the\s+task|"
    r"gave\s+instructions|issued\s+(?:an?\s+)?(?:order|directive|decree|instruction|notice)|"
    r"ordering\s+that|requiring|requires|are\s+required\s+to|is\s+required\s+to|will\s+be\s+(?:punished|dealt\s+with|"
    r"confiscated|seized|fined|rewarded|revoked|banned|dismissed|removed|expelled|arrested|tried)|must|should|shall|will\s+never\s+(?:tolerate|give\s+up)|"
    r"never\s+tolerate|no\s+mercy|be\s+(?:strictly|thoroughly)\s+\w+ed|"
    r"(?:have|has|had|were|was)\s+(?:also\s+)?(?:been\s+)?(?:told|ordered|instructed|directed)\s+to|"
    r"will\s+have\s+(?:\w+\s+){0,3}(?:confiscated|seized|revoked)|will\s+lose)\b",
    re.IGNORECASE,
)
DIRECTIVE_NOUN = re.compile(
    r"\b(?:directive|decree|order|notice|instruction|resolution|regulation|campaign|policy|task)s?\b", re.I
)

# Facts a reader could check.
NUMBER = re.compile(
    r"\d[\d,.]*\s*(?:%|percent|per\s*cent|won|yuan|dollars?|kg|kilograms?|km|kilometers?|kilometres?|m\b|meters?|"
    r"hectares?|tons?|tonnes?|times|million|billion|people|households?|trucks?|years?|months?|days?|weeks?|hours?|steps?)|"
    r"\$\s?\d|\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\b"
)
UNIT = re.compile(
    r"\d[\d,.]*\s*(?:%|percent|per\s*cent|won|yuan|dollars?|kg|kilograms?|grams?|km|kilometers?|kilometres?|"
    r"meters?|metres?|hectares?|tons?|tonnes?|million|billion|people|households?|soldiers?|residents?|"
    r"workers?|trucks?|a\.m\.|p\.m\.)\b|\$\s?\d"
)
"""A number with a unit (12,000 tons, 150 meters, 5 a.m.): a measurement, checkable by itself."""
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATE = re.compile(
    rf"\b{MONTH}\s+\d{{1,2}}\b|\b{MONTH}\s+\d{{4}}\b|"
    r"\b(?-i:January|February|March|April|June|July|August|September|October|November|December)\b|"
    r"\bthe\s+past\s+(?:year|month|week|decade)\b|"
    rf"\b(?:19|20)\d{{2}}\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|"
    r"\b(?:last|this|next)\s+(?:week|month|year|spring|summer|autumn|fall|winter)\b|\bin\s+(?:early|mid|late)-?\s*\w+"
)
EVENT = re.compile(
    r"\b(?:arrested|detained|sentenced|executed|jailed|imprisoned|tried|fined|confiscated|seized|raided|"
    r"launched|fired|tested|test-fired|held|convened|opened|closed|built|constructed|completed|"
    r"rose|fell|dropped|jumped|climbed|soared|doubled|tripled|halved|increased|decreased|reached|topped|"
    r"sold|bought|paid|cost|fetched|killed|died|crossed|defected|fled|escaped|deported|repatriated|"
    r"shot|punished|banned|announced|adopted|appointed|dismissed|recalled|replaced|installed|deployed|"
    r"excavated|poured|laid|extended|added|paved|roofed|shows?|showed|appears?|visible|"
    r"registered|inspected|checked|stopped|moved|rotated|transferred|exported|imported|delivered|"
    r"arrived|convicted|condemned|issued|expanded|lengthened|burned|purged|drowned|capsized)\b",
    re.IGNORECASE,
)
REPORTED = re.compile(
    r"\b(?:sources?\s+(?:said|say|told|reported)|a\s+source|the\s+source|according\s+to|reportedly|"
    r"told\s+[A-Z][\w ]{2,40}|residents?\s+(?:said|say)|traders?\s+(?:said|say)|was\s+reported|"
    r"it\s+is\s+said|imagery|satellite|figures|statistics|said|says)\b"
)
HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|apparently|appears?\s+to|appeared\s+to|seems?\s+to|suspected|alleged|"
    r"estimated|an\s+estimated|about|roughly|approximately|approx\.|around|nearly|almost|some|more\s+than|"
    r"fewer\s+than|at\s+least|up\s+to|(?-i:may)(?!\s+\d)|might|could|likely|possibly|probably|rumou?rs?|unconfirmed|"
    r"cannot\s+be\s+confirmed|is\s+said\s+to|was\s+said\s+to|believed\s+to|thought\s+to|consistent\s+with)\b",
    re.IGNORECASE,
)
OPINION = re.compile(r"\b(?:I\s+think|I\s+believe|I\s+don['’]t\s+know|I\s+want|I\s+hope|I\s+wish|pity)\b")

# ------------------------------------------------------------------ Korean

_KO_VERBS = (
    r"말했다|전했다|강조했다|설명했다|분석했다|덧붙였다|밝혔다|지적했다|주장했다|말한다|전한다|"
    r"이야기했다|증언했다|토로했다|하소연했다|지시했다|경고했다|비판했다|언급했다|답했다|물었다|말하기도\s*했다|"
    r"전하기도\s*했다|호소했다|회고했다|단언했다|예상했다|전망했다|우려했다|보도했다|선언했다|촉구했다|"
    r"말했습니다|전했습니다|밝혔습니다|포치했다|내다봤다|하소연했다|털어놨다|귀띔했다|"
    r"반문했다|약속했다|다짐했다|요구했다|발표했다|"
    r"(?:강조|말|밝|지적|언급|지시|주장)한\s*바\s*있다|"
    r"(?:말|전|밝|강조|지시|주장|설명|지적)한\s*것으로\s*(?:전해졌다|알려졌다)|했다"
)
KO_SPEECH_END = re.compile(
    rf"^(?:이?라?고|라며|이라며|라면서|며|면서|하며|하면서)\s*"
    rf"(?:(?P<verb>{_KO_VERBS})|(?P<who>[^\s“”「」\".]+(?:[ \t]+[^\s“”「」\".]+){{0,5}}?)(?:은|는|이|가)[ \t]+(?P<verb2>{_KO_VERBS}))"
)
KO_CONTINUE = re.compile(
    r"^(?:며|면서|면서도|라며|이라며|라면서|이라면서|라면서도|하며|고\s+말하며)\s*[“「\"]"
)
KO_SAYING_CLAUSE = re.compile(
    rf"^(?:이?라며|이?라면서|며|면서)\s+[^“”「」\"\n]{{2,80}}?(?:다고|라고|자고|냐고)\s+(?P<verb>{_KO_VERBS})"
)
"""「…」이라며 양곡 판매소 운영을 정상화해야 한다고 강조했다: a quote, then what the speaker asked for."""
KO_CONTENT = re.compile(
    r"^(?:는|라는|이라는|고\s+하는)\s*(?:내용|지시|방침|포고|문건|구호|말|경고|통보|명령|결정)"
)
KO_TOPIC = re.compile(r"(?P<who>[^\s,.“”「」\"]+(?:\s+[^\s,.“”「」\"]+){0,6}?)(?:은|는|이|가)\s")
KO_PRONOUNS = frozenset({"그", "그녀", "이들", "그들"})
KO_THUS = re.compile(
    r"(?:이렇게|다음과\s+같이|이같이)\s+(?:말했다|전했다|밝혔다|설명했다|강조했다|덧붙였다)\.?\s*$"
)
KO_TIME_WORD = re.compile(
    r"^(?:\d+일|지난|오늘|어제|이날|같은\s*날|최근|당시|현재|한편|또한|또|이어|특히)$|^(?:\d+일|지난)"
)
KO_POLICY = re.compile(
    r"(?:야\s*한다|하여야\s*한다|야\s*하며|하라|하도록|도록\s*했|지시했|지시한|지시를|지시가|지시문|명령했다|명령을|포치|방침|"
    r"강조했다|촉구했다|요구했다|호소했다|제시했다|금지|엄금|처벌한다|처벌하겠다|처벌할\s*수|선고할\s*수|몰수하고|회수한다|"
    r"결정했다|결정서|선포|밝혔다|겠다[”」\"]?고|할\s*것을|않도록|말아야|서는\s*안\s*된다)"
)
KO_STATE_ACTOR = re.compile(
    r"(?:김정은|김여정|국무위원장|위원장|총비서|원수님|당\s*중앙위원회|중앙위원회|노동당|당국|정부|내각|인민위원회|시장관리소|"
    r"북한(?:은|이|\s*당국)|사설|관리소|외무성|국방성|"
    r"보위부|보위국|안전부|안전국|보안서|보안부|검찰|재판소|도당|시당|군당|당위원회|위원회|조선중앙통신|노동신문|"
    r"지시문|포고문|통지문|국가|단속반|성\b|부\b)"
)
KO_NUMBER = re.compile(
    r"\d[\d,.]*\s*여?\s*(?:%|원|위안|달러|kg|킬로|톤|명|세대|대|km|m|개|배|시간|일|월|년|만|천|척|곳|발|장|건|차례)"
)
KO_COUNTED = re.compile(
    r"(?<![가-힣])(?:두|세|네|다섯|여섯|일곱|여덟|아홉|열|수십|수백|수천)\s*(?:명|곳|개|척|차례|대|채|가구|세대)"
)
"""Native numerals with a counter (네 곳, 두 명): counts the article states."""
KO_ATTENDED = re.compile(r"(?:동행했|참석했|참가했|수행했)")
ATTENDED = re.compile(r"\b(?:was|were)\s+(?:also\s+)?(?:accompanied|attended|joined)\s+by\b")
"""Who was there (KCNA: "He was accompanied by …", 현지지도에는 … 동행했다): a checkable fact."""
STRONG_REPORT = re.compile(r"\b(?:reportedly|allegedly)\b", re.I)
KO_STRONG_REPORT = re.compile(r"것으로\s*(?:알려졌다|전해졌다|파악됐다|확인됐다)")
"""A report the writer attributes and hedges ("reportedly", 것으로 알려졌다): a claim to check."""
KO_UNIT = re.compile(r"\d[\d,.]*\s*(?:%|원|위안|달러|kg|킬로그램|톤|km)")
"""A price or a measure (7,200원, 15%, 1kg): checkable by itself."""
KO_PRICE_MOVE = re.compile(
    r"(?:가격|값|환율|시세)[이가도은는]?\s+(?:\S+\s+){0,2}?(?:올랐|내렸|떨어졌|뛰었|급등|하락|상승|올라)"
)
PRICE_MOVE = re.compile(
    r"\bprices?\s+(?:\w+\s+){0,4}?(?:rose|fell|jumped|dropped|doubled|climbed|soared|risen|fallen|tripled)\b",
    re.I,
)
KO_DATE = re.compile(
    r"(?:\d{1,2}일|\d{1,2}월|\d{4}년|지난달|지난해|올해|이달|지난\s*\d+일|같은\s*날|이날|최근)"
)
KO_EVENT = re.compile(
    r"(?:체포|구속|구금|처형|총살|재판|선고|판결|몰수|압수|단속|적발|발사|시험|개최|열렸|건설|완공|"
    r"올랐|내렸|떨어졌|뛰었|상승|하락|거래됐|거래되|팔렸|판매|사들|동이\s*났|넘어섰|넘었|줄었|늘었|"
    r"탈북|도강|송환|추방|이동|교체|배치|확인됐|반입|오른|올라|급등|급락|내린|뛴|연행|혐의|동행|세웠|발표|처형)"
)
KO_REPORTED = re.compile(
    r"(?:소식통|전했다|알려졌다|전해졌다|에\s*따르면|보도|주장|밝혔다|것으로\s*확인|발표|나타났다|통신은)"
)
KO_HEDGE = re.compile(
    r"(?:것으로\s*알려졌다|것으로\s*전해졌다|전해졌다|알려졌다|추정|로\s*보인다|것으로\s*보인다|가능성|"
    r"정도|가량|약\s*\d|수준|남짓|이라는\s*분석|다는\s*분석|다고\s*한다|라고\s*한다|소문|셈이다|경우가\s*많다)"
)


# ------------------------------------------------------------------ speed

rx = lru_cache(maxsize=None)(re.compile)
"""A compiled pattern by its text, compiled once (``re.search(text, …)`` pays a cache lookup
costlier than the search itself on a short sentence)."""

_OPTIONAL = re.compile(r"\(\?:[^()]*\)[?*]")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "with",
        "was",
        "were",
        "has",
        "have",
        "had",
        "been",
        "will",
        "are",
        "his",
        "her",
        "its",
        "their",
        "all",
        "any",
        "not",
    ]
)
_WORDS = re.compile(r"[a-z]{3,}")


class Gated:
    """A slow pattern run only on text holding one of its literal words.

    The big alternations above cost about a microsecond a character each; a sentence without
    any of their words cannot match, and a set lookup says so for the price of one split. This
    keeps a 1 MB article under a second.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        source = pattern.pattern
        while True:  # an optional group's words are not needed for a match: leave them out
            shorter = _OPTIONAL.sub(" ", source)
            if shorter == source:
                break
            source = shorter
        source = re.sub(r"\\[a-zA-Z]", " ", source).lower().replace("?", "")
        self.triggers = frozenset(_stem(w) for w in _WORDS.findall(source) if w not in _STOP)

    def search(self, text: str, words: frozenset[str]):
        if words.isdisjoint(self.triggers):
            return None
        return self.pattern.search(text)

    def finditer(self, text: str, words: frozenset[str]):
        if words.isdisjoint(self.triggers):
            return iter(())
        return self.pattern.finditer(text)


_STEMS = re.compile(r"([a-z]{3,}?)s?\b")


@lru_cache(maxsize=8192)
def words_of(text: str) -> frozenset[str]:
    """Lowercase words of a sentence, a final "s" dropped ("sources" and "source" meet)."""
    return frozenset(_STEMS.findall(text.lower()))


def _stem(word: str) -> str:
    found = _STEMS.match(word)
    return found.group(1) if found else word


EVENT_WORDS = Gated(EVENT).triggers
"""EVENT is a plain list of words: a set lookup finds one without running the pattern."""
G_HEDGE = Gated(HEDGE)
G_POLICY_VERB = Gated(POLICY_VERB)
G_STATE_ACTOR = Gated(STATE_ACTOR)
G_DIRECTIVE_NOUN = Gated(DIRECTIVE_NOUN)
G_REPORTED = Gated(REPORTED)
G_OPINION = Gated(OPINION)
DATE_WORDS = Gated(DATE).triggers
