"""SQLite: an index of the CJK characters each row holds, for 1-2 character Korean queries.

A Korean query shorter than a trigram (`쌀`, `당원`) cannot use the trigram tables, so it was
answered by scanning every row with CJK text (`articles_cjk`, `annotations_cjk`, 0005) with
`instr`. At 10,000 articles and 38,000 Korean annotations that scan was 60-140 ms; the
annotations' rows, read one by one, were most of it.

- `articles_uni`, `annotations_uni`: FTS5 (unicode61, `detail=none`, no column sizes), one row
  per row with CJK text, rowid = the row's id; its one column holds the distinct CJK letters of
  the row's searched columns, separated by spaces (the tags decoded from their JSON). A row
  holds a 1-2 character term only if it holds each of its characters, so the index gives the
  candidates and `instr` still decides (results are exactly the scan's). Small: ~2 MB at the
  benchmark's 10,000 articles and 100,000 annotations.
- `cjk_unigram_pending (kind, id)`: rows written since they were last indexed. The triggers
  below (any writer: the app, the CLI, the sqlite3 shell) drop a changed or deleted row from the
  index and list it here; `store.unigrams.index_pending` fills the index for these rows before
  each of nkreader's own commits, and a query also scans the rows still listed (a row written
  by another program), so nothing is ever missed.

Characters are listed by a frozen copy of the rule (`_letters`, below) for the rows that exist
when this runs; the live rule is `store.unigrams.letters` (the same ranges as 0005's GLOB
class, letters and digits only: what unicode61 keeps as a token).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_CJK_GLOB = (
    "'*[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]*'"
)
_CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


def _article_cjk(prefix: str) -> str:
    return (
        f"({prefix}.title GLOB {_CJK_GLOB} OR coalesce({prefix}.source, '') GLOB {_CJK_GLOB} "
        f"OR {prefix}.body GLOB {_CJK_GLOB})"
    )


def _annotation_cjk(prefix: str) -> str:
    return (
        f"({prefix}.exact GLOB {_CJK_GLOB} OR {prefix}.note GLOB {_CJK_GLOB} "
        f"OR coalesce({prefix}.speaker, '') GLOB {_CJK_GLOB} OR {prefix}.tags GLOB {_CJK_GLOB} "
        rf"OR instr({prefix}.tags, '\u') > 0)"
    )


_FTS = "fts5(chars, tokenize='unicode61 remove_diacritics 0', detail=none, columnsize=0)"

UPGRADE = [
    f"CREATE VIRTUAL TABLE articles_uni USING {_FTS}",
    f"CREATE VIRTUAL TABLE annotations_uni USING {_FTS}",
    "CREATE TABLE cjk_unigram_pending (kind TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (kind, id)) "
    "WITHOUT ROWID",
    f"""CREATE TRIGGER articles_uni_ai AFTER INSERT ON articles WHEN {_article_cjk("new")} BEGIN
        INSERT OR IGNORE INTO cjk_unigram_pending(kind, id) VALUES ('articles', new.id);
    END""",
    f"""CREATE TRIGGER articles_uni_au AFTER UPDATE OF title, source, body ON articles BEGIN
        DELETE FROM articles_uni WHERE rowid = old.id;
        DELETE FROM cjk_unigram_pending WHERE kind = 'articles' AND id = old.id;
        INSERT OR IGNORE INTO cjk_unigram_pending(kind, id) SELECT 'articles', new.id WHERE {_article_cjk("new")};
    END""",
    """CREATE TRIGGER articles_uni_ad AFTER DELETE ON articles BEGIN
        DELETE FROM articles_uni WHERE rowid = old.id;
        DELETE FROM cjk_unigram_pending WHERE kind = 'articles' AND id = old.id;
    END""",
    f"""CREATE TRIGGER annotations_uni_ai AFTER INSERT ON annotations WHEN {_annotation_cjk("new")} BEGIN
        INSERT OR IGNORE INTO cjk_unigram_pending(kind, id) VALUES ('annotations', new.id);
    END""",
    f"""CREATE TRIGGER annotations_uni_au AFTER UPDATE OF exact, note, speaker, tags ON annotations BEGIN
        DELETE FROM annotations_uni WHERE rowid = old.id;
        DELETE FROM cjk_unigram_pending WHERE kind = 'annotations' AND id = old.id;
        INSERT OR IGNORE INTO cjk_unigram_pending(kind, id)
            SELECT 'annotations', new.id WHERE {_annotation_cjk("new")};
    END""",
    """CREATE TRIGGER annotations_uni_ad AFTER DELETE ON annotations BEGIN
        DELETE FROM annotations_uni WHERE rowid = old.id;
        DELETE FROM cjk_unigram_pending WHERE kind = 'annotations' AND id = old.id;
    END""",
]

DOWNGRADE = [
    "DROP TRIGGER IF EXISTS annotations_uni_ad",
    "DROP TRIGGER IF EXISTS annotations_uni_au",
    "DROP TRIGGER IF EXISTS annotations_uni_ai",
    "DROP TRIGGER IF EXISTS articles_uni_ad",
    "DROP TRIGGER IF EXISTS articles_uni_au",
    "DROP TRIGGER IF EXISTS articles_uni_ai",
    "DROP TABLE IF EXISTS cjk_unigram_pending",
    "DROP TABLE IF EXISTS annotations_uni",
    "DROP TABLE IF EXISTS articles_uni",
]


def _letters(*values: str | None) -> str:
    found: set[str] = set()
    for value in values:
        if value:
            found.update(ch for ch in _CJK.findall(value) if unicodedata.category(ch)[0] in "LN")
    return " ".join(sorted(found))


def _tags_text(tags: str | None) -> str:
    try:
        decoded = json.loads(tags or "[]")
    except ValueError:
        return tags or ""
    return " ".join(str(t) for t in decoded) if isinstance(decoded, list) else str(decoded)


def _applies() -> bool:
    # the rows it indexes are 0005's `*_cjk` rows: SQLite with the trigram tables
    return op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 34, 0)


def upgrade() -> None:
    if not _applies():
        return
    for statement in UPGRADE:
        op.execute(statement)
    bind = op.get_bind()
    articles = bind.execute(
        sa.text("SELECT a.id, a.title, a.source, a.body FROM articles_cjk k JOIN articles a ON a.id = k.id")
    )
    rows = [{"id": i, "chars": _letters(t, s, b)} for i, t, s, b in articles]
    annotations = bind.execute(
        sa.text(
            "SELECT n.id, n.exact, n.note, n.speaker, n.tags FROM annotations_cjk k "
            "JOIN annotations n ON n.id = k.id"
        )
    )
    notes = [{"id": i, "chars": _letters(e, o, s, _tags_text(g))} for i, e, o, s, g in annotations]
    insert = "INSERT INTO {}(rowid, chars) VALUES (:id, :chars)"
    for table, values in (("articles_uni", rows), ("annotations_uni", notes)):
        values = [v for v in values if v["chars"]]
        if values:
            bind.execute(sa.text(insert.format(table)), values)


def downgrade() -> None:
    if _applies():
        for statement in DOWNGRADE:
            op.execute(statement)
