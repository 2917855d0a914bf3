"""SQLite: finding the articles with CJK text costs a byte scan, and nkreader's imports none.

Migrations 0005 (trigram tables) and 0016 (character index) index only the articles with CJK
text; their insert and update triggers decide that with `body GLOB '*[ᄀ-ᇿ…]*'`, each on its own.
A character class right after `*` is SQLite's slow path: at every character of the text the
class is parsed again, range by range. An English article (no CJK, so the whole text is walked)
cost about 0.8 ms per 6 KB per trigger: importing .txt articles took four times the plain
insert with its unicode61 index.

- The byte test: every character of those ranges (U+1100-11FF, U+3040-30FF, U+3130-318F,
  U+3400-4DBF, U+4E00-9FFF, U+AC00-D7AF, U+F900-FAFF) is three bytes in UTF-8 whose first byte
  is E1, E3-ED or EF. Text without any of those bytes (English, whose curly quotes and dashes
  start with E2) has no CJK character: `instr` over the text's bytes, a plain byte loop in C,
  answers "no" for it, and the GLOB still decides for the rest. The rows each trigger picks are
  exactly those of 0005 and 0016. Only in UTF-8 libraries (every library nkreader creates):
  elsewhere the triggers stay as they were.
- `cjk_listed_by_writer`: while it holds a row, the insert triggers leave the articles alone,
  because the writer lists the new articles' CJK rows itself, in the same transaction. Only
  nkreader's batch import (`store.bulk.add_articles`) fills it, and it empties it again before
  that transaction ends (a crash rolls it back with the rest), so every other writer (the app,
  another tool, the sqlite3 shell) always finds it empty: one look at an empty table per row.
  The importer decides with a regex over strings it holds anyway, instead of two scans of every
  stored text.

- One trigger per change instead of two: `articles_cjk_ai` does what `articles_tri_ai` (0005)
  and `articles_uni_ai` (0016) did, `articles_cjk_au` what their update triggers did, so the
  condition is asked once per write.

Triggers on annotations are left as they were (their texts are short). Frozen SQL.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlite3

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_CJK_GLOB = "'*[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]*'"

# Hangul first: a Korean text ends the OR at its first test
_LEAD_BYTES = ("EA", "EB", "EC", "ED", "E1", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "EF")

_GUARD = "cjk_listed_by_writer"


def _cjk_new(*, fast: bool) -> str:
    """0005's condition on the new row; with `fast`, each GLOB behind the byte test."""
    parts = []
    for column in ("new.title", "coalesce(new.source, '')", "new.body"):
        glob = f"{column} GLOB {_CJK_GLOB}"
        if fast:
            found = " OR ".join(f"instr(CAST({column} AS BLOB), x'{b}')" for b in _LEAD_BYTES)
            glob = f"(({found}) AND {glob})"
        parts.append(glob)
    return "(" + " OR ".join(parts) + ")"


_VALUES_NEW = "new.id, new.title, coalesce(new.source, ''), new.body"
_VALUES_OLD = "'delete', old.id, old.title, coalesce(old.source, ''), old.body"


_DROP = [
    "DROP TRIGGER IF EXISTS articles_tri_ai",
    "DROP TRIGGER IF EXISTS articles_tri_au",
    "DROP TRIGGER IF EXISTS articles_uni_ai",
    "DROP TRIGGER IF EXISTS articles_uni_au",
    "DROP TRIGGER IF EXISTS articles_cjk_ai",
    "DROP TRIGGER IF EXISTS articles_cjk_au",
]


def _one_per_change() -> list[str]:
    """0005's and 0016's insert triggers in one, and their update triggers in one: the condition
    (with the byte test) is asked once per write; what they do is what the four did."""
    condition = _cjk_new(fast=True)
    return [
        *_DROP,
        f"""CREATE TRIGGER articles_cjk_ai AFTER INSERT ON articles
    WHEN NOT EXISTS (SELECT 1 FROM {_GUARD}) AND {condition} BEGIN
        INSERT INTO articles_cjk(id) VALUES (new.id);
        INSERT INTO articles_tri(rowid, title, source, body) VALUES ({_VALUES_NEW});
        INSERT OR IGNORE INTO cjk_unigram_pending(kind, id) VALUES ('articles', new.id);
    END""",
        f"""CREATE TRIGGER articles_cjk_au AFTER UPDATE OF title, source, body ON articles BEGIN
        INSERT INTO articles_tri(articles_tri, rowid, title, source, body)
            SELECT {_VALUES_OLD} WHERE EXISTS (SELECT 1 FROM articles_cjk WHERE id = old.id);
        DELETE FROM articles_cjk WHERE id = old.id;
        DELETE FROM articles_uni WHERE rowid = old.id;
        DELETE FROM cjk_unigram_pending WHERE kind = 'articles' AND id = old.id;
        INSERT INTO articles_cjk(id) SELECT new.id WHERE {condition};
        INSERT INTO articles_tri(rowid, title, source, body)
            SELECT {_VALUES_NEW} WHERE EXISTS (SELECT 1 FROM articles_cjk WHERE id = new.id);
        INSERT OR IGNORE INTO cjk_unigram_pending(kind, id)
            SELECT 'articles', new.id WHERE EXISTS (SELECT 1 FROM articles_cjk WHERE id = new.id);
    END""",
    ]


def _as_before() -> list[str]:
    """0005's and 0016's four triggers, as they made them (frozen copy)."""
    condition = _cjk_new(fast=False)
    return [
        *_DROP,
        f"""CREATE TRIGGER articles_tri_ai AFTER INSERT ON articles WHEN {condition} BEGIN
        INSERT INTO articles_cjk(id) VALUES (new.id);
        INSERT INTO articles_tri(rowid, title, source, body) VALUES ({_VALUES_NEW});
    END""",
        f"""CREATE TRIGGER articles_tri_au AFTER UPDATE OF title, source, body ON articles BEGIN
        INSERT INTO articles_tri(articles_tri, rowid, title, source, body)
            SELECT {_VALUES_OLD} WHERE EXISTS (SELECT 1 FROM articles_cjk WHERE id = old.id);
        DELETE FROM articles_cjk WHERE id = old.id;
        INSERT INTO articles_cjk(id) SELECT new.id WHERE {condition};
        INSERT INTO articles_tri(rowid, title, source, body)
            SELECT {_VALUES_NEW} WHERE EXISTS (SELECT 1 FROM articles_cjk WHERE id = new.id);
    END""",
        f"""CREATE TRIGGER articles_uni_ai AFTER INSERT ON articles WHEN {condition} BEGIN
        INSERT OR IGNORE INTO cjk_unigram_pending(kind, id) VALUES ('articles', new.id);
    END""",
        f"""CREATE TRIGGER articles_uni_au AFTER UPDATE OF title, source, body ON articles BEGIN
        DELETE FROM articles_uni WHERE rowid = old.id;
        DELETE FROM cjk_unigram_pending WHERE kind = 'articles' AND id = old.id;
        INSERT OR IGNORE INTO cjk_unigram_pending(kind, id) SELECT 'articles', new.id WHERE {condition};
    END""",
    ]


def _applies() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or sqlite3.sqlite_version_info < (3, 34, 0):
        return False  # no trigram tables, no character index (0004, 0005, 0016)
    found = bind.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
        "AND name IN ('articles_cjk', 'cjk_unigram_pending')"
    ).scalar()
    encoding = bind.exec_driver_sql("PRAGMA encoding").scalar()
    return found == 2 and str(encoding).upper() == "UTF-8"


def upgrade() -> None:
    if _applies():
        op.execute(f"CREATE TABLE {_GUARD} (writer INTEGER PRIMARY KEY)")
        for statement in _one_per_change():
            op.execute(statement)


def downgrade() -> None:
    if _applies():
        for statement in _as_before():
            op.execute(statement)
        op.execute(f"DROP TABLE IF EXISTS {_GUARD}")
