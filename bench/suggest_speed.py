"""Suggestion speed (issue 13): CPU time of the rules next to a floor measured in the same run.

usage: PYTHONPATH=src python bench/suggest_speed.py

Figures: every bundled sample article (typical articles; target <= 50 ms each), a 1 MB article
made of the samples repeated (genre-rich: quotes, sources, numbers; target <= 1 s) and the
benchmark's synthetic 1 MB English and Korean articles. The floor is `sentence_spans` over the same
text: the sentence split every sentence-level rule needs, so "ratio" is what the rules cost on top
of reading the text once. CPU time (`time.process_time`), so other work on a shared machine does
not inflate the figures; the first call (compiling the patterns) is reported apart. Never fails on
a time: it prints the figures.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _corpus import Generator  # noqa: E402

from nkreader.ingest import read_file  # noqa: E402
from nkreader.text.segment import sentence_spans  # noqa: E402

SAMPLES = HERE.parent / "sample_articles"


def cpu(function, *args, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        function(*args)
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> int:
    started = time.process_time()
    from nkreader.suggest import suggest

    suggest("")
    print(f"first call (import, compile the patterns): {(time.process_time() - started) * 1000:.0f} ms CPU")
    bodies = [
        (f"{p.name}{'#' + str(i) if i else ''}", d.body)
        for p in sorted(SAMPLES.iterdir())
        if p.name != "README.md"
        for i, d in enumerate(read_file(p).drafts)
    ]
    print(f"{'article':44} {'chars':>9} {'suggest ms':>11} {'floor ms':>9} {'ratio':>6} {'found':>6}")
    rows = []
    for name, body in bodies:
        rows.append((name, body, cpu(suggest, body, repeat=5), cpu(sentence_spans, body, repeat=5)))
    genre = "\n\n".join(b for _, b in bodies)
    big = (genre * (1_000_000 // len(genre) + 1))[:1_000_000]
    generator = Generator(random.Random(13).randrange(1 << 30))
    for name, body in [
        ("1 MB of the samples repeated", big),
        ("synthetic 1 MB English (bench corpus)", generator.big_english(1_000_000).body),
        ("synthetic 1 MB Korean (bench corpus)", generator.big_korean(1_000_000).body),
    ]:
        rows.append((name, body, cpu(suggest, body, repeat=1), cpu(sentence_spans, body, repeat=1)))
    for name, body, took, floor in rows:
        found = len(suggest(body)) if len(body) < 100_000 else "-"
        ratio = took / floor if floor else float("inf")
        print(f"{name[:44]:44} {len(body):>9,} {took * 1000:>11.1f} {floor * 1000:>9.1f} {ratio:>6.1f} {found!s:>6}")
    typical = [t for _, b, t, _ in rows if len(b) < 100_000]
    print(f"typical articles: median {statistics.median(typical) * 1000:.1f} ms, slowest {max(typical) * 1000:.1f} ms CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
