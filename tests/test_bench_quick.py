"""`bench/run.py --quick` runs end to end: every figure printed, the JSON written. No timing is asserted.

Deselect with `-m "not bench"` (about a minute on an idle 2-core machine).
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


@pytest.mark.bench
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pty and /proc (peak RSS)")
def test_quick_benchmark_prints_every_figure_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "results" / "quick.json"
    completed = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--out", str(out), "--workdir", str(tmp_path / "w")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
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

    # one stage again on the kept library, as a developer checks one row: only its figures
    again = tmp_path / "results" / "export-only.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--quick",
            "--only",
            "export,search",
            "--from",
            str(tmp_path / "w"),
            "--out",
            str(again),
            "--workdir",
            str(tmp_path / "w2"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "export, native JSON" in completed.stdout
    assert "cold start to list painted" not in completed.stdout
    partial = json.loads(again.read_text(encoding="utf-8"))
    assert set(partial["figures"]) == {"export", "search", "short_korean"}
    # the kept library also holds the marks the session stage made
    assert partial["results"]["export"]["annotations"] >= document["results"]["export"]["annotations"]
