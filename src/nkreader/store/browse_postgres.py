"""The annotation browser on PostgreSQL: the filters, sorts and pages of `store.browse.browse_annotations`
(SQLite's), in PostgreSQL's SQL, with the same rows in the same order.

SQLite's differences made explicit: NULLs sort first going up and last going down; `COLLATE NOCASE`
becomes `lower()`; `LIKE` is case-blind there (`ILIKE` here); tags are JSON text there, a JSON value
here; the text filter is the PostgreSQL search's condition (`fulltext_postgres`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from nkreader.domain import BrowseRow, Kind, Status
from nkreader.store.browse import _browse_rows, _instrument_conditions
from nkreader.store.fulltext_postgres import annotation_condition
from nkreader.store.search_query import SearchError

_DAY = "coalesce(a.published, a.imported_at::date)"
_SORTS = {
    "published": _DAY,
    "kind": "n.kind",
    "speaker": "n.speaker",
    "article": "lower(a.title)",
    "source": "lower(a.source)",
    "status": "n.status",
    "created": "n.created_at",
}


def _literal(query: str) -> str:
    words = [w.replace('"', "") for w in query.split()]
    return " ".join(f'"{w}"' for w in words if w)


def browse_annotations(
    session: Session,
    *,
    query: str | None = None,
    kinds: Sequence[Kind] | None = None,
    speakers: Sequence[str] | None = None,
    tag: str | None = None,
    status: Status | None = None,
    source: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    credibility: int | None = None,
    needs_review: bool = False,
    sort: str = "published",
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
) -> tuple[list[BrowseRow], int]:
    if sort not in _SORTS:
        raise ValueError(f"unknown sort {sort!r} (one of {', '.join(_SORTS)})")
    params: dict[str, object] = {}
    conditions: list[str] = []
    if query and query.strip():
        try:
            conditions.append(annotation_condition(query, params))
        except SearchError:
            literal = _literal(query)
            if literal:
                conditions.append(annotation_condition(literal, params))
    if kinds:
        params["kinds"] = [k.value for k in kinds]
        conditions.append("n.kind = ANY(:kinds)")
    if speakers:
        params["speakers"] = list(speakers)
        conditions.append("n.speaker = ANY(:speakers)")
    if tag:
        params["tag"] = tag
        conditions.append("EXISTS (SELECT 1 FROM json_array_elements_text(n.tags::json) t WHERE t = :tag)")
    if status is not None:
        params["status"] = status.value
        conditions.append("n.status = :status")
    _instrument_conditions(conditions, params, credibility, needs_review)
    if source:
        params["source"] = "%" + source.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append("a.source ILIKE :source ESCAPE '\\'")
    if date_from is not None:
        params["date_from"] = date_from
        conditions.append(f"{_DAY} >= :date_from")
    if date_to is not None:
        params["date_to"] = date_to
        conditions.append(f"{_DAY} <= :date_to")
    where = " AND ".join(conditions) or "true"
    direction = "DESC NULLS LAST" if descending else "ASC NULLS FIRST"
    plain = "DESC" if descending else "ASC"
    key = _SORTS[sort]
    source_sql = f"FROM annotations n JOIN articles a ON a.id = n.article_id WHERE {where}"
    total = session.execute(text(f"SELECT count(*) {source_sql}"), params).scalar() or 0
    tie = f"a.id {plain}, n.id {plain}" if sort in ("published", "article", "source") else f"n.id {plain}"
    ids = [
        row[0]
        for row in session.execute(
            text(f"SELECT n.id {source_sql} ORDER BY {key} {direction}, {tie} LIMIT :limit OFFSET :offset"),
            {**params, "limit": limit, "offset": offset},
        )
    ]
    return _browse_rows(session, ids), total
