"""The floor for cold start, keys, idle CPU and memory: a bare Textual app (Header, Static, Footer).

Run by `bench/run.py` in a pseudo-terminal exactly like `python -m nkreader`; the bench waits for
MARKER to appear in the bytes written to the terminal. Every key changes the Static's text, so
key -> screen changed is measured on it the same way as on the product.
"""

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

MARKER = "bare textual app painted"


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(MARKER, id="text")
        yield Footer()

    def on_mount(self) -> None:
        self.presses = 0

    def on_key(self, event: events.Key) -> None:
        self.presses += 1
        self.query_one("#text", Static).update(f"{MARKER}: key {event.key} ({self.presses})")


if __name__ == "__main__":
    BareApp().run()
