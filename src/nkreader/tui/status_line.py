"""The main screen's status line: article, position, counts per kind, mode, selection, link source,
and on its right the app's latest message (`tui/messages.py`), so no notification covers the reader.

It redraws itself soon after it is asked (`schedule`, and a new message too), once for a burst of
keys: drawn in the same frame as the reader lines, the status line would widen every frame's
update region to the whole screen; a short delay keeps keystrokes cheap (a `c`'s "Marked: …" is
on screen 50 ms after the mark itself, in the frame that also shows the new counts).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.widgets import Static

from nkreader.domain import Kind
from nkreader.tui.messages import MessageBoard
from nkreader.tui.reader import ReaderView
from nkreader.tui.safe import excerpt
from nkreader.tui.session import ArticleSession

__all__ = ["STATUS_DELAY", "StatusLine", "status_text"]

STATUS_DELAY = 0.05
"""Seconds the status line waits, so a burst of keys redraws it once."""


def status_text(session: ArticleSession, reader: ReaderView, location: str) -> Text:
    """What the status line says about `session` shown in `reader` (`location`: the library's)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    article = session.article
    if article is None:
        text.append(location, style="dim")
        return text
    # whose marks are shown, on a team's article (said after the mode; the title makes room at 80 columns)
    whose = session.annotator_filter
    marks = not whose.shows_all or len(session.by_author()) > 1
    text.append(excerpt(article.title, 24 if marks else 40), style="bold")
    text.append("  " + reader.position_label())
    counts = session.counts()
    text.append("  " + "  ".join(f"{k.letter}{counts[k]}" for k in Kind))
    if session.adjusting_uuid is not None:
        text.append("  ADJUSTING", style="bold reverse")
        text.append(" motions move the end · o the start · Enter saves · Esc cancels")
    else:
        text.append(f"  {reader.mode.upper()}", style="" if reader.mode == "reading" else "bold")
    selection = reader.selection
    if selection is not None:
        text.append(f" {selection[1] - selection[0]} chars")
    source = session.link_source
    if source is not None:
        text.append(f"  ⛓ linking from “{excerpt(source.exact, 30)}” (L)", style="bold")
    if marks:
        text.append(f"  marks: {excerpt(whose.label(), 40)}", style="" if whose.shows_all else "bold")
    return text


class StatusLine(Static):
    """Article, position, counts per kind and mode, on one line."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pending = False
        self._source: Callable[[], Text] | None = None
        self._shown: Text | None = None
        self.messages = MessageBoard()

    def show_message(self, text: str, *, title: str = "", severity: str = "information",
                     timeout: float | None = None) -> None:
        """Show `text` on the right of the line for a while (see `MessageBoard` for how long)."""
        shown = self.messages.post(text, title=title, severity=severity, timeout=timeout, now=time.monotonic())
        self._soon()  # like every other change of the line: not in the frame of the key's own work
        self.set_timer(max(0.05, shown.until - time.monotonic()) + 0.05, self._draw)

    def schedule(self, source: Callable[[], Text]) -> None:
        """Redraw from `source()` soon, once for a burst of calls."""
        self._source = source
        self._soon()

    def _soon(self) -> None:
        if not self._pending:
            self._pending = True
            self.set_timer(STATUS_DELAY, self._draw)

    def _draw(self) -> None:
        self._pending = False
        if not self.is_attached or self._source is None:
            return
        text = self._source()
        shown = self.messages.current(time.monotonic())
        if shown is not None:
            style = {"error": "bold $text-error", "warning": "bold $text-warning"}.get(shown.severity, "bold")
            message = Text(excerpt(shown.line(), 200), style=_style(self, style))
            width = max(0, self.content_size.width)
            message.truncate(max(20, width * 3 // 5), overflow="ellipsis")
            room = max(0, width - message.cell_len - 3)
            text.truncate(room, overflow="ellipsis")
            text.append(" │ ", style="dim")
            text.append_text(message)
        if text == self._shown:
            return  # the same words (the redraw after a key's message): nothing to draw again
        self._shown = text
        self.update(text, layout=False)


def _style(widget: Static, style: str) -> str:
    """A Rich style from a Textual one with theme variables (``$text-error``) resolved."""
    variables = widget.app.theme_variables
    return " ".join(variables.get(part[1:], part) if part.startswith("$") else part for part in style.split())
