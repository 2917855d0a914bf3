"""How well HTML import finds a page's main text: token recall and precision on real pages.

Usage: python tools/html_extraction.py [CORPUS] [--strategy NAME ...]

CORPUS (default: ../shared/corpora/real-news-pages beside the project) holds one folder per page
with `source.html` (the saved page) and `expected.html` (its main content, from
mozilla/readability's test pages). For each page and each extraction strategy of
`nkreader.ingest.webpage.extract`, the stored body is compared with the expected text as bags of
lower-cased word tokens:

- recall: the share of the expected tokens the body holds (lost text lowers it);
- precision: the share of the body's tokens that are expected (menus, footers lower it).

It prints a table per page, then the mean and the minimum of each, per strategy.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from nkreader.ingest.base import IngestError  # noqa: E402
from nkreader.ingest.webpage import STRATEGIES, read_html  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "real-news-pages"
_TOKEN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+"
)
"""Words; each Chinese or Japanese character (and Hangul syllable) a token of its own, since those
scripts do not separate words with spaces."""


@dataclass(slots=True)
class Score:
    page: str
    strategy: str
    recall: float
    precision: float


def tokens(text: str) -> Counter[str]:
    return Counter(t.casefold() for t in _TOKEN.findall(text))


def expected_text(path: Path) -> str:
    tree = lxml_html.fromstring(path.read_bytes().decode("utf-8", errors="replace"))
    return " ".join(tree.itertext())


def score(page: Path, strategy: str) -> Score:
    expected = tokens(expected_text(page / "expected.html"))
    try:
        draft = read_html((page / "source.html").read_bytes(), str(page), page.name, strategy=strategy)
        found = tokens(draft.title + " " + draft.body)
    except IngestError:
        found = Counter()
    common = sum((expected & found).values())
    recall = common / max(1, sum(expected.values()))
    precision = common / sum(found.values()) if found else 0.0
    return Score(page.name, strategy, recall, precision)


def pages(corpus: Path) -> list[Path]:
    return sorted(
        p for p in corpus.iterdir() if (p / "source.html").is_file() and (p / "expected.html").is_file()
    )


def evaluate(corpus: Path, strategies: tuple[str, ...] = STRATEGIES) -> dict[str, list[Score]]:
    return {s: [score(page, s) for page in pages(corpus)] for s in strategies}


def summary(scores: list[Score]) -> dict[str, float]:
    n = max(1, len(scores))
    return {
        "recall": sum(s.recall for s in scores) / n,
        "precision": sum(s.precision for s in scores) / n,
        "min_recall": min((s.recall for s in scores), default=0.0),
        "min_precision": min((s.precision for s in scores), default=0.0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--strategy", action="append", choices=STRATEGIES)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    strategies = tuple(args.strategy or STRATEGIES)
    results = evaluate(args.corpus, strategies)
    names = [s.page for s in next(iter(results.values()))]
    print(f"{'page':28}" + "".join(f"{s[:22]:>24}" for s in strategies))
    for index, name in enumerate(names):
        cells = "".join(
            f"   R {results[s][index].recall:.3f} P {results[s][index].precision:.3f}" for s in strategies
        )
        print(f"{name:28}{cells}")
    print()
    for strategy in strategies:
        figures = summary(results[strategy])
        print(
            f"{strategy:22} mean recall {figures['recall']:.3f}  mean precision {figures['precision']:.3f}  "
            f"min recall {figures['min_recall']:.3f}  min precision {figures['min_precision']:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
