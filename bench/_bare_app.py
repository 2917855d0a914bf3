"""The floor for cold start and memory: a bare Textual app with a Header, a Static and a Footer.

Run by `bench/run.py` in a pseudo-terminal exactly like `python -m nkreader`; the bench waits for
MARKER to appear in the bytes written to the terminal.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

MARKER = "bare textual app painted"


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(MARKER)
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
