"""Time the reader on a generated article: load + first wrap, then CPU ms per key.

usage: python bench/reader_keys.py [latin|korean|long] [BYTES]

- latin: a ~1 MB article of single-cell text (curly quotes and dashes included)
- korean: a ~1 MB (UTF-8) Korean article with some English
- long: one 200 KB paragraph (the whole article without paragraph breaks)

Each key is pressed through Pilot; the frame it causes is forced right away so the time counts
the render too (this calls a private Textual method: bench only).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time

from textual.app import App, ComposeResult

from nkreader.domain import Kind
from nkreader.tui.reader import Highlight, ReaderView

LATIN = [
    "the",
    "minister",
    "said",
    "that",
    "government",
    "policy",
    "on",
    "housing",
    "will",
    "change",
    "next",
    "year",
    "according",
    "to",
    "officials",
    "economy",
    "growth",
    "inflation",
    "reported",
    "claims",
    "announced",
    "Zürich",
    "café",
    "naïve",
    "résumé",
    "“quoted”",
    "—",
    "analysts",
    "parliament",
    "budget",
    "spending",
    "reform",
    "opposition",
    "leader",
    "spokesperson",
    "U.S.",
    "Mr.",
    "Kim",
    "Jan.",
    "5",
    "1.5",
    "4,800",
]
KOREAN = [
    "김정은",
    "위원장은",
    "경제",
    "건설",
    "정책을",
    "발표했다",
    "평양",
    "주민",
    "소식통이",
    "전했다",
    "인민",
    "생활",
    "향상",
    "농업",
    "증산",
    "자력갱생",
    "노동당",
    "전원회의",
    "강조했다",
    "지시했다",
    "말했다",
    "그러나",
    "북한",
    "당국은",
    "올해",
    "1.5%",
    "증가",
    "“경제를",
    "살리겠다”",
    "Kim",
    "Jong",
    "Un",
    "policy",
]

KEYS = {
    "down": 60,
    "up": 20,
    "right": 30,
    "left": 10,
    "w": 30,
    "b": 10,
    "right_parenthesis": 20,
    "left_parenthesis": 10,
    "right_curly_bracket": 10,
    "shift+down": 20,
    "shift+right": 20,
    "v": 2,
    "j": 20,
    "escape": 1,
    "s": 5,
    "pagedown": 20,
    "pageup": 10,
    "end": 5,
    "home": 5,
}


def make_article(words: list[str], target_bytes: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < target_bytes:
        sentences = []
        for _ in range(rnd.randint(2, 8)):
            text = " ".join(rnd.choice(words) for _ in range(rnd.randint(6, 30)))
            sentences.append(text[0].upper() + text[1:] + rnd.choice(".!?."))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(paragraphs)


def make_highlights(body: str, n: int, seed: int = 2) -> list[Highlight]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        start = rnd.randrange(0, max(1, len(body) - 500))
        out.append(Highlight(start, start + rnd.randint(5, 400), rnd.choice(list(Kind)), f"k{i}"))
    return sorted(out, key=lambda h: h.start)


class BenchApp(App[None]):
    CSS = "ReaderView { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield ReaderView(id="reader")


def _frame(app: App[None]) -> None:
    app.screen._on_timer_update()  # force layout + render now (private; bench only)


async def bench(which: str, nbytes: int, size: tuple[int, int] = (120, 40)) -> None:
    if which == "korean":
        body = make_article(KOREAN, nbytes)
    elif which == "long":
        body = make_article(LATIN, nbytes).replace("\n\n", " ")
    else:
        body = make_article(LATIN, nbytes)
    highlights = make_highlights(body, n=max(10, len(body) // 500))
    app = BenchApp()
    async with app.run_test(size=size) as pilot:
        reader = app.query_one(ReaderView)
        reader.focus()
        await pilot.pause()
        t0, c0 = time.perf_counter(), time.process_time()
        reader.load(body, highlights)
        _frame(app)
        wall, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        await pilot.pause()
        print(
            f"[{which}] {len(body):,} chars ({len(body.encode()):,} bytes), {len(highlights)} highlights, "
            f"{reader.virtual_size.height:,} visual lines, terminal {size[0]}x{size[1]}"
        )
        print(f"  load + first wrap + first frame: {wall:7.1f} ms wall, {cpu:7.1f} ms cpu")
        reader.move_to(len(body) // 2)
        await pilot.pause()
        for key, n in KEYS.items():
            cpus = []
            for _ in range(n):
                c = time.process_time()
                await pilot.press(key)
                _frame(app)
                cpus.append((time.process_time() - c) * 1000)
            print(
                f"  {key:20s} x{n:3d}: cpu median {statistics.median(cpus):6.2f} ms, max {max(cpus):6.2f} ms"
            )
        t0 = time.perf_counter()
        await pilot.resize_terminal(100, 40)
        _frame(app)
        print(f"  resize 120 -> 100 columns (re-wrap): {(time.perf_counter() - t0) * 1000:7.1f} ms")
        t0 = time.perf_counter()
        reader.set_highlights(highlights[: len(highlights) // 2])
        _frame(app)
        print(f"  set_highlights + frame: {(time.perf_counter() - t0) * 1000:7.1f} ms")
        t0 = time.perf_counter()
        found = reader.find("SPOKESPERSON", reader.cursor + 1)
        print(f"  find: {(time.perf_counter() - t0) * 1000:7.1f} ms (at {found})")


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else "latin"
    default = 200_000 if kind == "long" else 1_000_000
    asyncio.run(bench(kind, int(sys.argv[2]) if len(sys.argv) > 2 else default))
