"""Cold start and peak memory of a terminal app, measured in a real pseudo-terminal.

The child gets the slave end of a pty sized 120x40 (so Textual uses its real Linux driver, exactly as
in a terminal); the parent drains the master end and notes the time at which a known text first appears
in the bytes written to it. Process start -> that moment is the cold start. The child's peak RSS
(`VmHWM` in /proc/PID/status) is read once the text is visible and again after a short settle, and the
app is then quit with ctrl+q (killed by its pid if it does not go).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass

COLUMNS, ROWS = 120, 40


@dataclass(slots=True)
class StartResult:
    seconds: float  # spawn -> needle seen in the terminal output
    hwm_at_paint_kb: int  # VmHWM when the needle was seen
    hwm_settled_kb: int  # VmHWM after `settle` more seconds of running
    output_bytes: int


def _vm_hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _drain(master: int, until: float) -> int:
    got = 0
    while time.monotonic() < until:
        ready, _, _ = select.select([master], [], [], 0.02)
        if ready:
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            got += len(chunk)
    return got


def measure_start(
    argv: list[str], needles: list[bytes], *, env: dict[str, str], timeout: float = 120.0, settle: float = 1.0
) -> StartResult:
    """Spawn `argv` on a pty; seconds until any of `needles` appears in its output."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    t0 = time.perf_counter()
    child = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    seen = bytearray()
    found_at: float | None = None
    longest = max(len(n) for n in needles)
    try:
        deadline = time.monotonic() + timeout
        scanned = 0
        while found_at is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{argv!r}: none of {needles!r} appeared within {timeout} s")
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if child.poll() is not None:
                    raise RuntimeError(f"{argv!r} exited with {child.returncode}: {bytes(seen[-2000:])!r}")
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{argv!r} closed the terminal: {bytes(seen[-2000:])!r}")
            now = time.perf_counter()
            seen += chunk
            window = bytes(seen[max(0, scanned - longest) :])
            if any(needle in window for needle in needles):
                found_at = now
            scanned = len(seen)
        hwm_paint = _vm_hwm_kb(child.pid)
        out = len(seen) + _drain(master, time.monotonic() + settle)
        hwm_settled = _vm_hwm_kb(child.pid)
        return StartResult(found_at - t0, hwm_paint, hwm_settled, out)
    finally:
        _stop(child, master)


def _stop(child: subprocess.Popen[bytes], master: int) -> None:
    """ctrl+q, then SIGTERM, then SIGKILL, always to this child's own pid."""
    try:
        if child.poll() is None:
            with contextlib.suppress(OSError):
                os.write(master, b"\x11")
            end = time.monotonic() + 5
            while child.poll() is None and time.monotonic() < end:
                _drain(master, time.monotonic() + 0.05)
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
        os.close(master)


def terminal_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
    for name in (
        "TEXTUAL",
        "TEXTUAL_DRIVER",
        "TEXTUAL_DEBUG",
        "TEXTUAL_FPS",
        "NO_COLOR",
        "PYTHONPROFILEIMPORTTIME",
        "COLUMNS",
        "LINES",
    ):
        env.pop(name, None)
    env.update(extra or {})
    return env
