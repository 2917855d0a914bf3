"""Full-text tables (SQLite FTS5) kept in step with articles and annotations by triggers.

Triggers, not application code, keep them in step: an import, a CLI edit and the
app all write through SQL, and a trigger cannot be forgotten by any of them.
Other backends (PostgreSQL) get no FTS tables; search falls back to LIKE there.
"""

from __future__ import annotations

FTS_TABLES = ("articles_fts", "annotations_fts", "articles_tri", "annotations_tri")
CJK_TABLES = ("articles_cjk", "annotations_cjk")
"""Ids of the rows with CJK text: the rows the trigram tables index (migration 0005)."""
UNIGRAM_TABLES = ("articles_uni", "annotations_uni")
"""The CJK character index (migration 0016, `store.unigrams`); its pending rows below."""
UNIGRAM_PENDING = "cjk_unigram_pending"
CJK_LISTED_BY_WRITER = "cjk_listed_by_writer"
"""Holds a row only inside a batch import's transaction, which lists the new articles' CJK rows
itself (migration 0017, `store.bulk.add_articles`): the insert triggers leave them alone."""


def is_fts_table(name: str) -> bool:
    """Tables the migrations manage by hand (not models): full-text tables, their shadow tables,
    and the CJK bookkeeping tables."""
    return (
        name in CJK_TABLES
        or name in (UNIGRAM_PENDING, CJK_LISTED_BY_WRITER)
        or any(name == t or name.startswith(t + "_") for t in (*FTS_TABLES, *UNIGRAM_TABLES))
    )


def _statements(suffix: str, tokenize: str, *, annotation_update: str) -> list[str]:
    """An FTS5 table over articles and one over annotations, and the triggers keeping them in step.

    One template for both kinds of table (word tokens, trigrams): their SQL differs only in
    name, tokenizer and which annotation updates re-index.
    """
    articles, annotations = f"articles_{suffix}", f"annotations_{suffix}"
    return [
        f"""
    CREATE VIRTUAL TABLE {articles} USING fts5(
        title, source, body,
        content='articles', content_rowid='id',
        tokenize='{tokenize}'
    )
    """,
        f"""
    CREATE TRIGGER {articles}_ai AFTER INSERT ON articles BEGIN
        INSERT INTO {articles}(rowid, title, source, body)
        VALUES (new.id, new.title, coalesce(new.source, ''), new.body);
    END
    """,
        f"""
    CREATE TRIGGER {articles}_ad AFTER DELETE ON articles BEGIN
        INSERT INTO {articles}({articles}, rowid, title, source, body)
        VALUES ('delete', old.id, old.title, coalesce(old.source, ''), old.body);
    END
    """,
        f"""
    CREATE TRIGGER {articles}_au AFTER UPDATE OF title, source, body ON articles BEGIN
        INSERT INTO {articles}({articles}, rowid, title, source, body)
        VALUES ('delete', old.id, old.title, coalesce(old.source, ''), old.body);
        INSERT INTO {articles}(rowid, title, source, body)
        VALUES (new.id, new.title, coalesce(new.source, ''), new.body);
    END
    """,
        f"""
    CREATE VIRTUAL TABLE {annotations} USING fts5(
        exact, note, speaker, tags,
        content='annotations', content_rowid='id',
        tokenize='{tokenize}'
    )
    """,
        f"""
    CREATE TRIGGER {annotations}_ai AFTER INSERT ON annotations BEGIN
        INSERT INTO {annotations}(rowid, exact, note, speaker, tags)
        VALUES (new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags);
    END
    """,
        f"""
    CREATE TRIGGER {annotations}_ad AFTER DELETE ON annotations BEGIN
        INSERT INTO {annotations}({annotations}, rowid, exact, note, speaker, tags)
        VALUES ('delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags);
    END
    """,
        f"""
    CREATE TRIGGER {annotations}_au AFTER UPDATE{annotation_update} ON annotations BEGIN
        INSERT INTO {annotations}({annotations}, rowid, exact, note, speaker, tags)
        VALUES ('delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags);
        INSERT INTO {annotations}(rowid, exact, note, speaker, tags)
        VALUES (new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags);
    END
    """,
    ]


def _drops(suffix: str) -> list[str]:
    return [
        f"DROP {what} IF EXISTS {table}_{suffix}{trigger}"
        for table in ("annotations", "articles")
        for what, trigger in (("TRIGGER", "_au"), ("TRIGGER", "_ad"), ("TRIGGER", "_ai"), ("TABLE", ""))
    ]


CREATE_STATEMENTS = _statements("fts", "unicode61 remove_diacritics 2", annotation_update="")
DROP_STATEMENTS = _drops("fts")


# --------------------------------------------------------------------------- trigram (0004)
# Substring search for scripts without spaces between words (Korean): `쌀값` inside `쌀값이`.
# The trigram tokenizer needs SQLite 3.34; it matches any substring of 3 characters or more.
# These statements are what migration 0004 made (every row indexed). Migration 0005 replaces
# them with tables over the rows with CJK text only (its SQL is frozen in the migration).

TRIGRAM_MIN_SQLITE = (3, 34, 0)
TRIGRAM_TABLES = ("articles_tri", "annotations_tri")

TRIGRAM_CREATE_STATEMENTS = [
    *_statements("tri", "trigram", annotation_update=" OF exact, note, speaker, tags"),
    "INSERT INTO articles_tri(articles_tri) VALUES ('rebuild')",
    "INSERT INTO annotations_tri(annotations_tri) VALUES ('rebuild')",
]
TRIGRAM_DROP_STATEMENTS = _drops("tri")
