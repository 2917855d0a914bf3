"""Load on one PostgreSQL library (issue 11): eight analysts at once, nothing lost."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest
from conftest import ROOT, SAMPLES

from nkreader.services.importing import import_paths
from nkreader.services.library import Library

WORKERS, EACH = 8, 500


@pytest.mark.slow
def test_eight_processes_mark_500_each(postgres_url: str) -> None:
    library = Library.open(postgres_url)
    import_paths(library, [SAMPLES])
    article = max(library.summaries(), key=lambda s: len(library.article(s.id).body)).id
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    workers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "helpers" / "team_worker.py"), postgres_url, str(article), f"analyst{n}", str(EACH)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(WORKERS)
    ]
    results = [(w.wait(timeout=600), *w.communicate()) for w in workers]
    for code, out, err in results:
        assert code == 0 and err == "", err
        assert out.strip() == f"done {EACH} {EACH // 5}"
    marks = library.annotations(article)
    library.close()
    assert len(marks) == WORKERS * EACH
    assert Counter(m.author for m in marks) == {f"analyst{n}": EACH for n in range(WORKERS)}
    # every edit is there: no update lost
    notes = Counter(m.note.split()[0] for m in marks if m.note)
    assert notes == {f"analyst{n}": EACH // 5 for n in range(WORKERS)}
    assert all(m.note.split()[0] == m.author for m in marks if m.note)
