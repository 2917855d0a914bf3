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
# one syllable, shorter than a trigram, found by a scan: the issue's `쌀` (no hits here: the
# whole scan) and `당` (party: many hits)
SHORT_KOREAN = ("쌀", "당")
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

# figure rows: (key, label) in print order; the rows of issue 14's table, then export
FIGURE_LABELS = {
    "cold_start": "cold start to list painted",
    "mark_en": "c -> committed+painted, 1 MB en, 1,000 marks",
    "mark_ko": "c -> committed+painted, 1 MB ko, 1,000 marks",
    "cursor_en": "j key -> screen changed, 1 MB en",
    "scroll_en": "PgDn key -> screen changed, 1 MB en",
    "cursor_ko": "j key -> screen changed, 1 MB ko",
    "scroll_ko": "PgDn key -> screen changed, 1 MB ko",
    "open_en": "open a 1 MB article, en",
    "open_ko": "open a 1 MB article, ko",
    "import": "import .txt articles",
    "file_size": "library file after that import",
    "search": "search, 20 queries",
    "short_korean": "1-character Korean query (쌀, 당)",
    "idle_cpu": "CPU while reading (one key a second)",
    "memory": "peak memory, 1 MB article open",
    "export": "export, native JSON",
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
    return seconds, report.imported, {"summary": report.summary(), "file_bytes": file_bytes(db)}


def file_bytes(db: Path) -> int:
    """The library's size on disk: the file and its write-ahead log, if any is left."""
    return sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists())


def copy_articles_schema(source_db: Path, target: sqlite3.Connection) -> list[str]:
    """The product's own `articles` table, its indexes, its word (unicode61) full-text table and
    its triggers (same shape)."""
    with sqlite3.connect(source_db) as source:
        rows = source.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
            "(tbl_name = 'articles' OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' "
            "AND sql LIKE '%content=''articles''%'))"
        ).fetchall()
    # the floor indexes words only (FTS5 unicode61): the product's substring (trigram) and
    # character (`_uni`, 0016) indexes for CJK text are work the floor does not do
    rows = [r for r in rows if not any(part in r[1] for part in ("_tri", "_cjk", "_uni"))]

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
        {
            "schema_statements": len(statements),
            "fts_rows": fts_rows,
            "same_bodies": same,
            "file_bytes": file_bytes(db),
        },
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
        summaries = library.summaries()
        top = summaries[:3]
        rows = {s.id: n for n, s in enumerate(summaries)}
    finally:
        library.close()
    korean = search_korean_pattern()
    korean_ids = sorted(i for i, body in bodies.items() if korean.search(body))
    with sqlite3.connect(db) as connection:
        korean_annotation_ids = sorted(
            row[0]
            for row in connection.execute(
                "SELECT id, exact, note, coalesce(speaker, ''), tags FROM annotations"
            )
            if any(korean.search(v) for v in row[1:4]) or "\\u" in row[4]
        )
    return {
        "big_en_id": big_en,
        "big_ko_id": big_ko,
        "big_rows": {"en": rows[big_en], "ko": rows[big_ko]},
        "body_needles": {"en": _needle(bodies[big_en]), "ko": _needle(bodies[big_ko])},
        "korean_article_ids": korean_ids,
        "korean_annotation_ids": korean_annotation_ids,
        "big_import_seconds": big_seconds,
        "annotations": len(rows),
        "annotation_insert_seconds": annotate_seconds,
        "top_titles": [row.title for row in top],
    }


def search_korean_pattern():
    import re

    return re.compile("[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


def _needle(body: str) -> bytes:
    """A few words from the top of `body` that the reader shows as they are (past the first line,
    where the cursor rests)."""
    lines = [line for line in body.splitlines() if len(line.strip()) > 40]
    line = lines[1] if len(lines) > 1 else lines[0]
    # one word (the reader wraps at spaces, so a word is never cut by a line end)
    return max(line.split()[:8], key=len).encode()


# --------------------------------------------------------------------------- search


def measure_search(
    db: Path, rounds: int, korean_ids: list[int], korean_annotation_ids: list[int]
) -> dict[str, Any]:
    """20 queries through the product's search (`services.search.search`, 50 hits, snippets),
    each beside the hand-written FTS5 query with `snippet()` in plain sqlite3 (the floor);
    then the short Korean query beside the same scan over the Korean rows only."""
    from nkreader.services.library import Library
    from nkreader.services.search import search

    library = Library.open(str(db))
    raw = sqlite3.connect(db)
    product_times: dict[str, list[float]] = {q: [] for _, q in SEARCHES}
    raw_times: dict[str, list[float]] = {q: [] for _, q in SEARCHES}
    hits: dict[str, int] = {}
    raw_hits: dict[str, int] = {}
    short_times: list[float] = []
    short_floor_times: list[float] = []
    short_hits: dict[str, int] = {}
    short_floor_hits: dict[str, int] = {}
    ids = ",".join(str(i) for i in korean_ids) or "-1"
    annotation_ids = ",".join(str(i) for i in korean_annotation_ids) or "-1"
    short_floor_sql = [
        f"SELECT id FROM articles WHERE id IN ({ids}) AND (instr(title, ?1) > 0 OR instr(coalesce(source, ''), ?1) > 0 "
        "OR instr(body, ?1) > 0) ORDER BY id DESC LIMIT 100",
        f"SELECT id FROM annotations WHERE id IN ({annotation_ids}) AND (instr(exact, ?1) > 0 OR instr(note, ?1) > 0 "
        "OR instr(coalesce(speaker, ''), ?1) > 0) ORDER BY id DESC LIMIT 100",
    ]
    try:
        for round_ in range(rounds + 1):  # round 0 warms caches and is not counted
            for table, query in SEARCHES:
                t0 = time.perf_counter()
                found = search(library, query, scope=table, limit=50)
                t1 = time.perf_counter()
                raw_found = raw.execute(SEARCH_SQL[table].replace(":q", "?"), (query,)).fetchall()
                t2 = time.perf_counter()
                hits[query] = len(found)
                raw_hits[query] = len(raw_found)
                if round_:
                    product_times[query].append((t1 - t0) * 1000)
                    raw_times[query].append((t2 - t1) * 1000)
            for short in SHORT_KOREAN * 2:
                t0 = time.perf_counter()
                found = search(library, short, limit=100)
                t1 = time.perf_counter()
                floor_found = [r for sql in short_floor_sql for r in raw.execute(sql, (short,)).fetchall()]
                t2 = time.perf_counter()
                short_hits[short], short_floor_hits[short] = len(found), len(floor_found)
                if round_:
                    short_times.append((t1 - t0) * 1000)
                    short_floor_times.append((t2 - t1) * 1000)
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
            "raw_rows": raw_hits[q],
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
        "short_korean": {
            "queries": list(SHORT_KOREAN),
            "p50": statistics.median(short_times),
            "p95": percentile(short_times, 95),
            "floor_p50": statistics.median(short_floor_times),
            "floor_p95": percentile(short_floor_times, 95),
            "hits": short_hits,
            "floor_hits": short_floor_hits,
            "korean_articles": len(korean_ids),
        },
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
    list_argv = [sys.executable, str(HERE / "_list_floor_app.py"), str(db)]
    bare_needles = [b"bare textual app painted"]
    product, bare, listed = [], [], []
    # one unmeasured run of each fills the OS file cache (bytecode, the database) like any second start
    _pty.measure_start(product_argv, needles, env=env, settle=0)
    _pty.measure_start(bare_argv, bare_needles, env=env, settle=0)
    _pty.measure_start(list_argv, needles, env=env, settle=0)
    for _ in range(runs):  # interleaved: a burst of load on the machine hits all three alike
        bare.append(_pty.measure_start(bare_argv, bare_needles, env=env, settle=settle))
        listed.append(_pty.measure_start(list_argv, needles, env=env, settle=0))
        product.append(_pty.measure_start(product_argv, needles, env=env, settle=settle))
    return {
        "p95": _percentile([r.seconds for r in product], 95),
        "floor_p95": _percentile([r.seconds for r in bare], 95),
        "list_floor_seconds": statistics.median(r.seconds for r in listed),
        "list_floor_runs": [r.seconds for r in listed],
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


def _percentile(values: list[float], q: float) -> float:
    from _tui import percentile

    return percentile(values, q)


def bench_env(db: Path) -> dict[str, str]:
    # a config folder of our own: the user's keymap must not change what is measured
    return _pty.terminal_env(
        {
            "NKREADER_DB": str(db),
            "NKREADER_CONFIG": str(db.parent / "no-config.toml"),
            "XDG_CONFIG_HOME": str(db.parent / "config"),
        }
    )


# --------------------------------------------------------------------------- the app in a pty


def measure_session(db: Path, setup: dict[str, Any], quick: bool) -> dict[str, Any]:
    """Open each 1 MB article in the app in a pty: keys, marks, idle CPU, memory; the bare app's
    same keys, idle CPU and memory as the floor (see bench/_session.py)."""
    import _session

    env = bench_env(db)
    presses = {"j": 12, "pagedown": 8} if quick else {"j": 40, "pagedown": 25}
    marks = 4 if quick else 12
    idle = 4.0 if quick else 10.0
    product_argv = [sys.executable, "-m", "nkreader", "--db", str(db)]
    out: dict[str, Any] = {}
    out["bare"] = _session.bare(
        [sys.executable, str(HERE / "_bare_app.py")], env, presses=presses, idle_seconds=idle
    )
    for lang in ("en", "ko"):
        article_id = setup[f"big_{lang}_id"]
        out[lang] = _session.product(
            product_argv,
            env,
            db,
            list_needle=setup["top_titles"][0][:12].encode(),
            row=setup["big_rows"][lang],
            body_needle=setup["body_needles"][lang],
            article_id=article_id,
            presses=presses,
            marks=marks,
            idle_seconds=idle,
        )
    return out


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


def _ms(summary: dict[str, Any]) -> str:
    return f"{summary['p50']:.1f} / {summary['p95']:.1f} ms"


def build_figures(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    figures: dict[str, dict[str, Any]] = {}
    if "cold_start" in results:
        _start_figures(figures, results["cold_start"])
    if "session" in results:
        _session_figures(figures, results["session"])
    if "import" in results:
        _import_figures(figures, results["import"])
    if "search" in results:
        _search_figures(figures, results["search"])
    if "export" in results:
        _export_figures(figures, results["export"])
    return figures


def _start_figures(figures: dict[str, dict[str, Any]], start: dict[str, Any]) -> None:
    ratio = start["seconds"] / start["floor_seconds"]
    figures["cold_start"] = figure(
        start["seconds"],
        "s",
        floor=start["floor_seconds"],
        ratio=ratio,
        ratio_note="x bare",
        target="<= 1.3x bare",
        met=ratio <= 1.3,
        show=f"{start['seconds'] * 1000:.0f} / {start['p95'] * 1000:.0f} ms",
        show_floor=(
            f"bare {start['floor_seconds'] * 1000:.0f} / {start['floor_p95'] * 1000:.0f} ms; "
            f"+sqlite3 list {start['list_floor_seconds'] * 1000:.0f} ms"
        ),
    )


def _session_figures(figures: dict[str, dict[str, Any]], session: dict[str, Any]) -> None:
    bare = session["bare"]
    for lang in ("en", "ko"):
        run = session[lang]
        for key, row, target in (("c", "mark", 33), ("j", "cursor", 16), ("pagedown", "scroll", 16)):
            value = run[key]
            floor_value = bare[key]
            figures[f"{row}_{lang}"] = figure(
                value["p95"],
                "ms p95",
                floor=floor_value["p95"],
                ratio=value["p95"] / floor_value["p95"],
                ratio_note="x bare p95",
                target=f"p95 <= {target} ms",
                met=value["p95"] <= target,
                show=_ms(value),
                show_floor="bare " + _ms(floor_value),
            )
        figures[f"open_{lang}"] = figure(
            run["open_ms"],
            "ms",
            target="<= 150 ms",
            met=run["open_ms"] <= 150,
            show=f"{run['open_ms']:.0f} ms",
        )
    idle = max(session["en"]["idle_cpu_percent"], session["ko"]["idle_cpu_percent"])
    figures["idle_cpu"] = figure(
        idle,
        "% of a core",
        floor=bare["idle_cpu_percent"],
        ratio=idle / bare["idle_cpu_percent"] if bare["idle_cpu_percent"] else None,
        ratio_note="x bare",
        target="<= 1 %",
        met=idle <= 1.0,
        show=f"en {session['en']['idle_cpu_percent']:.1f} %, ko {session['ko']['idle_cpu_percent']:.1f} %",
        show_floor=f"bare {bare['idle_cpu_percent']:.1f} %",
    )
    memory = max(session["en"]["hwm_mb"], session["ko"]["hwm_mb"])
    figures["memory"] = figure(
        memory,
        "MB",
        floor=bare["hwm_mb"],
        ratio=memory / bare["hwm_mb"],
        ratio_note="x bare",
        target="<= 2x bare",
        met=memory / bare["hwm_mb"] <= 2,
        show=f"en {session['en']['hwm_mb']:.0f} MB, ko {session['ko']['hwm_mb']:.0f} MB",
        show_floor=f"bare {bare['hwm_mb']:.0f} MB",
    )


def _import_figures(figures: dict[str, dict[str, Any]], imp: dict[str, Any]) -> None:
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
        show=f"{imp['articles']:,} at {speed:,.0f}/s",
        show_floor=f"sqlite3+FTS5 unicode61 {floor_speed:,.0f}/s",
    )
    size, floor_size = imp["file_bytes"], imp["floor_file_bytes"]
    figures["file_size"] = figure(
        size / 1e6,
        "MB",
        floor=floor_size / 1e6,
        ratio=size / floor_size,
        ratio_note="x floor",
        target="<= 1.3x floor",
        met=size / floor_size <= 1.3,
        show=f"{size / 1e6:.1f} MB",
        show_floor=f"{floor_size / 1e6:.1f} MB",
    )


def _search_figures(figures: dict[str, dict[str, Any]], search: dict[str, Any]) -> None:
    ratio = search["p95"] / search["raw_p95"]
    figures["search"] = figure(
        search["p95"],
        "ms p95",
        floor=search["raw_p95"],
        ratio=ratio,
        ratio_note="x floor p95",
        target="p95 <= 1x floor, <= 30 ms",
        met=search["p95"] <= 30 and ratio <= 1,
        show=f"{search['p50']:.1f} / {search['p95']:.1f} ms",
        show_floor=f"FTS5+snippet() {search['raw_p50']:.1f} / {search['raw_p95']:.1f} ms",
    )
    short = search["short_korean"]
    figures["short_korean"] = figure(
        short["p95"],
        "ms p95",
        floor=short["floor_p95"],
        ratio=short["p95"] / short["floor_p95"],
        ratio_note="x floor p95",
        target="<= 10 ms",
        met=short["p95"] <= 10,
        show=f"{short['p50']:.1f} / {short['p95']:.1f} ms",
        show_floor=f"scan of Korean rows {short['floor_p50']:.1f} / {short['floor_p95']:.1f} ms",
    )


def _export_figures(figures: dict[str, dict[str, Any]], export: dict[str, Any]) -> None:
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
        show_floor=f"json.dumps {export['floor_seconds']:.2f} s",
    )


def print_table(
    figures: dict[str, dict[str, Any]], machine: dict[str, Any], cfg: Config, quick: bool
) -> None:
    header = ("figure", "value", "floor (same run)", "ratio", "target", "result")
    rows = []
    for key, label in FIGURE_LABELS.items():
        if key not in figures:  # a stage left out with --only
            continue
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
    log("")
    log("details:")
    if "import" in results:
        _import_details(results["import"])
    if "export" in results:
        _export_details(results["export"])
    if "cold_start" in results:
        _start_details(results["cold_start"])
    if "session" in results:
        _session_details(results["session"])
    if "search" in results:
        _short_korean_details(results["search"])
    if "reader" in results:
        _reader_details(results["reader"])
    if "search" in results:
        _slowest_search_details(results["search"])


def _import_details(imp: dict[str, Any]) -> None:
    log(
        f"  import: product {imp['articles']:,} in {imp['seconds']:.2f} s; floor {imp['floor_articles']:,} in "
        f"{imp['floor_seconds']:.2f} s (same bodies: {imp['floor_same_bodies']})"
    )


def _export_details(exp: dict[str, Any]) -> None:
    log(
        f"  export: read+build {exp['read_and_build_seconds']:.2f} s + native.dumps {exp['dumps_seconds']:.2f} s; "
        f"floor json.dumps {exp['floor_seconds']:.2f} s (indent=2: {exp['floor_indent2_seconds']:.2f} s); "
        f"{exp['articles']:,} articles, {exp['annotations']:,} annotations, {exp['bytes'] / 1e6:.1f} MB"
    )


def _start_details(start: dict[str, Any]) -> None:
    log(
        "  cold start runs (ms): product "
        + ", ".join(f"{s * 1000:.0f}" for s in start["runs"])
        + " | bare "
        + ", ".join(f"{s * 1000:.0f}" for s in start["floor_runs"])
        + " | Textual+sqlite3+list query "
        + ", ".join(f"{s * 1000:.0f}" for s in start["list_floor_runs"])
        + f"; RSS at first paint {start['rss_at_paint_mb']:.0f} MB (bare {start['floor_rss_mb']:.0f} MB)"
    )


def _session_details(session: dict[str, Any]) -> None:
    for lang in ("en", "ko"):
        run = session[lang]
        log(
            f"  pty {lang}: c -> committed p50/p95 {_ms(run['c_commit'])}; j max {run['j']['max']:.0f} ms, "
            f"PgDn max {run['pagedown']['max']:.0f} ms; peak memory {run['hwm_mb']:.0f} MB"
        )


def _short_korean_details(search: dict[str, Any]) -> None:
    short = search["short_korean"]
    log(
        f"  short Korean queries: hits {short['hits']} (floor {short['floor_hits']}), "
        f"{short['korean_articles']} Korean articles"
    )


def _reader_details(reader: dict[str, Any]) -> None:
    for lang in ("en", "ko"):
        r = reader[lang]
        tag = r["tag"]
        log(
            f"  in-process reader {lang}: open {r['open_first_paint_ms']:.0f} ms; {r['chars']:,} chars, {r['visual_lines']:,} lines, {r['highlights']} highlights; "
            f"cursor p95 {r['cursor']['wall']['p95']:.1f} ms (cpu {r['cursor']['cpu']['p95']:.1f}), "
            f"scroll p95 {r['scroll']['wall']['p95']:.1f} ms; "
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


def _slowest_search_details(search: dict[str, Any]) -> None:
    slow = sorted(search["per_query"].items(), key=lambda kv: -kv[1]["product_ms"])[:3]
    log(
        "  slowest searches: "
        + "; ".join(
            f"{q} {v['product_ms']:.1f} ms (raw {v['raw_ms']:.1f}, {v['rows']} rows)" for q, v in slow
        )
    )


# --------------------------------------------------------------------------- main


STAGES = ("import", "search", "export", "start", "session", "reader")


SETUP_COPY = "library-setup.db"
"""The library as setup left it, kept beside the run's library for a later `--from`: the stages
change theirs (marks made, reading positions saved), so a second run must not start from it."""


def copy_library(source: Path, target: Path) -> None:
    """A consistent copy of a kept library (sqlite3's backup, so a leftover -wal is folded in and
    no stale -wal/-shm sits beside the copy)."""
    for leftover in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    sqlite3.connect(target).close()


def save_setup(path: Path, setup: dict[str, Any]) -> None:
    """The setup a later `--from` run needs; the body needles are bytes (a whole word, UTF-8)."""
    saved = {**setup, "body_needles": {k: v.decode() for k, v in setup["body_needles"].items()}}
    path.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")


def load_setup(path: Path) -> dict[str, Any]:
    setup: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    setup["body_needles"] = {k: v.encode() for k, v in setup["body_needles"].items()}
    return setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 articles / 10,000 annotations (CI)")
    parser.add_argument(
        "--out", type=Path, default=HERE / "results" / "latest.json", help="JSON results file"
    )
    parser.add_argument("--workdir", type=Path, help="build the library here instead of a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (library, files)")
    parser.add_argument(
        "--only",
        type=lambda text: [s.strip() for s in text.split(",") if s.strip()],
        default=list(STAGES),
        help=f"comma-separated stages to run (default all): {', '.join(STAGES)}",
    )
    parser.add_argument(
        "--from",
        dest="from_dir",
        type=Path,
        help="reuse the library and setup of an earlier --keep/--workdir run (skips generation and setup)",
    )
    args = parser.parse_args(argv)
    unknown = [s for s in args.only if s not in STAGES]
    if unknown:
        parser.error(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    only = set(args.only)
    if args.from_dir is not None and not (args.from_dir / "setup.json").is_file():
        parser.error(f"{args.from_dir}: no setup.json (keep a full run with --keep or --workdir first)")
    cfg = QUICK if args.quick else FULL
    clock = Clock()
    machine = machine_info()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="nkreader-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "library.db"
    results: dict[str, Any] = {}
    try:
        if args.from_dir is not None:
            clock.stage(f"reusing the library and setup of {args.from_dir}")
            kept = args.from_dir / SETUP_COPY
            if not kept.is_file():
                parser.error(f"{args.from_dir}: no {SETUP_COPY} (from a run with --keep or --workdir)")
            copy_library(kept, db)
            setup = load_setup(args.from_dir / "setup.json")
            results["setup"] = setup
        if "import" in only or args.from_dir is None:
            clock.stage(
                f"generating {cfg.articles:,} articles and two {cfg.big_bytes / 1e6:.0f} MB articles in {work}"
            )
            folder, _articles, big = build_files(cfg, work)
            import_db = db if args.from_dir is None else work / "import-library.db"
            clock.stage("import: product text importer")
            seconds, count, extra = import_product(import_db, folder)
            clock.stage("import: floor (plain sqlite3 executemany, same schema)")
            floor_seconds, floor_count, floor_extra = import_floor(import_db, work / "floor.db", folder)
            if "import" in only:
                results["import"] = {
                    "seconds": seconds,
                    "articles": count,
                    "floor_seconds": floor_seconds,
                    "floor_articles": floor_count,
                    "floor_same_bodies": floor_extra["same_bodies"],
                    "floor_file_bytes": floor_extra["file_bytes"],
                    **extra,
                }
            if args.from_dir is None and only - {"import"}:  # the other stages read this library
                clock.stage(
                    f"setup: 1 MB articles through the importer, {cfg.annotations:,} annotations in bulk"
                )
                setup = import_big_and_annotate(cfg, db, big)
                results["setup"] = setup
                save_setup(work / "setup.json", setup)
                if args.keep or args.workdir is not None:
                    copy_library(db, work / SETUP_COPY)

        if "search" in only:
            clock.stage("search: 20 queries, product session vs plain sqlite3")
            results["search"] = measure_search(
                db, cfg.search_rounds, setup["korean_article_ids"], setup["korean_annotation_ids"]
            )

        if "export" in only:
            clock.stage("export: native JSON vs json.dumps")
            results["export"] = measure_export(db)

        if "start" in only:
            clock.stage(f"cold start + RSS in a {_pty.COLUMNS}x{_pty.ROWS} pty: {cfg.start_runs} runs each")
            results["cold_start"] = measure_start(db, setup["top_titles"], cfg.start_runs, cfg.settle)

        if "session" in only:
            clock.stage(
                "app in a pty: open the 1 MB articles, j / PgDn / c, idle CPU, memory; the bare app's floor"
            )
            results["session"] = measure_session(db, setup, args.quick)

        if "reader" in only and not args.quick:  # in-process, broken down (minutes; not for CI)
            clock.stage("reader details: open the 1 MB articles, keys, tags in-process (App.run_test)")
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
        "only": sorted(only),
        "from": str(args.from_dir) if args.from_dir else None,
        "figures": {
            key: {"label": FIGURE_LABELS[key], **figures[key]} for key in FIGURE_LABELS if key in figures
        },
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
