"""nkreader on PostgreSQL: search through the product vs the very same SQL run raw through psycopg.

usage: python bench/postgres.py [--quick] [--server postgresql://user@127.0.0.1:PORT/postgres]
                                [--out bench/results/postgres.json]

Builds the benchmark's deterministic library (bench/_corpus.py, the seed of bench/run.py:
10,000 articles and 100,000 annotations; `--quick` 1,000 and 10,000) in a new database on the
server (NKREADER_TEST_POSTGRES, or `--server`; without either it starts its own with
.ci/postgres), then for each of bench/run.py's 20 queries:

  product   `services.search.search(library, query, scope=…, limit=50)`: parsing, the PostgreSQL
            backend's SQL through SQLAlchemy, snippets and offsets in Python
  floor     the statements that call sent to the server (captured once), replayed raw on a
            psycopg connection: what the query costs the server and the driver alone

p50 / p95 over every query and round; the target is product p95 within 2x the floor's, both
measured in this run (the machine is shared and noisy: the ratio holds better than the times).
Never a timed test; prints the figures and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
try:
    import nkreader  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(ROOT / "src"))

import _corpus  # noqa: E402
from _tui import percentile  # noqa: E402
from run import SEARCHES, SEED  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def start_server(folder: Path) -> str:
    out = subprocess.run(
        [str(ROOT / ".ci" / "postgres"), "start", str(folder)], check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def stop_server(folder: Path) -> None:
    subprocess.run([str(ROOT / ".ci" / "postgres"), "stop", str(folder)], check=False)


def new_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return server.rpartition("/")[0] + "/" + name


def build(url: str, articles: int, annotations: int, work: Path) -> dict[str, Any]:
    from sqlalchemy import insert, text

    from nkreader.services.importing import import_paths
    from nkreader.services.library import Library
    from nkreader.store.models import AnnotationRow

    generator = _corpus.Generator(SEED)
    folder = work / "articles"
    _corpus.write_articles(folder, (generator.article(i) for i in range(articles)))
    library = Library.open(url)
    try:
        t0 = time.perf_counter()
        report = import_paths(library, [folder])
        import_seconds = time.perf_counter() - t0
        log(f"imported {report.imported:,} articles in {import_seconds:.0f} s")
        if report.imported != articles:
            raise RuntimeError(report.summary())
        with library.database.reading() as session:
            bodies = dict(session.execute(text("SELECT id, body FROM articles")).all())
        rows = _corpus.annotation_rows(random.Random(SEED + 2), bodies, annotations)
        t0 = time.perf_counter()
        with library.database.writing() as session:
            for offset in range(0, len(rows), 5_000):
                session.execute(insert(AnnotationRow), rows[offset : offset + 5_000])
        annotate_seconds = time.perf_counter() - t0
        # What autovacuum does within a minute of a bulk load: statistics for the planner, and the
        # visibility map that lets the word counts be read from their index alone (migration 0013).
        with library.database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    finally:
        library.close()
    return {"import_seconds": import_seconds, "annotation_insert_seconds": annotate_seconds}


def measure(url: str, rounds: int) -> dict[str, Any]:
    import psycopg
    from sqlalchemy import event

    from nkreader.services.library import Library
    from nkreader.services.search import search

    library = Library.open(url)
    captured: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        captured.append((statement, parameters))

    statements: dict[str, list[tuple[str, Any]]] = {}
    for table, query in SEARCHES:
        captured.clear()
        event.listen(library.database.engine, "before_cursor_execute", capture)
        search(library, query, scope=table, limit=50)
        event.remove(library.database.engine, "before_cursor_execute", capture)
        # the statements that did the work (not the session's savepoints)
        statements[query] = [
            (s, p) for s, p in captured if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
        ]
    raw = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    product_times: dict[str, list[float]] = {q: [] for _, q in SEARCHES}
    raw_times: dict[str, list[float]] = {q: [] for _, q in SEARCHES}
    hits: dict[str, int] = {}
    try:
        for round_ in range(rounds + 1):  # round 0 warms caches and is not counted
            for table, query in SEARCHES:
                t0 = time.perf_counter()
                found = search(library, query, scope=table, limit=50)
                t1 = time.perf_counter()
                rows = 0
                with raw.transaction():
                    for statement, parameters in statements[query]:
                        rows = len(raw.execute(statement, parameters).fetchall())
                t2 = time.perf_counter()
                if len(found) != rows:
                    raise RuntimeError(f"search {query!r}: {len(found)} hits vs {rows} raw rows")
                hits[query] = len(found)
                if round_:
                    product_times[query].append((t1 - t0) * 1000)
                    raw_times[query].append((t2 - t1) * 1000)
    finally:
        raw.close()
        library.close()
    every_product = [t for ts in product_times.values() for t in ts]
    every_raw = [t for ts in raw_times.values() for t in ts]
    return {
        "p50": statistics.median(every_product),
        "p95": percentile(every_product, 95),
        "raw_p50": statistics.median(every_raw),
        "raw_p95": percentile(every_raw, 95),
        "samples": len(every_product),
        "per_query": {
            q: {
                "table": table,
                "hits": hits[q],
                "product_ms": statistics.median(product_times[q]),
                "raw_ms": statistics.median(raw_times[q]),
            }
            for table, q in SEARCHES
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 articles and 10,000 annotations")
    parser.add_argument("--server", help="a PostgreSQL server URL (its maintenance database)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database", default="nkreader_bench", help="the database to (re)create on the server")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database a previous run built (same size) instead of rebuilding"
    )
    parser.add_argument("--out", type=Path, default=HERE / "results" / "postgres.json")
    args = parser.parse_args(argv)
    articles, annotations = (1_000, 10_000) if args.quick else (10_000, 100_000)
    server = args.server or os.environ.get("NKREADER_TEST_POSTGRES")
    with tempfile.TemporaryDirectory(prefix="nkreader-bench-pg-") as tmp:
        work = Path(tmp)
        own = None
        if not server:
            own = work / "server"
            log("starting a PostgreSQL server (.ci/postgres)")
            server = start_server(own)
        try:
            plain = server.replace("postgresql+psycopg://", "postgresql://")
            built: dict[str, Any] = {}
            if args.reuse:
                url = plain.rpartition("/")[0] + "/" + args.database
            else:
                url = new_database(plain, args.database)
                log(f"building {articles:,} articles and {annotations:,} annotations in {url}")
                built = build(url, articles, annotations, work)
            log(f"search: {len(SEARCHES)} queries x {args.rounds} rounds, product vs raw psycopg")
            results = measure(url, args.rounds)
        finally:
            if own is not None:
                stop_server(own)
    ratio = results["p95"] / results["raw_p95"]
    results.update(built, articles=articles, annotations=annotations, ratio=ratio, met=ratio <= 2)
    print(f"search on PostgreSQL, {articles:,} articles, {annotations:,} annotations, {len(SEARCHES)} queries")
    print(f"  product  p50 {results['p50']:7.1f} ms   p95 {results['p95']:7.1f} ms")
    print(f"  raw      p50 {results['raw_p50']:7.1f} ms   p95 {results['raw_p95']:7.1f} ms   (same SQL, psycopg)")
    print(f"  ratio p95 {ratio:.2f} (target <= 2): {'met' if ratio <= 2 else 'NOT met'}")
    slow = sorted(results["per_query"].items(), key=lambda kv: -kv[1]["product_ms"])[:3]
    print("  slowest: " + ", ".join(f"{q} {v['product_ms']:.1f} ms ({v['raw_ms']:.1f} raw)" for q, v in slow))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
