"""Feed refresh benchmark: 20 local feeds over HTTP into a new library, beside the same files imported.

usage: PYTHONPATH=src python bench/feeds.py [--feeds 20] [--workers 4]

A local HTTP server on 127.0.0.1 (a thread of this process) serves 20 RSS/Atom files: the team's
real feeds (../shared/corpora/real-feeds) when present, else copies of the test feeds with their
own guids. Figures, all measured in this run:

  refresh      `feed fetch` of every feed (`services.feed_refresh.refresh_feeds`), a new library
  floor        `import_paths` of the same files from disk into another new library (no HTTP, no
               feed bookkeeping): what parsing and storing cost on this machine right now
  again        the second refresh: every feed answers 304, nothing is parsed
  peak memory  VmHWM of this process after the refresh (server, parser and store included), beside
               its VmHWM before it (the floor import and the server already ran)
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from helpers import feed_server  # noqa: E402
from nkreader.services.feed_refresh import refresh_feeds  # noqa: E402
from nkreader.services.feeds import Subscriptions  # noqa: E402
from nkreader.services.importing import import_paths  # noqa: E402
from nkreader.services.library import Library  # noqa: E402


def _files(count: int, work: Path) -> list[Path]:
    shared = ROOT.parent / "shared" / "corpora" / "real-feeds"
    found = sorted(p for p in shared.glob("*") if p.suffix in (".rss", ".atom")) if shared.is_dir() else []
    found = [p for p in found if p.stat().st_size < 1_000_000]  # one podcast feed is 1.6 MB of show notes
    if len(found) >= count:
        return found[:count]
    own = sorted((ROOT / "tests" / "data" / "feeds").glob("*.*"))
    made = []
    for n in range(count):
        source = own[n % len(own)]
        text = (
            source.read_text(encoding="utf-8")
            .replace("pw-2026-", f"b{n}-")
            .replace("urn:uuid:", f"urn:b{n}:")
        )
        text = text.replace("<title>", f"<title>[{n}] ", 1)
        target = work / f"feed{n}{source.suffix}"
        target.write_text(text.replace("https://example.", f"https://b{n}.example."), encoding="utf-8")
        made.append(target)
    return made


def _vmhwm_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nkreader-feeds-bench-"))
    server = feed_server.start()
    try:
        files = _files(options.feeds, work)
        for file in files:
            kind = "application/atom+xml" if file.suffix == ".atom" else "application/rss+xml"
            server.serve(f"/{file.name}", file.read_bytes(), content_type=kind)

        floor_library = Library.open(str(work / "floor.db"))
        started = time.perf_counter()
        floor_report = import_paths(floor_library, files)
        floor = time.perf_counter() - started
        floor_library.close()

        library = Library.open(str(work / "feeds.db"))
        subscriptions = Subscriptions(library)
        feeds = [subscriptions.add(server.url(f"/{file.name}"), name=file.stem) for file in files]
        rss_before = _vmhwm_mb()
        started = time.perf_counter()
        results = refresh_feeds(library, feeds, workers=options.workers)
        refresh = time.perf_counter() - started
        rss = _vmhwm_mb()
        started = time.perf_counter()
        again = refresh_feeds(library, subscriptions.feeds(), workers=options.workers)
        second = time.perf_counter() - started
        library.close()
    finally:
        server.close()
        shutil.rmtree(work, ignore_errors=True)

    imported = sum(r.report.imported for r in results)
    failed = [r.feed.name for r in results if r.error]
    print(f"feeds            {len(files)} ({', '.join(failed) or 'none'} failed), {imported} articles")
    print(f"refresh          {refresh:6.2f} s   ({options.workers} workers, one request at a time per host)")
    print(
        f"floor            {floor:6.2f} s   (import_paths of the same files from disk: {floor_report.imported} articles)"
    )
    print(f"refresh / floor  {refresh / floor:6.2f}")
    print(f"again (all 304)  {second:6.2f} s   ({sum(r.not_modified for r in again)} not modified)")
    print(f"peak memory      {rss:6.1f} MB VmHWM (whole process; {rss_before:.1f} MB before the refresh)")


if __name__ == "__main__":
    main()
