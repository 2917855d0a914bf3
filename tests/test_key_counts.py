"""`bench/key_counts.py --check`: every analyst flow marks exactly what it should within its key target."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_analyst_flows_meet_their_key_targets() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "key_counts.py"), "--check"],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 6 and all(line.rstrip().endswith(("ok", "ok + name")) for line in lines[1:])
