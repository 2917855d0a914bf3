"""Full-text tables (SQLite FTS5) kept in step with articles and annotations by triggers.

Triggers, not application code, keep them in step: an import, a CLI edit and the
app all write through SQL, and a trigger cannot be forgotten by any of them.
Other backends (PostgreSQL) get no FTS tables; search falls back to LIKE there.
"""

from __future__ import annotations

FTS_TABLES = ("articles_fts", "annotations_fts", "articles_tri", "annotations_tri")


def is_fts_table(name: str) -> bool:
    return any(name == t or name.startswith(t + "_") for t in FTS_TABLES)


CREATE_STATEMENTS = [
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, source, body,
        content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, source, body)
        VALUES (new.id, new.title, coalesce(new.source, ''), new.body);
    END
    """,
    """
    CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, source, body)
        VALUES ('delete', old.id, old.title, coalesce(old.source, ''), old.body);
    END
    """,
    """
    CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, source, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, source, body)
        VALUES ('delete', old.id, old.title, coalesce(old.source, ''), old.body);
        INSERT INTO articles_fts(rowid, title, source, body)
        VALUES (new.id, new.title, coalesce(new.source, ''), new.body);
    END
    """,
    """
    CREATE VIRTUAL TABLE annotations_fts USING fts5(
        exact, note, speaker, tags,
        content='annotations', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER annotations_fts_ai AFTER INSERT ON annotations BEGIN
        INSERT INTO annotations_fts(rowid, exact, note, speaker, tags)
        VALUES (new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags);
    END
    """,
    """
    CREATE TRIGGER annotations_fts_ad AFTER DELETE ON annotations BEGIN
        INSERT INTO annotations_fts(annotations_fts, rowid, exact, note, speaker, tags)
        VALUES ('delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags);
    END
    """,
    """
    CREATE TRIGGER annotations_fts_au AFTER UPDATE ON annotations BEGIN
        INSERT INTO annotations_fts(annotations_fts, rowid, exact, note, speaker, tags)
        VALUES ('delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags);
        INSERT INTO annotations_fts(rowid, exact, note, speaker, tags)
        VALUES (new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags);
    END
    """,
]

DROP_STATEMENTS = [
    "DROP TRIGGER IF EXISTS annotations_fts_au",
    "DROP TRIGGER IF EXISTS annotations_fts_ad",
    "DROP TRIGGER IF EXISTS annotations_fts_ai",
    "DROP TABLE IF EXISTS annotations_fts",
    "DROP TRIGGER IF EXISTS articles_fts_au",
    "DROP TRIGGER IF EXISTS articles_fts_ad",
    "DROP TRIGGER IF EXISTS articles_fts_ai",
    "DROP TABLE IF EXISTS articles_fts",
]


# --------------------------------------------------------------------------- trigram (0004)
# Substring search for scripts without spaces between words (Korean): `쌀값` inside `쌀값이`.
# The trigram tokenizer needs SQLite 3.34; it matches any substring of 3 characters or more.

TRIGRAM_MIN_SQLITE = (3, 34, 0)
TRIGRAM_TABLES = ("articles_tri", "annotations_tri")

TRIGRAM_CREATE_STATEMENTS = [
    """
    CREATE VIRTUAL TABLE articles_tri USING fts5(
        title, source, body,
        content='articles', content_rowid='id',
        tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER articles_tri_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_tri(rowid, title, source, body)
        VALUES (new.id, new.title, coalesce(new.source, ''), new.body);
    END
    """,
    """
    CREATE TRIGGER articles_tri_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_tri(articles_tri, rowid, title, source, body)
        VALUES ('delete', old.id, old.title, coalesce(old.source, ''), old.body);
    END
    """,
    """
    CREATE TRIGGER articles_tri_au AFTER UPDATE OF title, source, body ON articles BEGIN
        INSERT INTO articles_tri(articles_tri, rowid, title, source, body)
        VALUES ('delete', old.id, old.title, coalesce(old.source, ''), old.body);
        INSERT INTO articles_tri(rowid, title, source, body)
        VALUES (new.id, new.title, coalesce(new.source, ''), new.body);
    END
    """,
    """
    CREATE VIRTUAL TABLE annotations_tri USING fts5(
        exact, note, speaker, tags,
        content='annotations', content_rowid='id',
        tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER annotations_tri_ai AFTER INSERT ON annotations BEGIN
        INSERT INTO annotations_tri(rowid, exact, note, speaker, tags)
        VALUES (new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags);
    END
    """,
    """
    CREATE TRIGGER annotations_tri_ad AFTER DELETE ON annotations BEGIN
        INSERT INTO annotations_tri(annotations_tri, rowid, exact, note, speaker, tags)
        VALUES ('delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags);
    END
    """,
    """
    CREATE TRIGGER annotations_tri_au AFTER UPDATE OF exact, note, speaker, tags ON annotations BEGIN
        INSERT INTO annotations_tri(annotations_tri, rowid, exact, note, speaker, tags)
        VALUES ('delete', old.id, old.exact, old.note, coalesce(old.speaker, ''), old.tags);
        INSERT INTO annotations_tri(rowid, exact, note, speaker, tags)
        VALUES (new.id, new.exact, new.note, coalesce(new.speaker, ''), new.tags);
    END
    """,
    "INSERT INTO articles_tri(articles_tri) VALUES ('rebuild')",
    "INSERT INTO annotations_tri(annotations_tri) VALUES ('rebuild')",
]

TRIGRAM_DROP_STATEMENTS = [
    "DROP TRIGGER IF EXISTS annotations_tri_au",
    "DROP TRIGGER IF EXISTS annotations_tri_ad",
    "DROP TRIGGER IF EXISTS annotations_tri_ai",
    "DROP TABLE IF EXISTS annotations_tri",
    "DROP TRIGGER IF EXISTS articles_tri_au",
    "DROP TRIGGER IF EXISTS articles_tri_ad",
    "DROP TRIGGER IF EXISTS articles_tri_ai",
    "DROP TABLE IF EXISTS articles_tri",
]
