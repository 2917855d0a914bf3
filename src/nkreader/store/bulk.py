"""Many rows at once: batch imports (look-ups by hash, URL or origin, one `executemany` insert),
generated libraries and bulk restores, and pausing the garbage collector while a large result
is read. Callers own the session."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, insert, or_, select, text
from sqlalchemy.orm import Session

from nkreader.domain import Annotation, Article, ArticleDraft, utcnow
from nkreader.store.fts import CJK_LISTED_BY_WRITER, UNIGRAM_PENDING
from nkreader.store.mappers import annotation_values, article_from_row, draft_values
from nkreader.store.models import AnnotationRow, ArticleRow
from nkreader.store.unigrams import CJK


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while a large result is read into objects that all live on (the
    library list, an export). Each collection would scan the growing heap again, and the first
    ones after start-up scan every module object too: 40 ms of the library list's 100 ms in a
    freshly started app, half the time of building an export. Nothing read here makes cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def existing_hashes(session: Session, digests: Sequence[str]) -> set[str]:
    """Which of `digests` are the content hash of a stored article."""
    if not digests:
        return set()
    return set(
        session.scalars(select(ArticleRow.content_hash).where(ArticleRow.content_hash.in_(set(digests))))
    )


def articles_by_url_or_origin(session: Session, urls: Sequence[str], origins: Sequence[str]) -> list[Article]:
    """Every article whose URL is one of `urls` or whose origin is one of `origins`."""
    conditions = []
    if urls:
        conditions.append(ArticleRow.url.in_(set(urls)))
    if origins:
        conditions.append(ArticleRow.origin.in_(set(origins)))
    if not conditions:
        return []
    return [article_from_row(row) for row in session.scalars(select(ArticleRow).where(or_(*conditions)))]


def add_articles(session: Session, drafts: Sequence[tuple[ArticleDraft, str]]) -> list[int]:
    """Insert many new articles at once; returns their ids in order.

    One Core `executemany` and one look-up of the ids by uuid: the ORM would insert them one
    statement at a time (SQLite's RETURNING does not promise the order of a multi-row insert,
    so SQLAlchemy does not batch it), which cost more than the import's own work. In a SQLite
    library the articles with CJK text are listed here, not by the insert triggers
    (`_list_cjk_rows`).
    """
    if not drafts:
        return []
    now = utcnow()
    rows = [draft_values(draft, digest, uuid=None, imported_at=now) for draft, digest in drafts]
    connection = session.connection()
    lists_cjk = _lists_cjk_itself(connection)
    if lists_cjk:
        connection.execute(text(f"INSERT INTO {CJK_LISTED_BY_WRITER}(writer) VALUES (1)"))
    uuids = [row["uuid"] for row in rows]
    ids: dict[str, int] = {}
    try:
        connection.execute(insert(cast(Table, ArticleRow.__table__)), rows)
        for offset in range(0, len(uuids), 500):
            query = select(ArticleRow.uuid, ArticleRow.id).where(
                ArticleRow.uuid.in_(uuids[offset : offset + 500])
            )
            ids.update((uuid, article_id) for uuid, article_id in connection.execute(query))
        if lists_cjk:
            _list_cjk_rows(connection, [(ids[row["uuid"]], row) for row in rows])
    except BaseException:
        if lists_cjk:  # the caller rolls the transaction back; the table is emptied all the same
            with contextlib.suppress(Exception):
                connection.execute(text(f"DELETE FROM {CJK_LISTED_BY_WRITER}"))
        raise
    if lists_cjk:
        connection.execute(text(f"DELETE FROM {CJK_LISTED_BY_WRITER}"))
    return [ids[uuid] for uuid in uuids]


def _lists_cjk_itself(connection: Connection) -> bool:
    """Whether this library's insert triggers leave the CJK listing to a batch writer that says
    so (SQLite at migration 0017)."""
    if connection.dialect.name != "sqlite":
        return False
    found = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
        {"name": CJK_LISTED_BY_WRITER},
    ).first()
    return found is not None


_NOT_CJK_LEAD = bytes(b for b in range(256) if b not in (0xE1, *range(0xE3, 0xEE), 0xEF))
"""Every byte but the first bytes of CJK characters in UTF-8 (see migration 0017)."""


def _has_cjk(value: str | None) -> bool:
    """`unigrams.CJK` finds a character in `value`. Text without a CJK lead byte is passed over
    by one `bytes.translate` (a table look-up per byte), a third of the regex's time."""
    if not value or value.isascii():
        return False
    if not value.encode("utf-8", "surrogatepass").translate(None, _NOT_CJK_LEAD):
        return False
    return CJK.search(value) is not None


def _list_cjk_rows(connection: Connection, rows: Sequence[tuple[int, dict[str, Any]]]) -> None:
    """What the insert triggers of 0005, 0016 and 0017 do for the new articles with CJK text:
    list them in `articles_cjk`, index them in trigrams, queue them for the character index.

    The triggers decide with a GLOB over the stored text, two scans of every article; here one
    regex over the strings being stored decides the same (the same ranges: `unigrams.CJK`).
    """
    found = [
        {"id": article_id, "title": row["title"], "source": row["source"] or "", "body": row["body"]}
        for article_id, row in rows
        if _has_cjk(row["title"]) or _has_cjk(row["source"]) or _has_cjk(row["body"])
    ]
    if not found:
        return
    connection.execute(text("INSERT INTO articles_cjk(id) VALUES (:id)"), found)
    connection.execute(
        text("INSERT INTO articles_tri(rowid, title, source, body) VALUES (:id, :title, :source, :body)"),
        found,
    )
    connection.execute(
        text(f"INSERT OR IGNORE INTO {UNIGRAM_PENDING}(kind, id) VALUES ('articles', :id)"), found
    )


def add_annotations(session: Session, annotations: Sequence[Annotation], *, reindex: bool = False) -> int:
    """Insert many annotations at once (one Core `executemany`); returns how many.

    For generated libraries and bulk restores: no domain objects come back, read them by uuid.
    `reindex` (SQLite): for a load far larger than the table already is, the full-text insert
    triggers are set aside and the full-text tables rebuilt once at the end, in the same
    transaction (about ten times faster than one trigger per row).
    """
    if not annotations:
        return 0
    rows = [annotation_values(a) for a in annotations]
    if not (reindex and session.get_bind().dialect.name == "sqlite"):
        session.execute(insert(AnnotationRow), rows)
        return len(rows)
    triggers: dict[str, str] = dict(
        session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'annotations' "
                "AND name LIKE 'annotations\\_%\\_ai' ESCAPE '\\'"
                # a trigger with a WHEN indexes few rows (0005's trigram triggers: CJK text only)
                # and keeps its own list of them: it stays, a rebuild would index every row
                " AND instr(upper(sql), ' WHEN ') = 0"
            )
        ).all()
    )
    for name in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    session.execute(insert(AnnotationRow), rows)
    for name, sql in triggers.items():
        session.execute(text(sql))
        table = name.removesuffix("_ai")
        session.execute(text(f"INSERT INTO {table}({table}) VALUES ('rebuild')"))
    return len(rows)
