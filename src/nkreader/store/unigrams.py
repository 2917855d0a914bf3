"""The index of CJK characters (migration 0016): which rows can hold a 1-2 character Korean term.

A Korean term shorter than a trigram cannot be looked up in the trigram tables; scanning every
row with Korean text for it took 60-140 ms at 10,000 articles and 38,000 Korean annotations.
`articles_uni` / `annotations_uni` list, per row, the distinct CJK letters of its searched
columns, so the rows that hold every character of the term are found in the index, and only
they are checked with `instr` (results identical to the scan, see 0016's docstring).

The triggers of 0016 list every row written since it was indexed in `cjk_unigram_pending`
(whoever wrote it). `index_pending` runs inside each of nkreader's write transactions, just
before the commit (`Database.writing`), so nkreader's own writes are indexed with the rows
they change; a query also scans the rows still pending, so a row written by another program
is found too.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
"""The characters of `store.search_query._CJK` (and of 0005's GLOB class)."""

TABLES = {"articles": "articles_uni", "annotations": "annotations_uni"}
_CHUNK = 500


def _is_letter(ch: str) -> bool:
    # what FTS5's unicode61 keeps as (part of) a token: letters and digits; CJK punctuation
    # such as `・` is a separator there and cannot be looked up
    return unicodedata.category(ch)[0] in "LN"


def letters(*values: str | None) -> str:
    """The distinct CJK letters of `values`, space-separated (one FTS5 token each)."""
    found: set[str] = set()
    for value in values:
        if value:
            found.update(ch for ch in CJK.findall(value) if _is_letter(ch))
    return " ".join(sorted(found))


def tags_text(tags: str | None) -> str:
    """Tags as the user wrote them: stored as JSON text with non-ASCII escaped."""
    try:
        decoded = json.loads(tags or "[]")
    except ValueError:
        return tags or ""
    return " ".join(str(t) for t in decoded) if isinstance(decoded, list) else str(decoded)


def match_query(substrings: Iterable[str]) -> str | None:
    """FTS5 query for the rows holding every CJK letter of `substrings` (each must occur), or
    None when none of them has one (then the index cannot narrow anything)."""
    chars: list[str] = []
    for substring in substrings:
        for ch in substring:
            if CJK.match(ch) and _is_letter(ch) and ch not in chars:
                chars.append(ch)
    return " ".join(f'"{ch}"' for ch in chars) or None


def has_unigrams(on: Session | Connection) -> bool:
    """Whether the index exists (SQLite libraries migrated to 0016), asked on a session or a
    connection."""
    dialect = on.get_bind().dialect if isinstance(on, Session) else on.dialect
    if dialect.name != "sqlite":
        return False
    found = on.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cjk_unigram_pending'")
    ).first()
    return found is not None


def candidates_sql(which: str) -> str:
    """Ids of the `which` rows that may hold the `:uni_q` letters: indexed, or not yet indexed."""
    table = TABLES[which]
    return (
        f"SELECT rowid FROM {table} WHERE {table} MATCH :uni_q "
        f"UNION ALL SELECT id FROM cjk_unigram_pending WHERE kind = '{which}'"
    )


def index_pending(session: Session | Connection) -> int:
    """Index the rows written since they were last indexed; returns how many were pending.

    Runs before every commit, so it talks to sqlite3 directly: SQLAlchemy's per-statement cost
    was most of the ~1 ms a Korean mark spent here."""
    connection = session.connection() if isinstance(session, Session) else session
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        pending = cursor.execute("SELECT kind, id FROM cjk_unigram_pending").fetchall()
        if not pending:
            return 0
        ids: dict[str, list[int]] = {"articles": [], "annotations": []}
        for kind, row_id in pending:
            if kind in ids:
                ids[kind].append(row_id)
        for start in range(0, len(ids["articles"]), _CHUNK):
            chunk = ids["articles"][start : start + _CHUNK]
            rows = cursor.execute(
                f"SELECT id, title, source, body FROM articles WHERE id IN ({_ints(chunk)})"
            ).fetchall()
            _insert(cursor, "articles_uni", [(i, letters(t, s, b)) for i, t, s, b in rows], chunk)
        for start in range(0, len(ids["annotations"]), _CHUNK):
            chunk = ids["annotations"][start : start + _CHUNK]
            rows = cursor.execute(
                f"SELECT id, exact, note, speaker, tags FROM annotations WHERE id IN ({_ints(chunk)})"
            ).fetchall()
            values = [(i, letters(e, o, s, tags_text(g))) for i, e, o, s, g in rows]
            _insert(cursor, "annotations_uni", values, chunk)
        cursor.execute("DELETE FROM cjk_unigram_pending")
        return len(pending)
    finally:
        cursor.close()


def _ints(values: list[int]) -> str:
    return ",".join(str(int(v)) for v in values)


def _insert(cursor: sqlite3.Cursor, table: str, values: list[tuple[int, str]], chunk: list[int]) -> None:
    # a row listed twice (written again by another program before indexing) is replaced
    cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({_ints(chunk)})")
    rows = [(i, chars) for i, chars in values if chars]
    if rows:
        cursor.executemany(f"INSERT INTO {table}(rowid, chars) VALUES (?, ?)", rows)
