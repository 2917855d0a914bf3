"""One search interface, one implementation per database: SQLite (FTS5) and PostgreSQL.

Services call `backend_for(session)` and use what it returns; neither they nor the app see SQL of
either dialect. Both implementations take the same query language (`store.search_query`) and
return rows of the same shapes in the same order (bm25, then the newest first).
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session

from nkreader.domain import Kind
from nkreader.store.search_query import _Token


class SearchBackend(Protocol):
    def plan(self, session: Session, query: str) -> tuple[Any, list[_Token], bool]:
        """(what the search calls take, the query's positive terms, whether they match as substrings)."""

    def search_articles(self, session: Session, match: Any, *, limit: int) -> list[tuple]:
        """(id, title, source, published, rank, body), best first; SearchError for a refused query."""

    def search_annotations(self, session: Session, match: Any, *, kind: Kind | None, limit: int) -> list[tuple]:
        """(id, uuid, kind, start, exact, note, speaker, tags, article_id, title, source, published,
        rank), best first; SearchError for a refused query."""


def backend_for(session: Session) -> SearchBackend:
    if session.get_bind().dialect.name == "postgresql":
        from nkreader.store import fulltext_postgres

        return fulltext_postgres  # type: ignore[return-value]
    from nkreader.store import search_sqlite

    return search_sqlite
