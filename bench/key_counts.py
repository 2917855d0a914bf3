"""Keys an analyst presses for the everyday marks, replayed in the real app (issue 12, item 5).

Each flow opens the sample article "Rice tops 7,000 won…", puts the cursor where an analyst reading
sentence by sentence would be (the start of the sentence; getting there is reading, not marking), then
presses the flow's keys through Textual's Pilot and checks the stored annotation is exactly the one
intended. It prints, per flow, the keys pressed now, the fewest keys the keymap of the first version
needed for the same mark (computed, not remembered: ``v``, then ``w`` and ``l`` until the cursor is one
past the end, since selections then left out the character under the cursor, then the mark key), and
the target. Typed names (a speaker) are not counted: they are the same in every design.

    python bench/key_counts.py           # print the table
    python bench/key_counts.py --check   # also exit 1 when a flow misses its target or marks wrongly
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nkreader.services.importing import import_paths  # noqa: E402
from nkreader.services.library import Library  # noqa: E402
from nkreader.text import segment  # noqa: E402
from nkreader.tui.app import create_app  # noqa: E402
from nkreader.tui.reader import ReaderView  # noqa: E402

ARTICLE = ROOT / "sample_articles" / "hyesan-market-prices.txt"
NAME = "the source"


@dataclass(frozen=True)
class Flow:
    name: str
    start: str
    """Text at the start of the sentence the cursor rests on."""
    keys: tuple[str, ...]
    """The keys pressed; the literal ``NAME`` stands for typing the speaker's name."""
    kind: str
    exact: str
    """What the stored annotation must hold (after the flow)."""
    target: int
    speaker: str | None = None
    setup: tuple[str, ...] = ()
    """Keys pressed first and not counted (making the mark a boundary move starts from)."""
    old_extra: int = 0
    """Keys the first version needed beyond selecting and marking (``a`` and ``Enter`` for a speaker)."""
    old_possible: bool = True


SENTENCE = (
    "A kilogram of rice sold for 7,200 won at Hyesan market on Aug. 20, up from 6,400 won two weeks "
    "earlier and 5,850 won at the start of July, according to the source."
)
QUOTE = (
    "“People used to switch to corn when rice got expensive, but now corn is going up just as fast,” the "
    "source said. “A family of four needs at least 1.5 kg of grain a day."
)

FLOWS = [
    Flow("whole sentence", "A kilogram of rice", ("c",), "claim", SENTENCE, 2),
    Flow(
        "clause inside a sentence",
        "A kilogram of rice",
        ("right_square_bracket", "w", "v", "right_square_bracket", "c"),
        "claim",
        "up from 6,400 won two weeks earlier and 5,850 won at the start of July",
        6,
    ),
    Flow(
        "quote with its speaker over two sentences",
        "“People used to",
        ("s", ")", "Q", "NAME", "enter"),
        "quote",
        QUOTE,
        4,
        speaker=NAME,
        old_extra=2,
    ),
    Flow(
        "policy clause inside a quote",
        "The notice stated",
        ("f", "“", "l", "v", "right_square_bracket", "p"),
        "policy",
        "the market is a place to serve the people",
        6,
    ),
    Flow(
        "move a mark's end by two words",
        "A kilogram of rice",
        ("E", "e", "e", "enter"),
        "claim",
        "A kilogram of rice sold for 7,200 won at Hyesan market on Aug. 20, up from",
        4,
        setup=("v", "right_square_bracket", "c"),
        old_possible=False,
    ),
]


def old_keys(body: str, start: int, end: int) -> int:
    """The fewest keys of the first keymap to mark [start, end) with the cursor at `start`.

    Then a selection ran from the anchor to the cursor and left the cursor's character out, so the
    cursor had to reach `end` itself. The best of: the mark key alone (the span is the sentence under the
    cursor); ``v``, ``)`` per sentence (the span is whole sentences); ``v``, ``w`` and ``l`` until the
    cursor stands at `end`; each followed by the mark key.
    """
    best = []
    if segment.sentence_at(body, start) == (start, end):
        best.append(1)
    cursor, presses = start, 0
    while cursor < end:
        cursor, presses = segment.next_sentence_start(body, cursor), presses + 1
        if segment.trim_span(body, start, cursor) == (start, end):
            best.append(1 + presses + 1)
    presses, cursor = 0, start
    while True:
        nxt = segment.next_word_start(body, cursor)
        if nxt > end:
            break
        cursor, presses = nxt, presses + 1
    best.append(1 + presses + (end - cursor) + 1)
    return min(best)


async def replay(flow: Flow, workdir: Path) -> tuple[int, bool, str]:
    library = Library.open(str(workdir / f"{abs(hash(flow.name))}.db"))
    try:
        import_paths(library, [ARTICLE])
        app = create_app(library, keymap_path=workdir / "config.toml")
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            reader = app.screen.query_one(ReaderView)
            reader.move_to(reader.body.index(flow.start))
            await pilot.pause()
            for key in flow.setup:
                await pilot.press(key)
                await pilot.pause()
            counted = 0
            for key in flow.keys:
                if key == "NAME":
                    await pilot.press(*NAME)
                else:
                    await pilot.press(key)
                    counted += 1
                await pilot.pause()
            await pilot.pause()
        article = library.summaries()[0]
        marks = library.annotations(article.id)
        ok = len(marks) == 1 and marks[0].kind.value == flow.kind and marks[0].exact == flow.exact
        if flow.speaker is not None:
            ok = ok and marks[0].speaker == flow.speaker
        got = marks[0].exact if marks else "(nothing stored)"
        return counted, ok, got
    finally:
        library.close()


async def main(check: bool) -> int:
    body = ARTICLE.read_text(encoding="utf-8")
    failures = 0
    print(f"{'flow':44} {'now':>4} {'first version':>14} {'target':>7}  result")
    with tempfile.TemporaryDirectory() as folder:
        for flow in FLOWS:
            counted, ok, got = await replay(flow, Path(folder))
            if flow.old_possible:
                at = body.index(flow.exact)
                before = str(old_keys(body, at, at + len(flow.exact)) + flow.old_extra)
            else:
                before = "impossible"
            met = counted <= flow.target
            verdict = "ok" if ok and met else ("WRONG MARK: " + got[:60] if not ok else "over target")
            failures += not (ok and met)
            plus = " + name" if "NAME" in flow.keys else ""
            print(f"{flow.name:44} {counted:>4} {before:>14} {'≤ ' + str(flow.target):>7}  {verdict}{plus}")
    return 1 if check and failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a flow misses its target")
    sys.exit(asyncio.run(main(parser.parse_args().check)))
