"""The app as a user runs it, in a real pseudo-terminal: open a 1 MB article, keys, marks, idle CPU, memory.

Each figure is measured on the bytes the app writes to the terminal (Textual's real Linux driver),
so it includes everything a user waits for: the key read from the tty, the app's work, the frame
rendered and written. The same session is run on the bare Textual app (`_bare_app.py`), which
changes its screen on the same keys: that is the floor of every key figure, measured in the same run.

- **key -> screen changed**: the key's bytes are written to the terminal; the time is taken when
  the first bytes of output arrive after it (the frame the key caused). The next key is sent once
  the output has been quiet for `QUIET` seconds.
- **open**: Enter on the article's row -> a phrase from the top of its body is in the output.
- **mark (`c`) -> committed and painted**: the later of the new row being visible to another
  `sqlite3` connection and the first output after the key.
- **idle CPU**: one `j` a second for `seconds`; the child's user+system CPU time (from
  /proc/PID/stat) over the wall time. The app's own timers (change poll, position save) count.
- **peak memory**: `VmHWM` of the child with the 1 MB article open, after the keys.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import sqlite3
import statistics
import struct
import subprocess
import termios
import time
from pathlib import Path
from typing import Any

from _pty import COLUMNS, ROWS

KEYS = {
    "j": b"j",
    "k": b"k",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "down": b"\x1b[B",
    "enter": b"\r",
    "c": b"c",
    ")": b")",
    "ctrl+q": b"\x11",
}
QUIET = 0.06
_TICKS = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict[str, Any]:
    return {
        "p50": statistics.median(values) if values else float("nan"),
        "p95": percentile(values, 95),
        "max": max(values) if values else float("nan"),
        "n": len(values),
        "runs_ms": [round(v, 2) for v in values],
    }


class PtySession:
    """One child on a pty of COLUMNS x ROWS; the parent reads everything it writes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.t0 = time.perf_counter()
        self.child = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self.seen = bytearray()

    # ------------------------------------------------------------------ reading

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            if self.child.poll() is not None:
                raise RuntimeError(
                    f"the app exited with {self.child.returncode}: {bytes(self.seen[-1500:])!r}"
                )
            return b""
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:
            chunk = b""
        if not chunk:
            raise RuntimeError(f"the app closed the terminal: {bytes(self.seen[-1500:])!r}")
        self.seen += chunk
        return chunk

    def wait_for(self, needle: bytes, timeout: float = 60.0) -> float:
        """Seconds (perf_counter) at which `needle` is first in the output after this call."""
        start = len(self.seen)
        deadline = time.perf_counter() + timeout
        while True:
            if needle in self.seen[max(0, start - len(needle)) :]:
                return time.perf_counter()
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{needle!r} did not appear within {timeout} s")
            self._read(0.05)

    def quiet(self, seconds: float = QUIET, timeout: float = 10.0) -> None:
        """Read until nothing has arrived for `seconds`."""
        deadline = time.perf_counter() + timeout
        last = time.perf_counter()
        while time.perf_counter() < deadline:
            if self._read(seconds - (time.perf_counter() - last)):
                last = time.perf_counter()
            elif time.perf_counter() - last >= seconds:
                return

    def send(self, key: str) -> float:
        os.write(self.master, KEYS.get(key, key.encode()))
        return time.perf_counter()

    def key_to_output(self, key: str, timeout: float = 10.0) -> float:
        """ms from writing `key` to the first output after it; then waits for quiet."""
        self.quiet()
        before = len(self.seen)
        t0 = self.send(key)
        deadline = t0 + timeout
        while len(self.seen) == before:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no output within {timeout} s of {key!r}")
            self._read(0.5)
        elapsed = (time.perf_counter() - t0) * 1000
        self.quiet()
        return elapsed

    # ------------------------------------------------------------------ the child

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.child.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS

    def hwm_kb(self) -> int:
        with open(f"/proc/{self.child.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def idle_cpu(self, seconds: float, key: str = "j") -> float:
        """% of one core used while one key a second is pressed for `seconds`."""
        self.quiet()
        cpu0, t0 = self.cpu_seconds(), time.perf_counter()
        presses = max(1, round(seconds))
        for n in range(presses):
            self.send(key)
            until = t0 + n + 1
            while time.perf_counter() < until:
                self._read(until - time.perf_counter())
        return 100 * (self.cpu_seconds() - cpu0) / (time.perf_counter() - t0)

    def close(self) -> None:
        child = self.child
        try:
            if child.poll() is None:
                with contextlib.suppress(OSError):
                    os.write(self.master, KEYS["ctrl+q"])
                end = time.monotonic() + 5
                while child.poll() is None and time.monotonic() < end:
                    with contextlib.suppress(RuntimeError):
                        self._read(0.05)
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if child.poll() is not None:
                    break
                child.send_signal(sig)
                try:
                    child.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    continue
            child.wait()
        finally:
            os.close(self.master)


def _keys(session: PtySession, key: str, n: int) -> list[float]:
    return [session.key_to_output(key) for _ in range(n)]


def product(
    argv: list[str],
    env: dict[str, str],
    db: Path,
    *,
    list_needle: bytes,
    row: int,
    body_needle: bytes,
    article_id: int,
    presses: dict[str, int],
    marks: int,
    idle_seconds: float,
) -> dict[str, Any]:
    """Open the article on row `row` of the list, then keys, marks, idle CPU and memory."""
    # Each run starts as a first run: the app reopens the last article it showed (state.json beside
    # the config file), which would put the keys below in the reader instead of the list.
    config = env.get("NKREADER_CONFIG")
    if config:
        Path(config).with_name("state.json").unlink(missing_ok=True)
    session = PtySession(argv, env)
    probe = sqlite3.connect(db)
    try:
        session.wait_for(list_needle)
        session.quiet(0.5)
        for _ in range(row):
            session.key_to_output("down")
        session.quiet(0.3)
        t0 = session.send("enter")
        opened = (session.wait_for(body_needle) - t0) * 1000
        session.quiet(0.5)
        results: dict[str, Any] = {"open_ms": opened}
        for key, n in presses.items():
            results[key] = summary(_keys(session, key, n))
        commits, painted = [], []
        for _ in range(marks):
            session.key_to_output(")")
            session.key_to_output(")")
            session.quiet()
            before = probe.execute(
                "SELECT count(*) FROM annotations WHERE article_id = ?", (article_id,)
            ).fetchone()[0]
            mark_len = len(session.seen)
            t0 = session.send("c")
            t_commit = t_paint = None
            deadline = t0 + 15
            while t_commit is None or t_paint is None:
                if time.perf_counter() > deadline:
                    raise TimeoutError("no mark stored and painted within 15 s of pressing c")
                session._read(0.002)
                now = time.perf_counter()
                if t_paint is None and len(session.seen) > mark_len:
                    t_paint = now
                if t_commit is None:
                    count = probe.execute(
                        "SELECT count(*) FROM annotations WHERE article_id = ?", (article_id,)
                    ).fetchone()[0]
                    if count > before:
                        t_commit = time.perf_counter()
            commits.append((t_commit - t0) * 1000)
            painted.append((max(t_commit, t_paint) - t0) * 1000)
            session.quiet()
        results["c_commit"] = summary(commits)
        results["c"] = summary(painted)
        results["idle_cpu_percent"] = session.idle_cpu(idle_seconds)
        results["hwm_mb"] = session.hwm_kb() / 1024
        return results
    finally:
        probe.close()
        session.close()


def bare(
    argv: list[str], env: dict[str, str], *, presses: dict[str, int], idle_seconds: float
) -> dict[str, Any]:
    """The same keys on the bare Textual app (each changes its screen)."""
    session = PtySession(argv, env)
    try:
        session.wait_for(b"bare textual app painted")
        session.quiet(0.5)
        results: dict[str, Any] = {}
        for key, n in {**presses, "c": 5}.items():
            results[key] = summary(_keys(session, key, n))
        results["idle_cpu_percent"] = session.idle_cpu(idle_seconds)
        results["hwm_mb"] = session.hwm_kb() / 1024
        return results
    finally:
        session.close()
