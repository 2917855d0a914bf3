"""The second floor for cold start: Textual + sqlite3 + the library list's query, painted.

What the first screen needs at the least: import Textual, read all the rows of the list with the
standard `sqlite3` module (the same columns and per-kind counts the app's list shows, newest
first) and paint them. No ORM, no other screen. The bench waits for the top row's title.
"""

import sqlite3
import sys

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

# the app's two list queries (store.repository.list_summaries), as plain SQL
COUNTS_SQL = (
    "SELECT article_id, count(*) FILTER (WHERE kind = 'claim'), count(*) FILTER (WHERE kind = 'quote'), "
    "count(*) FILTER (WHERE kind = 'policy') FROM annotations GROUP BY article_id"
)
LIST_SQL = (
    "SELECT id, uuid, title, source, published, imported_at, language FROM articles "
    "ORDER BY coalesce(published, date(imported_at)) DESC, id DESC"
)


class ListFloorApp(App[None]):
    def __init__(self, db: str) -> None:
        super().__init__()
        with sqlite3.connect(db) as connection:
            self.counts = {row[0]: row[1:] for row in connection.execute(COUNTS_SQL)}
            self.rows = connection.execute(LIST_SQL).fetchall()

    def compose(self) -> ComposeResult:
        yield Header()
        zero = (0, 0, 0)
        lines = [
            f"{title}  {source or ''}  {published or ''}  {sum(self.counts.get(i, zero))}"
            for i, _uuid, title, source, published, *_ in self.rows
        ]
        # every row is read and formatted; the visible ones are painted (as a virtual list does)
        yield Static(Text("\n".join(lines[:60]), no_wrap=True))
        yield Footer()


if __name__ == "__main__":
    ListFloorApp(sys.argv[1]).run()
