"""`bench/run.py --quick` runs end to end: every figure printed, the JSON written. No timing is asserted.

Deselect with `-m "not bench"` (it takes about half a minute).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "bench" / "run.py"

FIGURES = {
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


@pytest.mark.bench
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty and /proc (peak RSS)")
def test_quick_benchmark_prints_every_figure_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "results" / "quick.json"
    completed = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]

    table = completed.stdout
    for label in FIGURES.values():
        assert label in table, f"figure {label!r} not printed"

    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["quick"] is True
    assert document["config"]["articles"] == 1_000
    assert document["config"]["annotations"] == 10_000
    for key in ("cpu_model", "cores", "python", "sqlite"):
        assert document["machine"][key], key
    assert set(document["figures"]) == set(FIGURES)
    for key, entry in document["figures"].items():
        assert entry["label"] == FIGURES[key]
        assert isinstance(entry["value"], (int, float)), key
        assert entry["value"] == entry["value"], f"{key} is NaN"  # a number was measured
        if entry["floor"] is not None:
            assert entry["floor"] > 0, key
            assert entry["ratio"] is not None, key
