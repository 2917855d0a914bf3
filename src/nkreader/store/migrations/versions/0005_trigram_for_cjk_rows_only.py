"""Trigram (substring) indexing only for the rows whose text needs it: Korean, Japanese, Chinese.

Words in English text are found by the unicode61 tables; only scripts written without spaces
between words (Korean particles: `쌀값` inside `쌀값이`) need substring search. Indexing every
article body in trigrams took two thirds of import time and most of the file at 10,000
articles, and English rows never used it.

- `articles_cjk`, `annotations_cjk`: the ids of rows with at least one CJK character in an
  indexed column (the ranges of `services.search._CJK`, as a GLOB class; for tags, stored as
  JSON with non-ASCII escaped, any `\\u` escape). They are exactly the
  rows the trigram tables index, and the rows a short (1-2 character) Korean query scans.
- `articles_tri`, `annotations_tri`: rebuilt over those rows only; the triggers insert, delete
  and re-index a row only when it has (or had) CJK text. A query with a CJK term can only match
  a row with CJK text, so Korean results are unchanged.

The SQL is frozen here (later edits to live code must not change what this creates).
Space freed by the dropped index is reused by SQLite; `nkreader` does not VACUUM on upgrade.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlite3

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_CJK_GLOB = "'*[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]*'"


def _article_cjk(prefix: str) -> str:
    return (
        f"({prefix}.title GLOB {_CJK_GLOB} OR coalesce({prefix}.source, '') GLOB {_CJK_GLOB} "
        f"OR {prefix}.body GLOB {_CJK_GLOB})"
    )


def _annotation_cjk(prefix: str) -> str:
    # tags are JSON text with non-ASCII escaped (`\\uacbd`): any escape counts, a superset
    return (
        f"({prefix}.exact GLOB {_CJK_GLOB} OR {prefix}.note GLOB {_CJK_GLOB} "
        f"OR coalesce({prefix}.speaker, '') GLOB {_CJK_GLOB} OR {prefix}.tags GLOB {_CJK_GLOB} "
        rf"OR instr({prefix}.tags, '\u') > 0)"
    )


_OLD_DROP = [
    "DROP TRIGGER IF EXISTS annotations_tri_au",
    "DROP TRIGGER IF EXISTS annotations_tri_ad",
    "DROP TRIGGER IF EXISTS annotations_tri_ai",
    "DROP TABLE IF EXISTS annotations_tri",
    "DROP TRIGGER IF EXISTS articles_tri_au",
    "DROP TRIGGER IF EXISTS articles_tri_ad",
    "DROP TRIGGER IF EXISTS articles_tri_ai",
    "DROP TABLE IF EXISTS articles_tri",
]

_ARTICLE_VALUES_NEW = "new.id, new.title, coalesce(new.source, ''), new.body"
_ARTICLE_VALUES_OLD = "'delete', old.id, old.title, coalesce(old.source, ''), old.body"
_ANNOTATION_VALUES_NEW = "new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags"
_ANNOTATION_VALUES_OLD = "'delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags"

UPGRADE = [
    *_OLD_DROP,
    "CREATE TABLE articles_cjk (id INTEGER PRIMARY KEY)",
    "CREATE TABLE annotations_cjk (id INTEGER PRIMARY KEY)",
    """CREATE VIRTUAL TABLE articles_tri USING fts5(
        title, source, body, content='articles', content_rowid='id', tokenize='trigram')""",
    """CREATE VIRTUAL TABLE annotations_tri USING fts5(
        exact, note, speaker, tags, content='annotations', content_rowid='id', tokenize='trigram')""",
    f"""CREATE TRIGGER articles_tri_ai AFTER INSERT ON articles WHEN {_article_cjk("new")} BEGIN
        INSERT INTO articles_cjk(id) VALUES (new.id);
        INSERT INTO articles_tri(rowid, title, source, body) VALUES ({_ARTICLE_VALUES_NEW});
    END""",
    """CREATE TRIGGER articles_tri_ad AFTER DELETE ON articles
    WHEN EXISTS (SELECT 1 FROM articles_cjk WHERE id = old.id) BEGIN
        DELETE FROM articles_cjk WHERE id = old.id;
        INSERT INTO articles_tri(articles_tri, rowid, title, source, body) VALUES (
        """
    + _ARTICLE_VALUES_OLD
    + """);
    END""",
    f"""CREATE TRIGGER articles_tri_au AFTER UPDATE OF title, source, body ON articles BEGIN
        INSERT INTO articles_tri(articles_tri, rowid, title, source, body)
            SELECT {_ARTICLE_VALUES_OLD} WHERE EXISTS (SELECT 1 FROM articles_cjk WHERE id = old.id);
        DELETE FROM articles_cjk WHERE id = old.id;
        INSERT INTO articles_cjk(id) SELECT new.id WHERE {_article_cjk("new")};
        INSERT INTO articles_tri(rowid, title, source, body)
            SELECT {_ARTICLE_VALUES_NEW} WHERE EXISTS (SELECT 1 FROM articles_cjk WHERE id = new.id);
    END""",
    f"""CREATE TRIGGER annotations_tri_ai AFTER INSERT ON annotations WHEN {_annotation_cjk("new")} BEGIN
        INSERT INTO annotations_cjk(id) VALUES (new.id);
        INSERT INTO annotations_tri(rowid, exact, note, speaker, tags) VALUES ({_ANNOTATION_VALUES_NEW});
    END""",
    """CREATE TRIGGER annotations_tri_ad AFTER DELETE ON annotations
    WHEN EXISTS (SELECT 1 FROM annotations_cjk WHERE id = old.id) BEGIN
        DELETE FROM annotations_cjk WHERE id = old.id;
        INSERT INTO annotations_tri(annotations_tri, rowid, exact, note, speaker, tags) VALUES (
        """
    + _ANNOTATION_VALUES_OLD
    + """);
    END""",
    f"""CREATE TRIGGER annotations_tri_au AFTER UPDATE OF exact, note, speaker, tags ON annotations BEGIN
        INSERT INTO annotations_tri(annotations_tri, rowid, exact, note, speaker, tags)
            SELECT {_ANNOTATION_VALUES_OLD} WHERE EXISTS (SELECT 1 FROM annotations_cjk WHERE id = old.id);
        DELETE FROM annotations_cjk WHERE id = old.id;
        INSERT INTO annotations_cjk(id) SELECT new.id WHERE {_annotation_cjk("new")};
        INSERT INTO annotations_tri(rowid, exact, note, speaker, tags)
            SELECT {_ANNOTATION_VALUES_NEW} WHERE EXISTS (SELECT 1 FROM annotations_cjk WHERE id = new.id);
    END""",
    f"INSERT INTO articles_cjk(id) SELECT a.id FROM articles a WHERE {_article_cjk('a')}",
    "INSERT INTO articles_tri(rowid, title, source, body) "
    "SELECT a.id, a.title, coalesce(a.source, ''), a.body FROM articles_cjk k JOIN articles a ON a.id = k.id",
    f"INSERT INTO annotations_cjk(id) SELECT n.id FROM annotations n WHERE {_annotation_cjk('n')}",
    "INSERT INTO annotations_tri(rowid, exact, note, speaker, tags) "
    "SELECT n.id, n.exact, n.note, coalesce(n.speaker, ''), n.tags "
    "FROM annotations_cjk k JOIN annotations n ON n.id = k.id",
]

# 0004's trigram tables over every row, as 0004 made them (frozen copy)
DOWNGRADE = [
    *_OLD_DROP,
    "DROP TABLE IF EXISTS annotations_cjk",
    "DROP TABLE IF EXISTS articles_cjk",
    """CREATE VIRTUAL TABLE articles_tri USING fts5(
        title, source, body, content='articles', content_rowid='id', tokenize='trigram')""",
    f"""CREATE TRIGGER articles_tri_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_tri(rowid, title, source, body) VALUES ({_ARTICLE_VALUES_NEW});
    END""",
    f"""CREATE TRIGGER articles_tri_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_tri(articles_tri, rowid, title, source, body) VALUES ({_ARTICLE_VALUES_OLD});
    END""",
    f"""CREATE TRIGGER articles_tri_au AFTER UPDATE OF title, source, body ON articles BEGIN
        INSERT INTO articles_tri(articles_tri, rowid, title, source, body) VALUES ({_ARTICLE_VALUES_OLD});
        INSERT INTO articles_tri(rowid, title, source, body) VALUES ({_ARTICLE_VALUES_NEW});
    END""",
    """CREATE VIRTUAL TABLE annotations_tri USING fts5(
        exact, note, speaker, tags, content='annotations', content_rowid='id', tokenize='trigram')""",
    f"""CREATE TRIGGER annotations_tri_ai AFTER INSERT ON annotations BEGIN
        INSERT INTO annotations_tri(rowid, exact, note, speaker, tags) VALUES ({_ANNOTATION_VALUES_NEW});
    END""",
    f"""CREATE TRIGGER annotations_tri_ad AFTER DELETE ON annotations BEGIN
        INSERT INTO annotations_tri(annotations_tri, rowid, exact, note, speaker, tags)
        VALUES ({_ANNOTATION_VALUES_OLD});
    END""",
    f"""CREATE TRIGGER annotations_tri_au AFTER UPDATE OF exact, note, speaker, tags ON annotations BEGIN
        INSERT INTO annotations_tri(annotations_tri, rowid, exact, note, speaker, tags)
        VALUES ({_ANNOTATION_VALUES_OLD});
        INSERT INTO annotations_tri(rowid, exact, note, speaker, tags) VALUES ({_ANNOTATION_VALUES_NEW});
    END""",
    "INSERT INTO articles_tri(articles_tri) VALUES ('rebuild')",
    "INSERT INTO annotations_tri(annotations_tri) VALUES ('rebuild')",
]


def _applies() -> bool:
    # 0004 made trigram tables only on SQLite >= 3.34 (the trigram tokenizer's first release)
    return op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 34, 0)


def upgrade() -> None:
    if _applies():
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if _applies():
        for statement in DOWNGRADE:
            op.execute(statement)
