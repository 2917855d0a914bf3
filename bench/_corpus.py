"""Deterministic synthetic library for the benchmark: articles, two 1 MB articles, annotations.

Everything here is a pure function of a seed, so two runs on two machines build byte-identical
files and rows. Korean text comes from the shared corpus of New Year addresses when it is present
(``../shared/corpora/nk-new-year-addresses`` beside the project, CC0), else from a generated Korean word list.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

KOREAN_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "nk-new-year-addresses"

PLACES = (
    "Pyongyang",
    "Hyesan",
    "Sinuiju",
    "Chongjin",
    "Wonsan",
    "Kaesong",
    "Nampo",
    "Hamhung",
    "Rason",
    "Musan",
    "Hoeryong",
    "Kanggye",
    "Haeju",
    "Sariwon",
    "Pyongsong",
    "Ryanggang Province",
    "North Hamgyong Province",
    "South Pyongan Province",
    "Jagang Province",
    "the border region",
    "Dandong",
    "Seoul",
    "Beijing",
    "Yanji",
)
ACTORS = (
    "Kim Jong Un",
    "the Central Committee",
    "the Workers' Party",
    "the Ministry of State Security",
    "the Korean People's Army",
    "the cabinet",
    "local party officials",
    "a source in Ryanggang Province",
    "a resident of Hyesan",
    "a trader in Sinuiju",
    "KCNA",
    "Rodong Sinmun",
    "the provincial committee",
    "the Ministry of Foreign Affairs",
    "a defector now living in Seoul",
    "border guards",
    "security officials",
    "the state planning commission",
    "a farm manager",
    "market vendors",
)
VERBS = (
    "announced",
    "ordered",
    "reported",
    "denied",
    "confirmed",
    "warned",
    "claimed",
    "demanded",
    "pledged",
    "criticised",
    "launched",
    "tightened",
    "expanded",
    "suspended",
    "inspected",
    "praised",
    "blamed",
    "urged",
    "restricted",
    "approved",
)
OBJECTS = (
    "new border controls",
    "a crackdown on smuggling",
    "the grain harvest",
    "food shortages",
    "rice prices",
    "the price of corn",
    "sanctions",
    "missile tests",
    "a satellite launch",
    "the five-year plan",
    "forced labour sentences",
    "market restrictions",
    "electricity rationing",
    "housing construction",
    "the fishing season",
    "foreign currency exchanges",
    "mobile phone use",
    "a mobilisation campaign",
    "self-reliance",
    "the economic policy",
    "fertiliser deliveries",
    "public trials",
    "the plenary meeting",
    "military drills",
    "trade with China",
    "the defence budget",
)
CLAUSES = (
    "according to officials",
    "ahead of the party plenum",
    "after a poor harvest",
    "despite international sanctions",
    "in a statement carried by state media",
    "during an inspection tour",
    "as prices continued to rise",
    "in the first quarter",
    "without giving details",
    "citing security concerns",
    "for the third time this year",
    "at a meeting of provincial cadres",
    "amid reports of hunger",
    "near the Chinese border",
)
FILLER = (
    "the",
    "a",
    "of",
    "and",
    "in",
    "to",
    "that",
    "on",
    "for",
    "with",
    "as",
    "by",
    "at",
    "from",
    "which",
    "while",
    "also",
    "but",
    "its",
    "their",
    "has",
    "have",
    "was",
    "were",
    "had",
    "been",
    "said",
    "told",
    "reported",
    "residents",
    "authorities",
    "officials",
    "people",
    "workers",
    "farmers",
    "soldiers",
    "families",
    "traders",
    "market",
    "markets",
    "prices",
    "price",
    "rice",
    "corn",
    "grain",
    "fuel",
    "electricity",
    "food",
    "harvest",
    "season",
    "province",
    "county",
    "city",
    "village",
    "border",
    "China",
    "smuggling",
    "crackdown",
    "inspection",
    "campaign",
    "policy",
    "plan",
    "economy",
    "economic",
    "sanctions",
    "trade",
    "exports",
    "imports",
    "currency",
    "won",
    "yuan",
    "dollars",
    "government",
    "party",
    "committee",
    "meeting",
    "plenum",
    "leader",
    "security",
    "police",
    "army",
    "military",
    "missile",
    "satellite",
    "launch",
    "nuclear",
    "talks",
    "statement",
    "media",
    "report",
    "source",
    "sources",
    "defector",
    "defectors",
    "labour",
    "forced",
    "camp",
    "trial",
    "sentenced",
    "arrested",
    "released",
    "week",
    "month",
    "year",
    "years",
    "recently",
    "last",
    "this",
    "new",
    "several",
    "many",
    "some",
    "most",
    "few",
    "local",
    "national",
    "foreign",
    "state",
    "public",
    "private",
    "daily",
    "weekly",
    "increase",
    "decrease",
    "shortage",
    "shortages",
    "supply",
    "supplies",
    "delivery",
    "deliveries",
    "construction",
    "housing",
    "factory",
    "factories",
    "mine",
    "mines",
    "coal",
    "fishing",
    "boats",
    "mobilisation",
    "self-reliance",
    "reform",
    "control",
    "controls",
    "restrictions",
    "phones",
    "mobile",
    "—",
    "“quoted”",
    "per cent",
    "kilogram",
    "tonnes",
    "about",
    "nearly",
    "more",
    "than",
    "less",
)
TITLE_LEADS = (
    "Authorities",
    "Officials",
    "Residents",
    "Traders",
    "Border guards",
    "Farmers",
    "Party cadres",
    "State media",
    "Security police",
    "Provincial leaders",
    "Market vendors",
    "Workers",
)

SPEAKERS_EN = (
    "Kim Jong Un",
    "Kim Yo Jong",
    "Choe Son Hui",
    "Pak Thae Song",
    "Jo Yong Won",
    "Ri Pyong Chol",
    "Kim Tok Hun",
    "Choe Ryong Hae",
    "Ri Il Hwan",
    "Kim Jae Ryong",
    "the Central Committee",
    "the Ministry of Foreign Affairs",
    "the Ministry of State Security",
    "KCNA",
    "Rodong Sinmun",
    "the provincial party committee",
    "the cabinet",
    "the General Staff",
    "a source in Ryanggang Province",
    "a source in North Hamgyong Province",
    "a source in South Pyongan Province",
    "a resident of Hyesan",
    "a trader in Sinuiju",
    "a defector in Seoul",
    "a farm manager",
    "a factory worker",
)
SPEAKERS_KO = (
    "김정은",
    "김여정",
    "최선희",
    "박태성",
    "조용원",
    "리병철",
    "김덕훈",
    "최룡해",
    "조선중앙통신",
    "로동신문",
    "당중앙위원회",
    "외무성",
    "국가보위성",
    "량강도 소식통",
    "함경북도 소식통",
    "평안남도 소식통",
)
GIVEN = (
    "Min",
    "Ji",
    "Hye",
    "Sung",
    "Young",
    "Chol",
    "Hyok",
    "Ok",
    "Kwang",
    "Myong",
    "Song",
    "Il",
    "Jin",
    "Nam",
)
FAMILY = ("Kim", "Ri", "Pak", "Choe", "Jong", "Kang", "Jo", "Yun", "Jang", "Han", "Ryu", "Hong", "Ho", "O")
KO_FAMILY = ("김", "리", "박", "최", "정", "강", "조", "윤", "장", "한", "류", "홍")
KO_GIVEN = ("영철", "명숙", "광혁", "은정", "성남", "옥순", "진혁", "혜영", "철수", "순희", "일남", "금순")
TAGS = (
    "economy",
    "food",
    "prices",
    "border",
    "smuggling",
    "sanctions",
    "military",
    "missile",
    "nuclear",
    "policy",
    "agriculture",
    "harvest",
    "markets",
    "security",
    "human-rights",
    "forced-labour",
    "energy",
    "trade",
    "china",
    "leadership",
    "propaganda",
    "plenum",
    "verify",
    "follow-up",
    "경제",
    "식량",
)
NOTES = (
    "",
    "",
    "",
    "",
    "Check against the KCNA version.",
    "Verify with a second source.",
    "Same claim appeared last month.",
    "Figures look inflated.",
    "Compare with the 2019 address.",
    "Needs a date.",
    "Source is anonymous; treat with care.",
    "Contradicts the provincial report.",
    "Follow up with the Seoul office.",
    "출처 확인 필요",
    "verify the numbers",
)
KO_WORDS = (
    "경제",
    "건설",
    "인민",
    "생활",
    "향상",
    "농업",
    "증산",
    "자력갱생",
    "로동당",
    "전원회의",
    "강조했다",
    "지시했다",
    "말했다",
    "그러나",
    "당국은",
    "올해",
    "평양",
    "주민",
    "소식통이",
    "전했다",
    "국경",
    "밀수",
    "단속",
    "식량",
    "가격",
    "시장",
    "제재",
    "미사일",
    "발사",
    "계획",
)


def speaker_pool(rng: random.Random, size: int = 200) -> list[str]:
    """About 200 distinct speakers: named officials, institutions, anonymous sources, Korean names."""
    pool: list[str] = list(dict.fromkeys([*SPEAKERS_EN, *SPEAKERS_KO]))
    seen = set(pool)
    while len(pool) < size:
        if rng.random() < 0.3:
            name = rng.choice(KO_FAMILY) + rng.choice(KO_GIVEN)
        else:
            name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)} {rng.choice(GIVEN).lower()}"
        if name not in seen:
            seen.add(name)
            pool.append(name)
    return pool


def korean_paragraphs(rng: random.Random) -> list[str]:
    """Korean paragraphs: the New Year addresses if present, else generated from a word list."""
    paragraphs: list[str] = []
    if KOREAN_CORPUS.is_dir():
        for path in sorted(KOREAN_CORPUS.glob("*.txt")):
            if path.name == "SOURCE.txt":
                continue
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
            for block in text.split("\n"):
                block = unicodedata.normalize("NFC", " ".join(block.split()))
                if len(block) >= 20:
                    paragraphs.append(block)
    if not paragraphs:
        for _ in range(400):
            words = rng.choices(KO_WORDS, k=rng.randint(15, 60))
            paragraphs.append(" ".join(words) + ".")
    return paragraphs


@dataclass(slots=True)
class ArticleText:
    name: str  # file name
    title: str
    body: str

    def file_text(self) -> str:
        return f"{self.title}\n\n{self.body}\n"


class Generator:
    """Sentences, paragraphs and titles of plausible news English, from one seeded RNG."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.korean = korean_paragraphs(random.Random(seed + 1))

    def sentence(self) -> str:
        rng = self.rng
        shape = rng.random()
        if shape < 0.45:
            words = [
                rng.choice(ACTORS),
                rng.choice(VERBS),
                rng.choice(OBJECTS),
                "in",
                rng.choice(PLACES),
                *rng.choices(FILLER, k=rng.randint(2, 10)),
                rng.choice(CLAUSES),
            ]
        elif shape < 0.6:
            quote = " ".join(rng.choices(FILLER, k=rng.randint(6, 16)))
            words = [f"“{quote.capitalize()},” said {rng.choice(ACTORS)}"]
        else:
            words = rng.choices(FILLER, k=rng.randint(8, 26))
            words.insert(rng.randint(0, len(words)), rng.choice(PLACES))
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        return text if text.endswith("”") or text.endswith(")") else text + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def title(self) -> str:
        rng = self.rng
        return f"{rng.choice(TITLE_LEADS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} in {rng.choice(PLACES)}"

    def article(self, index: int, words: int = 800) -> ArticleText:
        paragraphs: list[str] = []
        count = 0
        while count < words:
            paragraph = self.paragraph()
            paragraphs.append(paragraph)
            count += paragraph.count(" ") + 1
        if self.rng.random() < 0.05:  # ~5% of articles quote Korean paragraphs
            for _ in range(self.rng.randint(1, 3)):
                paragraphs.insert(self.rng.randint(0, len(paragraphs)), self.rng.choice(self.korean))
        # a serial in the first paragraph keeps every body distinct (the importer skips duplicates)
        paragraphs[0] = f"({self.rng.choice(PLACES)}, report {index + 1}) {paragraphs[0]}"
        return ArticleText(f"article-{index:05d}.txt", self.title(), "\n\n".join(paragraphs))

    def big_english(self, nbytes: int) -> ArticleText:
        paragraphs: list[str] = []
        size = 0
        while size < nbytes:
            paragraph = self.paragraph()
            paragraphs.append(paragraph)
            size += len(paragraph.encode()) + 2
        return ArticleText(
            "big-english.txt",
            "Full text: report on the work of the Central Committee",
            "\n\n".join(paragraphs),
        )

    def big_korean(self, nbytes: int) -> ArticleText:
        paragraphs: list[str] = []
        size = 0
        corpus = self.korean
        position = 0
        while size < nbytes:
            # the addresses in order, then again with paragraphs shuffled: long but not one repeated block
            if position >= len(corpus):
                corpus = corpus[:]
                self.rng.shuffle(corpus)
                position = 0
            paragraph = corpus[position]
            position += 1
            paragraphs.append(paragraph)
            size += len(paragraph.encode()) + 2
        return ArticleText("big-korean.txt", "신년사 전문 모음 (2016-2019)", "\n\n".join(paragraphs))


def write_articles(folder: Path, articles: Iterator[ArticleText] | list[ArticleText]) -> list[ArticleText]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for article in articles:
        (folder / article.name).write_text(article.file_text(), encoding="utf-8")
        written.append(article)
    return written


def deterministic_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def annotation_rows(
    rng: random.Random,
    bodies: dict[int, str],
    count: int,
    *,
    heavy: dict[int, int] | None = None,
) -> list[dict]:
    """`count` annotation rows over the articles in `bodies` (id -> stored body).

    `heavy` maps an article id to a fixed number of annotations (the 1 MB articles); the rest are
    spread at random over the other articles. Spans start and end on word boundaries.
    """
    from nkreader.domain import quote_context

    heavy = heavy or {}
    speakers = speaker_pool(rng)
    others = [i for i in bodies if i not in heavy]
    targets: list[int] = []
    for article_id, n in heavy.items():
        targets.extend([article_id] * n)
    targets.extend(rng.choices(others, k=count - len(targets)))
    epoch = datetime(2024, 1, 1, tzinfo=UTC)
    kinds = ("claim", "quote", "policy")
    statuses = ("unverified", "unverified", "corroborated", "disputed", "refuted")
    rows = []
    for article_id in targets:
        body = bodies[article_id]
        for _attempt in range(10):
            start = rng.randrange(0, max(1, len(body) - 40))
            space = body.find(" ", start)
            start = start if space < 0 else space + 1
            end = min(len(body), start + rng.randint(30, 280))
            cut = body.rfind(" ", start + 1, end)
            end = end if cut <= start else cut
            exact, prefix, suffix = quote_context(body, start, end)
            if exact.strip() and start < end:
                break
        kind = rng.choice(kinds)
        created = epoch + timedelta(
            seconds=rng.randrange(0, 2 * 365 * 86400), milliseconds=rng.randrange(1000)
        )
        speaker = rng.choice(speakers) if kind != "claim" or rng.random() < 0.3 else None
        rows.append(
            {
                "uuid": deterministic_uuid(rng),
                "article_id": article_id,
                "kind": kind,
                "start": start,
                "end": end,
                "exact": exact,
                "prefix": prefix,
                "suffix": suffix,
                "note": rng.choice(NOTES),
                "tags": rng.sample(TAGS, rng.choice((0, 1, 1, 2, 3))),
                "speaker": speaker,
                "status": rng.choice(statuses) if kind == "claim" else "unverified",
                "anchor_state": "anchored",
                "author": "bench",
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows
