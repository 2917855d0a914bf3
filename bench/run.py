"""nkreader benchmark: a 10,000-article library measured against the fastest thing on the same machine.

usage: python bench/run.py [--quick] [--out bench/results/latest.json] [--keep] [--workdir DIR]

Builds a deterministic synthetic library (seeded) in a temporary folder, then measures each figure
next to its floor, both in this run (the machines are noisy; ratios hold better than absolute times):

  import        product text import (`services.importing.import_paths`) vs plain sqlite3 executemany
  cold start    `python -m nkreader --db X` in a pty until the list is painted vs a bare Textual app
  reader        open a 1 MB article (en, ko), cursor/scroll keys, tag -> committed (absolute)
  search        20 fixed FTS5 queries through the store's engine + session vs plain sqlite3
  export        `native_document` + `native.dumps` vs `json.dumps` of the same records in memory
  memory        peak RSS (VmHWM) of the app with the library open vs the bare Textual app

`--quick` (1,000 articles, 10,000 annotations) finishes in well under a minute and never fails on a
time: it prints the figures and writes the JSON. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.metadata
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
try:
    import nkreader  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])
    )

import _corpus  # noqa: E402
import _pty  # noqa: E402

SEED = 20260101


@dataclass(frozen=True, slots=True)
class Config:
    articles: int
    annotations: int
    per_big_article: int  # annotations on each 1 MB article (part of `annotations`)
    big_bytes: int
    start_runs: int
    settle: float
    search_rounds: int


FULL = Config(10_000, 100_000, 1_000, 1_000_000, start_runs=7, settle=1.0, search_rounds=5)
QUICK = Config(1_000, 10_000, 200, 1_000_000, start_runs=3, settle=0.5, search_rounds=3)

# 20 fixed queries: words, phrases, prefixes, AND/OR/NOT, NEAR, column filters, Korean.
SEARCHES: list[tuple[str, str]] = [
    ("articles", "sanctions"),
    ("articles", "Pyongyang"),
    ("articles", '"food shortages"'),
    ("articles", '"Central Committee"'),
    ("articles", "border AND smuggling"),
    ("articles", "missile OR satellite"),
    ("articles", "harvest*"),
    ("articles", "econom*"),
    ("articles", "title:plenary"),
    ("articles", '"forced labour" AND Hyesan'),
    ("articles", "NEAR(crackdown smuggling, 5)"),
    ("articles", "defector NOT China"),
    ("articles", "경제"),
    ("articles", "인민*"),
    ("annotations", 'speaker:"Kim Jong Un"'),
    ("annotations", "tags:economy"),
    ("annotations", "note:verify"),
    ("annotations", '"self-reliance"'),
    ("annotations", "김정은"),
    ("annotations", "rice AND price*"),
]
SEARCH_SQL = {
    "articles": (
        "SELECT a.id, a.title, snippet(articles_fts, 2, '[', ']', '…', 12) "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH :q ORDER BY rank LIMIT 50"
    ),
    "annotations": (
        "SELECT n.id, n.article_id, n.kind, n.exact, n.speaker "
        "FROM annotations_fts JOIN annotations n ON n.id = annotations_fts.rowid "
        "WHERE annotations_fts MATCH :q ORDER BY rank LIMIT 50"
    ),
}

# figure rows: (key, label) in print order
FIGURE_LABELS = {
    "import": "import throughput",
    "cold_start": "cold start to list painted",
    "open_en": "open 1 MB English article",
    "cursor_en": "cursor key, 1 MB English",
    "scroll_en": "scroll key, 1 MB English",
    "tag_en": "tag key -> committed, English",
    "open_ko": "open 1 MB Korean article",
    "cursor_ko": "cursor key, 1 MB Korean",
    "scroll_ko": "scroll key, 1 MB Korean",
    "tag_ko": "tag key -> committed, Korean",
    "search": "search, 20 FTS5 queries",
    "export": "export annotations, native JSON",
    "rss": "peak RSS, library open",
}


def log(message: str) -> None:
    print(message, flush=True)


class Clock:
    """Stage log, with the load average: other work on the machine shows up in the figures."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.stages: list[dict[str, Any]] = []

    def stage(self, name: str) -> None:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        elapsed = time.perf_counter() - self.t0
        self.stages.append({"stage": name, "at_seconds": round(elapsed, 2), "load_1min": load})
        log(f"[{elapsed:6.1f} s, load {load:4.2f}] {name}")


# --------------------------------------------------------------------------- machine


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory_mb = None
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    memory_mb = int(line.split()[1]) // 1024
    except OSError:
        pass
    versions = {}
    for package in ("textual", "rich", "sqlalchemy", "alembic"):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_mb": memory_mb,
        "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "sqlite": sqlite3.sqlite_version,
        "packages": versions,
    }


# --------------------------------------------------------------------------- library


def build_files(cfg: Config, work: Path) -> tuple[Path, list[_corpus.ArticleText], Path]:
    generator = _corpus.Generator(SEED)
    folder = work / "articles"
    articles = _corpus.write_articles(folder, (generator.article(i) for i in range(cfg.articles)))
    big = work / "big"
    _corpus.write_articles(big, [generator.big_korean(cfg.big_bytes), generator.big_english(cfg.big_bytes)])
    return folder, articles, big


def import_product(db: Path, folder: Path) -> tuple[float, int, dict[str, Any]]:
    from nkreader.services.importing import import_paths
    from nkreader.services.library import Library

    library = Library.open(str(db))
    try:
        gc.collect()
        t0 = time.perf_counter()
        report = import_paths(library, [folder])
        seconds = time.perf_counter() - t0
    finally:
        library.close()
    if report.failed or report.skipped:
        raise RuntimeError(f"product import: {report.summary()}")
    return seconds, report.imported, {"summary": report.summary()}


def copy_articles_schema(source_db: Path, target: sqlite3.Connection) -> list[str]:
    """The product's own `articles` table, its indexes, its full-text tables (every FTS5 table
    over `articles`: unicode61, trigram) and triggers (same shape)."""
    with sqlite3.connect(source_db) as source:
        rows = source.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
            "(tbl_name = 'articles' OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' "
            "AND sql LIKE '%content=''articles''%'))"
        ).fetchall()

    def rank(row: tuple[str, str, str]) -> tuple[int, str]:
        kind, name, sql = row
        head = sql.lstrip().upper()
        if head.startswith("CREATE TABLE"):
            return 0, name
        if head.startswith("CREATE VIRTUAL TABLE"):
            return 1, name
        return (2 if kind == "index" else 3), name

    statements = [sql for _kind, _name, sql in sorted(rows, key=rank)]
    for statement in statements:
        target.execute(statement)
    return statements


def import_floor(product_db: Path, db: Path, folder: Path) -> tuple[float, int, dict[str, Any]]:
    """Plain sqlite3: read the same files, hash, executemany into the same schema, one transaction."""
    connection = sqlite3.connect(db, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        statements = copy_articles_schema(product_db, connection)
        gc.collect()
        t0 = time.perf_counter()
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        rows = []
        for path in sorted(folder.glob("*.txt")):
            text = path.read_bytes().decode("utf-8")
            title, _, body = text.partition("\n")
            body = body.strip("\n")
            digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
            rows.append((str(uuid.uuid4()), title, body, digest, str(path.resolve()), "text", now, now))
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO articles (uuid, title, body, content_hash, origin, origin_format, imported_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        connection.execute("COMMIT")
        seconds = time.perf_counter() - t0
        fts_rows = connection.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    finally:
        connection.close()
    with sqlite3.connect(product_db) as product, sqlite3.connect(db) as floor:
        same = {r[0] for r in product.execute("SELECT content_hash FROM articles")} == {
            r[0] for r in floor.execute("SELECT content_hash FROM articles")
        }
    return (
        seconds,
        len(rows),
        {"schema_statements": len(statements), "fts_rows": fts_rows, "same_bodies": same},
    )


def import_big_and_annotate(cfg: Config, db: Path, big: Path) -> dict[str, Any]:
    """The two 1 MB articles through the product importer, then the annotations in bulk (setup, untimed)."""
    from sqlalchemy import insert

    from nkreader.services.importing import import_paths
    from nkreader.services.library import Library
    from nkreader.store.models import AnnotationRow

    library = Library.open(str(db))
    try:
        t0 = time.perf_counter()
        for name in ("big-korean.txt", "big-english.txt"):  # English last: newest, the top row of the list
            report = import_paths(library, [big / name])
            if report.imported != 1:
                raise RuntimeError(f"{name}: {report.summary()}")
        big_seconds = time.perf_counter() - t0
        with sqlite3.connect(db) as connection:
            bodies = dict(connection.execute("SELECT id, body FROM articles"))
            ids = {
                origin_name: article_id
                for article_id, origin_name in (
                    (i, Path(o).name) for i, o in connection.execute("SELECT id, origin FROM articles")
                )
                if origin_name.startswith("big-")
            }
        big_en, big_ko = ids["big-english.txt"], ids["big-korean.txt"]
        rng = random.Random(SEED + 2)
        rows = _corpus.annotation_rows(
            rng, bodies, cfg.annotations, heavy={big_en: cfg.per_big_article, big_ko: cfg.per_big_article}
        )
        t0 = time.perf_counter()
        with library.database.writing() as session:
            for offset in range(0, len(rows), 5_000):
                session.execute(insert(AnnotationRow), rows[offset : offset + 5_000])
        annotate_seconds = time.perf_counter() - t0
        top = library.summaries()[:3]
    finally:
        library.close()
    return {
        "big_en_id": big_en,
        "big_ko_id": big_ko,
        "big_import_seconds": big_seconds,
        "annotations": len(rows),
        "annotation_insert_seconds": annotate_seconds,
        "top_titles": [row.title for row in top],
    }


# --------------------------------------------------------------------------- search


def measure_search(db: Path, rounds: int) -> dict[str, Any]:
    from sqlalchemy import text

    from nkreader.services.library import Library

    library = Library.open(str(db))
    raw = sqlite3.connect(db)
    product_times: dict[str, list[float]] = {q: [] for _, q in SEARCHES}
    raw_times: dict[str, list[float]] = {q: [] for _, q in SEARCHES}
    hits: dict[str, int] = {}
    try:
        statements = {table: text(sql) for table, sql in SEARCH_SQL.items()}
        for round_ in range(rounds + 1):  # round 0 warms caches and is not counted
            for table, query in SEARCHES:
                t0 = time.perf_counter()
                with library.database.reading() as session:
                    found = session.execute(statements[table], {"q": query}).all()
                t1 = time.perf_counter()
                raw_found = raw.execute(SEARCH_SQL[table].replace(":q", "?"), (query,)).fetchall()
                t2 = time.perf_counter()
                if len(found) != len(raw_found):
                    raise RuntimeError(f"search {query!r}: {len(found)} rows vs {len(raw_found)} raw")
                hits[query] = len(found)
                if round_:
                    product_times[query].append((t1 - t0) * 1000)
                    raw_times[query].append((t2 - t1) * 1000)
    finally:
        raw.close()
        library.close()
    all_product = [t for ts in product_times.values() for t in ts]
    all_raw = [t for ts in raw_times.values() for t in ts]
    from _tui import percentile

    per_query = {
        q: {
            "table": table,
            "rows": hits[q],
            "product_ms": statistics.median(product_times[q]),
            "raw_ms": statistics.median(raw_times[q]),
        }
        for table, q in SEARCHES
    }
    return {
        "p50": statistics.median(all_product),
        "p95": percentile(all_product, 95),
        "raw_p50": statistics.median(all_raw),
        "raw_p95": percentile(all_raw, 95),
        "samples": len(all_product),
        "per_query": per_query,
    }


# --------------------------------------------------------------------------- export


def measure_export(db: Path) -> dict[str, Any]:
    from nkreader.export import native
    from nkreader.services.exporting import native_document
    from nkreader.services.library import Library

    library = Library.open(str(db))
    try:
        gc.collect()
        t0 = time.perf_counter()
        document = native_document(library)
        t1 = time.perf_counter()
        text = native.dumps(document)
        t2 = time.perf_counter()
    finally:
        library.close()
    annotations = sum(len(a["annotations"]) for a in document["articles"])
    # the floor: the same records, already in memory, through json.dumps
    gc.collect()
    t3 = time.perf_counter()
    floor_text = json.dumps(document, ensure_ascii=False)
    t4 = time.perf_counter()
    indented = json.dumps(document, ensure_ascii=False, indent=2)
    t5 = time.perf_counter()
    result = {
        "seconds": t2 - t0,
        "read_and_build_seconds": t1 - t0,
        "dumps_seconds": t2 - t1,
        "floor_seconds": t4 - t3,
        "floor_indent2_seconds": t5 - t4,
        "annotations": annotations,
        "articles": len(document["articles"]),
        "bytes": len(text.encode()),
        "floor_bytes": len(floor_text.encode()),
    }
    del document, text, floor_text, indented
    gc.collect()
    return result


# --------------------------------------------------------------------------- cold start


def measure_start(db: Path, top_titles: list[str], runs: int, settle: float) -> dict[str, Any]:
    # a config folder of our own: the user's keymap must not change what is measured
    env = _pty.terminal_env(
        {
            "NKREADER_DB": str(db),
            "NKREADER_CONFIG": str(db.parent / "no-config.toml"),
            "XDG_CONFIG_HOME": str(db.parent / "config"),
        }
    )
    # the top row of the list (newest first); a prefix, as the title column cuts long titles
    needles = [title[:12].encode() for title in top_titles[:1]]
    product_argv = [sys.executable, "-m", "nkreader", "--db", str(db)]
    bare_argv = [sys.executable, str(HERE / "_bare_app.py")]
    bare_needles = [b"bare textual app painted"]
    product, bare = [], []
    # one unmeasured run of each fills the OS file cache (bytecode, the database) like any second start
    _pty.measure_start(product_argv, needles, env=env, settle=0)
    _pty.measure_start(bare_argv, bare_needles, env=env, settle=0)
    for _ in range(runs):
        bare.append(_pty.measure_start(bare_argv, bare_needles, env=env, settle=settle))
        product.append(_pty.measure_start(product_argv, needles, env=env, settle=settle))
    return {
        "seconds": statistics.median(r.seconds for r in product),
        "floor_seconds": statistics.median(r.seconds for r in bare),
        "runs": [r.seconds for r in product],
        "floor_runs": [r.seconds for r in bare],
        "rss_mb": statistics.median(r.hwm_settled_kb for r in product) / 1024,
        "rss_at_paint_mb": statistics.median(r.hwm_at_paint_kb for r in product) / 1024,
        "floor_rss_mb": statistics.median(r.hwm_settled_kb for r in bare) / 1024,
        "needle": needles[0].decode(errors="replace"),
        "terminal": f"{_pty.COLUMNS}x{_pty.ROWS}",
    }


# --------------------------------------------------------------------------- table


def figure(
    value: float,
    unit: str,
    *,
    floor: float | None = None,
    ratio: float | None = None,
    ratio_note: str = "",
    target: str = "",
    met: bool | None = None,
    show: str | None = None,
    show_floor: str | None = None,
) -> dict[str, Any]:
    return {
        "value": value,
        "unit": unit,
        "floor": floor,
        "ratio": ratio,
        "ratio_note": ratio_note,
        "target": target,
        "met": met,
        "show": show,
        "show_floor": show_floor,
    }


def build_figures(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    figures: dict[str, dict[str, Any]] = {}
    imp = results["import"]
    speed = imp["articles"] / imp["seconds"]
    floor_speed = imp["floor_articles"] / imp["floor_seconds"]
    figures["import"] = figure(
        speed,
        "articles/s",
        floor=floor_speed,
        ratio=speed / floor_speed,
        ratio_note="x floor speed",
        target=">= 0.5x floor",
        met=speed / floor_speed >= 0.5,
        show=f"{speed:,.0f}/s",
        show_floor=f"{floor_speed:,.0f}/s",
    )
    start = results["cold_start"]
    ratio = start["seconds"] / start["floor_seconds"]
    figures["cold_start"] = figure(
        start["seconds"],
        "s",
        floor=start["floor_seconds"],
        ratio=ratio,
        ratio_note="x bare time",
        target="<= 1.3x bare",
        met=ratio <= 1.3,
        show=f"{start['seconds'] * 1000:.0f} ms",
        show_floor=f"{start['floor_seconds'] * 1000:.0f} ms",
    )
    for lang in ("en", "ko"):
        reader = results["reader"][lang]
        figures[f"open_{lang}"] = figure(
            reader["open_first_paint_ms"],
            "ms",
            target="(absolute)",
            show=f"{reader['open_first_paint_ms']:.0f} ms",
        )
        for kind in ("cursor", "scroll"):
            wall = reader[kind]["wall"]
            figures[f"{kind}_{lang}"] = figure(
                wall["p95"],
                "ms p95",
                target="p95 <= 16 ms",
                met=wall["p95"] <= 16,
                show=f"p50 {wall['p50']:.1f} / p95 {wall['p95']:.1f} ms",
            )
        tag = reader["tag"]["commit"]
        figures[f"tag_{lang}"] = figure(
            tag["p95"],
            "ms p95",
            target="p95 <= 16 ms",
            met=tag["p95"] <= 16,
            show=f"p50 {tag['p50']:.1f} / p95 {tag['p95']:.1f} ms",
        )
    search = results["search"]
    ratio = search["p95"] / search["raw_p95"]
    figures["search"] = figure(
        search["p95"],
        "ms p95",
        floor=search["raw_p95"],
        ratio=ratio,
        ratio_note="x raw time",
        target="p95 <= 50 ms, <= 2x raw",
        met=search["p95"] <= 50 and ratio <= 2,
        show=f"p50 {search['p50']:.1f} / p95 {search['p95']:.1f} ms",
        show_floor=f"p50 {search['raw_p50']:.1f} / p95 {search['raw_p95']:.1f} ms",
    )
    export = results["export"]
    ratio = export["floor_seconds"] / export["seconds"]
    figures["export"] = figure(
        export["seconds"],
        "s",
        floor=export["floor_seconds"],
        ratio=ratio,
        ratio_note="x floor speed",
        target=">= 0.5x json.dumps",
        met=ratio >= 0.5,
        show=f"{export['seconds']:.2f} s ({export['annotations'] / export['seconds']:,.0f} ann/s)",
        show_floor=f"{export['floor_seconds']:.2f} s",
    )
    rss = start["rss_mb"]
    figures["rss"] = figure(
        rss,
        "MB",
        floor=start["floor_rss_mb"],
        ratio=rss / start["floor_rss_mb"],
        ratio_note="x bare",
        target="<= 250 MB",
        met=rss <= 250,
        show=f"{rss:.0f} MB",
        show_floor=f"{start['floor_rss_mb']:.0f} MB",
    )
    return figures


def print_table(
    figures: dict[str, dict[str, Any]], machine: dict[str, Any], cfg: Config, quick: bool
) -> None:
    header = ("figure", "value", "floor (same run)", "ratio", "target", "result")
    rows = []
    for key, label in FIGURE_LABELS.items():
        f = figures[key]
        ratio = f"{f['ratio']:.2f} {f['ratio_note']}" if f["ratio"] is not None else "—"
        result = "—" if f["met"] is None else ("met" if f["met"] else "MISSED")
        rows.append(
            (
                label,
                f["show"] or f"{f['value']:.2f} {f['unit']}",
                f["show_floor"] or "—",
                ratio,
                f["target"],
                result,
            )
        )
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    log("")
    log(
        f"nkreader benchmark{' (--quick: times are not asserted)' if quick else ''}: "
        f"{cfg.articles:,} articles + 2 x 1 MB, {cfg.annotations:,} annotations"
    )
    log(
        f"machine: {machine['cpu_model']}, {machine['cores']} cores, Python {machine['python']}, "
        f"SQLite {machine['sqlite']}, Textual {machine['packages']['textual']}"
    )
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    log(line)
    log("-" * len(line))
    for row in rows:
        log("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def print_details(results: dict[str, Any]) -> None:
    imp, exp, start = results["import"], results["export"], results["cold_start"]
    log("")
    log("details:")
    log(
        f"  import: product {imp['articles']:,} in {imp['seconds']:.2f} s; floor {imp['floor_articles']:,} in "
        f"{imp['floor_seconds']:.2f} s (same bodies: {imp['floor_same_bodies']})"
    )
    log(
        f"  export: read+build {exp['read_and_build_seconds']:.2f} s + native.dumps {exp['dumps_seconds']:.2f} s; "
        f"floor json.dumps {exp['floor_seconds']:.2f} s (indent=2: {exp['floor_indent2_seconds']:.2f} s); "
        f"{exp['articles']:,} articles, {exp['annotations']:,} annotations, {exp['bytes'] / 1e6:.1f} MB"
    )
    log(
        "  cold start runs (ms): product "
        + ", ".join(f"{s * 1000:.0f}" for s in start["runs"])
        + " | bare "
        + ", ".join(f"{s * 1000:.0f}" for s in start["floor_runs"])
        + f"; RSS at first paint {start['rss_at_paint_mb']:.0f} MB"
    )
    for lang in ("en", "ko"):
        r = results["reader"][lang]
        tag = r["tag"]
        log(
            f"  reader {lang}: {r['chars']:,} chars, {r['visual_lines']:,} lines, {r['highlights']} highlights; "
            f"cursor cpu p95 {r['cursor']['cpu']['p95']:.1f} ms, scroll cpu p95 {r['scroll']['cpu']['p95']:.1f} ms; "
            f"tag -> committed+painted p95 {tag['commit_and_paint']['p95']:.1f} ms; "
            f"pilot.press+pause wall (down) {r['pilot_press_pause_wall_ms']['down']:.0f} ms; "
            f"gc runs (gen0/1/2) during keys {r['gc_collections_during_keys']}; "
            f"measuring overhead (no key) {r['harness_overhead_ms']:.1f} ms"
        )
        alone = r["widget_alone"]
        log(
            f"  reader widget alone {lang} ({alone['size'][0]}x{alone['size'][1]}): load {alone['load_ms']:.0f} ms; "
            f"cursor p50 {alone['cursor']['wall']['p50']:.1f} / p95 {alone['cursor']['wall']['p95']:.1f} ms; "
            f"scroll p50 {alone['scroll']['wall']['p50']:.1f} / p95 {alone['scroll']['wall']['p95']:.1f} ms; "
            f"measuring overhead {alone['harness_overhead_ms']:.1f} ms"
        )
    slow = sorted(results["search"]["per_query"].items(), key=lambda kv: -kv[1]["product_ms"])[:3]
    log(
        "  slowest searches: "
        + "; ".join(
            f"{q} {v['product_ms']:.1f} ms (raw {v['raw_ms']:.1f}, {v['rows']} rows)" for q, v in slow
        )
    )


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 articles / 10,000 annotations (CI)")
    parser.add_argument(
        "--out", type=Path, default=HERE / "results" / "latest.json", help="JSON results file"
    )
    parser.add_argument("--workdir", type=Path, help="build the library here instead of a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (library, files)")
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    clock = Clock()
    machine = machine_info()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="nkreader-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "library.db"
    results: dict[str, Any] = {}
    try:
        clock.stage(
            f"generating {cfg.articles:,} articles and two {cfg.big_bytes / 1e6:.0f} MB articles in {work}"
        )
        folder, _articles, big = build_files(cfg, work)

        clock.stage("import: product text importer")
        seconds, count, extra = import_product(db, folder)
        clock.stage("import: floor (plain sqlite3 executemany, same schema)")
        floor_seconds, floor_count, floor_extra = import_floor(db, work / "floor.db", folder)
        results["import"] = {
            "seconds": seconds,
            "articles": count,
            "floor_seconds": floor_seconds,
            "floor_articles": floor_count,
            "floor_same_bodies": floor_extra["same_bodies"],
            **extra,
        }

        clock.stage(f"setup: 1 MB articles through the importer, {cfg.annotations:,} annotations in bulk")
        setup = import_big_and_annotate(cfg, db, big)
        results["setup"] = setup

        clock.stage("search: 20 queries, product session vs plain sqlite3")
        results["search"] = measure_search(db, cfg.search_rounds)

        clock.stage("export: native JSON vs json.dumps")
        results["export"] = measure_export(db)

        clock.stage(f"cold start + RSS in a {_pty.COLUMNS}x{_pty.ROWS} pty: {cfg.start_runs} runs each")
        results["cold_start"] = measure_start(db, setup["top_titles"], cfg.start_runs, cfg.settle)

        clock.stage("reader: open the 1 MB articles, keys, tags (App.run_test)")
        import _tui

        results["reader"] = _tui.run(
            db, {"en": setup["big_en_id"], "ko": setup["big_ko_id"]}, quick=args.quick, workdir=work
        )
        clock.stage("done")
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)

    figures = build_figures(results)
    print_table(figures, machine, cfg, args.quick)
    print_details(results)
    document = {
        "benchmark": "nkreader",
        "quick": args.quick,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "total_seconds": time.perf_counter() - clock.t0,
        "config": {
            "articles": cfg.articles,
            "annotations": cfg.annotations,
            "per_big_article": cfg.per_big_article,
            "big_bytes": cfg.big_bytes,
            "start_runs": cfg.start_runs,
            "search_rounds": cfg.search_rounds,
            "seed": SEED,
        },
        "machine": machine,
        "stages": clock.stages,
        "figures": {key: {"label": FIGURE_LABELS[key], **figures[key]} for key in FIGURE_LABELS},
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    log(f"\nwrote {args.out} in {document['total_seconds']:.0f} s total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
