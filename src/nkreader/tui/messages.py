"""What the app has to say, shown in the status line instead of over the text being read.

Why not Textual's toasts on the main screen: they stack over the right half of the reader and cover
the very lines an analyst is marking (three covered lines at 160×50 after three quick marks). The status
line is already on screen; a message takes its right part for a few seconds. Repeats coalesce ("Not
found: Hyesan ×3"), a newer message replaces an older one, and an error outlasts the information
that follows it, so a failure is not wiped out by the next "Marked". Plain Python: the timing rules are
unit-tested with a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MessageBoard", "Shown"]

MIN_SECONDS = {"information": 3.0, "warning": 5.0, "error": 8.0}
"""How long a message of each severity stays at least (a longer `timeout` is kept)."""
_RANK = {"information": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Shown:
    text: str
    title: str
    severity: str
    count: int
    until: float

    def line(self) -> str:
        """``Marked: Claim: Rice prices… ×2``."""
        head = f"{self.title}: " if self.title else ""
        tail = f" ×{self.count}" if self.count > 1 else ""
        return f"{head}{self.text}{tail}"


class MessageBoard:
    """The message the status line shows now, if any."""

    def __init__(self) -> None:
        self._shown: Shown | None = None

    def post(self, text: str, *, title: str = "", severity: str = "information",
             timeout: float | None = None, now: float) -> Shown:
        severity = severity if severity in _RANK else "information"
        seconds = max(MIN_SECONDS[severity], timeout or 0.0)
        current = self.current(now)
        if current is not None and (current.text, current.title, current.severity) == (text, title, severity):
            shown = Shown(text, title, severity, current.count + 1, now + seconds)
        elif current is not None and _RANK[current.severity] > _RANK[severity]:
            # an error (or warning) still showing is not replaced by something less serious
            return current
        else:
            shown = Shown(text, title, severity, 1, now + seconds)
        self._shown = shown
        return shown

    def current(self, now: float) -> Shown | None:
        if self._shown is not None and self._shown.until <= now:
            self._shown = None
        return self._shown

    def clear(self) -> None:
        self._shown = None
