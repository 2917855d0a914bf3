"""Run the real `python -m nkreader` in a pseudo-terminal and keep every byte it writes.

`PtyApp` forks with `pty.fork()`, sets a fixed window size, execs the app with TERM=xterm-256color,
and drains the terminal on a thread (a full pty buffer would block the app). `output` is everything
the app wrote, as bytes; `text()` decodes it with `surrogateescape`, so a stray byte such as a raw
C1 control stays visible as a lone surrogate (U+DC9B) instead of disappearing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Mapping, Sequence

KEYS = {
    "enter": b"\r",
    "tab": b"\t",
    "escape": b"\x1b",
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "ctrl+q": b"\x11",
}


class PtyApp:
    def __init__(
        self,
        args: Sequence[str],
        *,
        columns: int = 120,
        rows: int = 36,
        env: Mapping[str, str] | None = None,
    ) -> None:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TEXTUAL", "PYTEST", "COLORTERM", "NO_COLOR"))
        }
        environment.update({"TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)})
        environment.update(env or {})
        argv = [sys.executable, "-m", "nkreader", *args]
        self._buffer = bytearray()
        self._lock = threading.Lock()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: exec at once, nothing else
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
                os.execve(argv[0], argv, environment)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.returncode: int | None = None
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO: the child closed its side
                return
            if not chunk:
                return
            with self._lock:
                self._buffer += chunk

    @property
    def output(self) -> bytes:
        with self._lock:
            return bytes(self._buffer)

    def text(self) -> str:
        return self.output.decode("utf-8", "surrogateescape")

    def wait_for(self, needle: str | bytes, timeout: float = 20.0, *, start: int = 0) -> int:
        """Wait until `needle` is in the output (after byte `start`); return the offset after it."""
        raw = needle.encode() if isinstance(needle, str) else needle
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = self.output
            found = data.find(raw, start)
            if found >= 0:
                return found + len(raw)
            if self.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        tail = self.output[-2000:].decode("utf-8", "replace")
        raise AssertionError(f"{needle!r} never appeared (exit {self.returncode}); output ends: {tail!r}")

    def settle(self, quiet: float = 0.4, timeout: float = 10.0) -> None:
        """Wait until the app has written nothing for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        size, since = len(self.output), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = len(self.output)
            if now != size:
                size, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def send(self, *keys: str | bytes, pause: float = 0.15) -> None:
        for key in keys:
            data = key if isinstance(key, bytes) else KEYS.get(key, key.encode())
            os.write(self.fd, data)
            time.sleep(pause)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"the app did not exit within {timeout} s")
            time.sleep(0.05)
        self._reader.join(timeout=5)
        return self.returncode  # type: ignore[return-value]

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.returncode = -signal.SIGKILL

    def close(self) -> None:
        self.kill()
        self._reader.join(timeout=5)
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
