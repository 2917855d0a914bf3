"""Importers are loaded per format: a folder of .txt files never imports trafilatura or lxml
(0.2-0.4 s of every `nkreader import` before), an .html file does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLES

PROBE = """
import json, sys
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
library = Library.open(sys.argv[1])
report = import_paths(library, [__import__("pathlib").Path(p) for p in sys.argv[2:]])
library.close()
heavy = ("trafilatura", "lxml", "feedparser", "markdown_it", "yaml")
print(json.dumps({"imported": report.imported, "loaded": sorted(m for m in heavy if m in sys.modules)}))
"""


def _run(tmp_path: Path, *files: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "lib.db"), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_text_files_import_without_the_html_and_feed_readers(tmp_path: Path) -> None:
    texts = sorted(SAMPLES.glob("*.txt"))
    assert texts
    result = _run(tmp_path, *texts)
    assert result == {"imported": len(texts), "loaded": []}


def test_an_html_file_loads_trafilatura_when_it_is_read(tmp_path: Path) -> None:
    result = _run(tmp_path, next(SAMPLES.glob("*.html")))
    assert result["imported"] == 1
    assert "trafilatura" in result["loaded"] and "lxml" in result["loaded"]
    assert "feedparser" not in result["loaded"]
