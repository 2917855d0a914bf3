"""Where the bundled sample articles are: inside the wheel, or beside the source checkout."""

from __future__ import annotations

from pathlib import Path


def bundled_samples() -> Path | None:
    packaged = Path(__file__).resolve().parent.parent / "sample_articles"
    checkout = Path(__file__).resolve().parents[3] / "sample_articles"
    for candidate in (packaged, checkout):
        if candidate.is_dir():
            return candidate
    return None
