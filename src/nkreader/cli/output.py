"""What the command line prints: terminal-safe text and the import progress bar.

Stored data and file names are untrusted; everything the CLI shows on a terminal goes through
`printable` so no control or escape sequence from the data reaches it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from nkreader.text.sanitize import sanitize

if TYPE_CHECKING:  # rich.progress is imported only when a bar is shown
    from rich.progress import Progress, TaskID


def printable(text: str) -> str:
    """File names and reasons can hold anything; never let a control byte reach the terminal."""
    return sanitize(text, "line", replacement="?")


def printable_text(text: str) -> str:
    """Multi-line stored text (a body, an export) for a terminal: `text.sanitize`'s policy."""
    return sanitize(text, "multiline")


def to_terminal(text: str, *, stream: TextIO | None = None) -> str:
    """`text` sanitized when `stream` (stdout by default) is a terminal, else exactly as stored.

    Files and pipes get the data; a terminal never gets a sequence it would act on.
    """
    stream = sys.stdout if stream is None else stream
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return printable_text(text) if tty else text


class progress_bar:
    """A rich progress bar on stderr when it is a terminal; silent otherwise (pipes, CI)."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Callable[[int, int, Path], None]:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self._progress = Progress(
                "Importing",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
        return self

    def __call__(self, done: int, total: int, _path: Path) -> None:
        if self._progress is None:
            return
        if self._task is None:
            self._task = self._progress.add_task("import", total=total)
        self._progress.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
