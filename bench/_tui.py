"""The app in-process (``App.run_test()`` + Pilot): open a 1 MB article, keystroke latency, tag -> committed.

Why not ``perf_counter`` around ``pilot.press()`` + ``pilot.pause()`` alone: Pilot waits for the process
to look idle with fixed 20 ms sleeps (``textual._wait.wait_for_idle``), two per key and one per pause, so
that wall time is never below ~60 ms whatever the app does. The figures here are the same key path
without those sleeps: the key event is put on the app's queue as Pilot does it
(``driver.send_message(events.Key)``), the bench waits until the app and every widget of the screen have
processed their queues (Pilot's own ``_wait_for_screen``, repeated until the queues stay empty), then
forces the frame the key caused (``screen._on_timer_update()``, what ``pilot.pause()`` ends with).
``perf_counter`` around that is the latency: key event -> state updated -> frame composed. Process CPU
time over the same span is recorded too (the spike's measure), and for a few keys the Pilot wall time
(with its sleeps) so the two methods can be compared. Private Textual APIs are used here only.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

SIZE = (120, 40)

CURSOR_KEYS = {"down": 60, "up": 20, "right": 30, "left": 10, "w": 30, "b": 10, ")": 15, "(": 5, "}": 10}
SCROLL_KEYS = {"pagedown": 30, "pageup": 10, "ctrl+d": 10}
QUICK_CURSOR_KEYS = {"down": 20, "up": 10, "right": 10, "w": 10, ")": 5, "}": 5}
QUICK_SCROLL_KEYS = {"pagedown": 10, "pageup": 5}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _key_event(key: str) -> events.Key:
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def _settle(pilot: Any) -> None:
    app = pilot.app
    for _ in range(8):
        await pilot._wait_for_screen()
        # A key that came while another was in flight waits in the app's backlog (tui/key_order.py),
        # drained by a timer: wait for it too, or the key would be timed before it acts.
        while getattr(app, "_key_backlog", None):
            await asyncio.sleep(0.0005)
        nodes = [app, *app.screen.walk_children(with_self=True)]
        if all(node._message_queue.empty() for node in nodes) and not getattr(app, "_key_backlog", None):
            break


def _frame(app: Any) -> None:
    app.screen._on_timer_update()


async def timed_key(pilot: Any, key: str) -> tuple[float, float]:
    """(wall ms, cpu ms): key event -> processed by every widget -> frame composed."""
    app = pilot.app
    event = _key_event(key)
    event.set_sender(app)
    t0, c0 = time.perf_counter(), time.process_time()
    app._driver.send_message(event)
    await _settle(pilot)
    _frame(app)
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": statistics.median(values),
        "p95": percentile(values, 95),
        "max": max(values),
    }


async def _keys(pilot: Any, keys: dict[str, int]) -> dict[str, Any]:
    walls: list[float] = []
    cpus: list[float] = []
    per_key: dict[str, Any] = {}
    for key, n in keys.items():
        kw, kc = [], []
        for _ in range(n):
            wall, cpu = await timed_key(pilot, key)
            kw.append(wall)
            kc.append(cpu)
        walls += kw
        cpus += kc
        per_key[key] = {
            "wall_p50": statistics.median(kw),
            "wall_max": max(kw),
            "cpu_p50": statistics.median(kc),
        }
    return {"wall": _summary(walls), "cpu": _summary(cpus), "per_key": per_key}


async def _open(pilot: Any, article_id: int) -> tuple[float, float]:
    """Highlight the article in the library list, then time Enter -> the reader's first frame."""
    from nkreader.tui.library_list import LibraryList, LibraryPane
    from nkreader.tui.reader import ReaderView

    app = pilot.app
    screen = app.screen
    screen.query_one(LibraryPane).highlight(article_id)
    screen.query_one(LibraryList).focus()
    await _settle(pilot)
    _frame(app)
    wall, cpu = await timed_key(pilot, "enter")
    reader = screen.query_one(ReaderView)
    if len(reader.body) < 100_000 or not reader.has_focus:
        raise RuntimeError(f"article {article_id} did not open in the reader ({len(reader.body)} chars)")
    return wall, cpu


async def _harness_overhead(pilot: Any, n: int = 20) -> float:
    """Median ms of the measuring itself (settle + forced frame) with no key: part of every key figure."""
    walls = []
    for _ in range(n):
        t0 = time.perf_counter()
        await _settle(pilot)
        _frame(pilot.app)
        walls.append((time.perf_counter() - t0) * 1000)
    return statistics.median(walls)


async def _pilot_wall(pilot: Any, key: str, n: int) -> float:
    """Median perf_counter around pilot.press + pilot.pause (includes Pilot's idle sleeps)."""
    walls = []
    for _ in range(n):
        t0 = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        walls.append((time.perf_counter() - t0) * 1000)
    return statistics.median(walls)


async def _tags(pilot: Any, db_path: Path, article_id: int, n: int, rng: random.Random) -> dict[str, Any]:
    """Press `c` (tag the sentence under the cursor as a claim) at n places; time until the row is stored."""
    from nkreader.tui.reader import ReaderView

    app = pilot.app
    reader = app.screen.query_one(ReaderView)
    probe = sqlite3.connect(db_path)
    try:
        commits, painted = [], []
        body = reader.body
        for _ in range(n):
            # a fresh sentence each time (the same span twice is refused as a duplicate)
            reader.move_to(rng.randrange(len(body) // 10, len(body) * 9 // 10))
            await _settle(pilot)
            _frame(app)
            before = probe.execute("SELECT max(id) FROM annotations").fetchone()[0]
            event = _key_event("c")
            event.set_sender(app)
            t0 = time.perf_counter()
            app._driver.send_message(event)
            deadline = t0 + 10
            while True:
                await asyncio.sleep(0)
                newest = probe.execute("SELECT max(id), article_id FROM annotations").fetchone()
                if newest[0] != before:
                    t_commit = time.perf_counter()
                    if newest[1] != article_id:
                        raise RuntimeError("the tag went to another article")
                    break
                if time.perf_counter() > deadline:
                    raise RuntimeError("no annotation was stored within 10 s of pressing c")
            await _settle(pilot)
            _frame(app)
            t_paint = time.perf_counter()
            commits.append((t_commit - t0) * 1000)
            painted.append((t_paint - t0) * 1000)
        return {"commit": _summary(commits), "commit_and_paint": _summary(painted)}
    finally:
        probe.close()


async def _widget_alone(
    body: str, highlights: list[Any], size: tuple[int, int], quick: bool
) -> dict[str, Any]:
    """The reader widget alone in an app (same body, highlights and size): what the screen adds."""
    from textual.app import App, ComposeResult

    from nkreader.tui.reader import ReaderView

    class ReaderOnly(App[None]):
        CSS = "ReaderView { height: 1fr; }"

        def compose(self) -> ComposeResult:
            yield ReaderView(id="reader")

    app = ReaderOnly()
    async with app.run_test(size=size) as pilot:
        reader = app.query_one(ReaderView)
        reader.focus()
        await _settle(pilot)
        _frame(app)
        t0 = time.perf_counter()
        reader.load(body, highlights, cursor=len(body) // 2)
        await _settle(pilot)
        _frame(app)
        load_ms = (time.perf_counter() - t0) * 1000
        overhead = await _harness_overhead(pilot)
        cursor = await _keys(pilot, QUICK_CURSOR_KEYS if quick else CURSOR_KEYS)
        scroll = await _keys(pilot, QUICK_SCROLL_KEYS if quick else SCROLL_KEYS)
    return {
        "size": list(size),
        "load_ms": load_ms,
        "harness_overhead_ms": overhead,
        "cursor": cursor,
        "scroll": scroll,
    }


async def _run(db_path: Path, articles: dict[str, int], quick: bool, workdir: Path) -> dict[str, Any]:
    from nkreader.services.library import Library
    from nkreader.tui.app import create_app
    from nkreader.tui.reader import ReaderView

    library = Library.open(str(db_path))
    results: dict[str, Any] = {}
    loaded: dict[str, tuple[str, list[Any], tuple[int, int]]] = {}
    try:
        app = create_app(library, keymap_path=workdir / "no-keymap.toml")
        t0 = time.perf_counter()
        async with app.run_test(size=SIZE) as pilot:
            await _settle(pilot)
            _frame(app)
            results["app_ready_in_process_ms"] = (time.perf_counter() - t0) * 1000
            rng = random.Random(7)
            for label, article_id in articles.items():
                gc.collect()
                wall, cpu = await _open(pilot, article_id)
                reader = app.screen.query_one(ReaderView)
                region = reader.region
                loaded[label] = (reader.body, list(reader.highlights), (region.width, region.height))
                figures: dict[str, Any] = {
                    "open_first_paint_ms": wall,
                    "open_first_paint_cpu_ms": cpu,
                    "chars": len(reader.body),
                    "bytes": len(reader.body.encode()),
                    "visual_lines": reader.virtual_size.height,
                    "highlights": len(reader.highlights),
                    "reader_size": [region.width, region.height],
                    "gc_tracked_objects": len(gc.get_objects()),
                }
                reader.move_to(len(reader.body) // 2)
                await _settle(pilot)
                _frame(app)
                figures["harness_overhead_ms"] = await _harness_overhead(pilot)
                gc_before = [s["collections"] for s in gc.get_stats()]
                figures["cursor"] = await _keys(pilot, QUICK_CURSOR_KEYS if quick else CURSOR_KEYS)
                figures["scroll"] = await _keys(pilot, QUICK_SCROLL_KEYS if quick else SCROLL_KEYS)
                figures["gc_collections_during_keys"] = [
                    s["collections"] - b for s, b in zip(gc.get_stats(), gc_before, strict=True)
                ]
                figures["pilot_press_pause_wall_ms"] = {"down": await _pilot_wall(pilot, "down", 5)}
                figures["tag"] = await _tags(pilot, db_path, article_id, 5 if quick else 12, rng)
                results[label] = figures
            await pilot.press("ctrl+q")
    finally:
        library.close()
    for label, (body, highlights, size) in loaded.items():
        gc.collect()
        results[label]["widget_alone"] = await _widget_alone(body, highlights, size, quick)
    return results


def run(db_path: Path, articles: dict[str, int], *, quick: bool, workdir: Path) -> dict[str, Any]:
    """In a fresh interpreter, so the heap (and so the garbage collector's pauses) is the app's alone."""
    out = workdir / "tui-results.json"
    argv = [sys.executable, __file__, "--db", str(db_path), "--workdir", str(workdir), "--out", str(out)]
    argv += [f"--article={label}={article_id}" for label, article_id in articles.items()]
    if quick:
        argv.append("--quick")
    subprocess.run(argv, check=True, env=dict(os.environ))
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--article", action="append", default=[], help="label=id")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    articles = {label: int(i) for label, i in (a.split("=", 1) for a in args.article)}
    results = asyncio.run(_run(args.db, articles, args.quick, args.workdir))
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
