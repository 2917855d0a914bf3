"""PostgreSQL: full-text and substring search tables, and change notifications for live apps.

On PostgreSQL only (SQLite has its FTS5 tables and `PRAGMA data_version`):

- `articles_pgfts`, `annotations_pgfts`: per row a `tsvector` with the 'simple' configuration
  (words, phrases, prefixes, booleans; each column its own weight so `title:` filters work), the
  number of tokens and of trigrams (for bm25 ranking, as FTS5 ranks), and the searchable text (`doc`, tags decoded)
  with a `pg_trgm` index so Korean substrings (`쌀값` in `쌀값이`) are found by index. Kept in step
  by triggers, like the FTS5 tables, so every writer (CLI, app, import) keeps them right.
- statement triggers on articles, annotations, links and speakers that `NOTIFY nkreader_changes`:
  every open app LISTENs and refreshes within its 2 s poll.

The SQL is frozen here (a later change to live code must not change what this creates).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE TABLE articles_pgfts (
        id integer PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        words tsvector NOT NULL,
        tokens integer NOT NULL,
        chars integer NOT NULL,
        doc text NOT NULL
    )
    """,
    """
    CREATE TABLE annotations_pgfts (
        id integer PRIMARY KEY REFERENCES annotations(id) ON DELETE CASCADE,
        words tsvector NOT NULL,
        tokens integer NOT NULL,
        chars integer NOT NULL,
        doc text NOT NULL
    )
    """,
    "CREATE INDEX ix_articles_pgfts_words ON articles_pgfts USING gin (words)",
    "CREATE INDEX ix_articles_pgfts_doc ON articles_pgfts USING gin (doc gin_trgm_ops)",
    "CREATE INDEX ix_annotations_pgfts_words ON annotations_pgfts USING gin (words)",
    "CREATE INDEX ix_annotations_pgfts_doc ON annotations_pgfts USING gin (doc gin_trgm_ops)",
    # words as FTS5's unicode61 tokenizer splits them: runs of letters and digits (the server's own
    # parser would keep "U.S" or "jong-un" whole, and a query typed the SQLite way would miss them)
    """
    CREATE FUNCTION nkreader_words(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT regexp_replace(t, '[^[:alnum:]]+', ' ', 'g')
    $$
    """,
    # tokens as FTS5's unicode61 counts them (runs of letters and digits), for bm25's length
    """
    CREATE FUNCTION nkreader_tokens(d text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
        SELECT count(*)::integer FROM regexp_matches(d, '[[:alnum:]]+', 'g')
    $$
    """,
    # trigrams as FTS5's trigram tokenizer counts them, for the substring search's bm25
    """
    CREATE FUNCTION nkreader_trigrams(VARIADIC columns text[]) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(sum(greatest(length(c) - 2, 0)), 0)::integer FROM unnest(columns) c
    $$
    """,
    """
    CREATE FUNCTION nkreader_index_article() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        v tsvector;
        d text;
    BEGIN
        v := setweight(to_tsvector('simple', nkreader_words(NEW.title)), 'A')
            || setweight(to_tsvector('simple', nkreader_words(coalesce(NEW.source, ''))), 'B')
            || setweight(to_tsvector('simple', nkreader_words(NEW.body)), 'C');
        d := NEW.title || E'\\n' || coalesce(NEW.source, '') || E'\\n' || NEW.body;
        INSERT INTO articles_pgfts (id, words, tokens, chars, doc)
        VALUES (NEW.id, v, nkreader_tokens(d), nkreader_trigrams(NEW.title, coalesce(NEW.source, ''), NEW.body), d)
        ON CONFLICT (id) DO UPDATE
            SET words = EXCLUDED.words, tokens = EXCLUDED.tokens, chars = EXCLUDED.chars, doc = EXCLUDED.doc;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION nkreader_index_annotation() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        v tsvector;
        t text;
        d text;
    BEGIN
        SELECT coalesce(string_agg(value, ' '), '') INTO t FROM json_array_elements_text(NEW.tags::json);
        v := setweight(to_tsvector('simple', nkreader_words(NEW.exact)), 'A')
            || setweight(to_tsvector('simple', nkreader_words(NEW.note)), 'B')
            || setweight(to_tsvector('simple', nkreader_words(coalesce(NEW.speaker, ''))), 'C')
            || setweight(to_tsvector('simple', nkreader_words(t)), 'D');
        d := NEW.exact || E'\\n' || NEW.note || E'\\n' || coalesce(NEW.speaker, '') || E'\\n' || t;
        INSERT INTO annotations_pgfts (id, words, tokens, chars, doc)
        VALUES (NEW.id, v, nkreader_tokens(d), nkreader_trigrams(NEW.exact, NEW.note, coalesce(NEW.speaker, ''), NEW.tags::text), d)
        ON CONFLICT (id) DO UPDATE
            SET words = EXCLUDED.words, tokens = EXCLUDED.tokens, chars = EXCLUDED.chars, doc = EXCLUDED.doc;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_pgfts_index AFTER INSERT OR UPDATE OF title, source, body ON articles
    FOR EACH ROW EXECUTE FUNCTION nkreader_index_article()
    """,
    """
    CREATE TRIGGER annotations_pgfts_index AFTER INSERT OR UPDATE OF exact, note, speaker, tags ON annotations
    FOR EACH ROW EXECUTE FUNCTION nkreader_index_annotation()
    """,
    # rows that existed before this migration
    "UPDATE articles SET title = title",
    "UPDATE annotations SET exact = exact",
    """
    CREATE FUNCTION nkreader_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('nkreader_changes', TG_TABLE_NAME);
        RETURN NULL;
    END
    $$
    """,
    *(
        f"""
    CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION nkreader_notify_change()
    """
        for table in ("articles", "annotations", "links", "speakers", "speaker_aliases")
    ),
]

_DOWNGRADE = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_notify ON {table}"
        for table in ("articles", "annotations", "links", "speakers", "speaker_aliases")
    ),
    "DROP FUNCTION IF EXISTS nkreader_notify_change()",
    "DROP TRIGGER IF EXISTS annotations_pgfts_index ON annotations",
    "DROP TRIGGER IF EXISTS articles_pgfts_index ON articles",
    "DROP FUNCTION IF EXISTS nkreader_index_annotation()",
    "DROP FUNCTION IF EXISTS nkreader_index_article()",
    "DROP FUNCTION IF EXISTS nkreader_trigrams(text[])",
    "DROP FUNCTION IF EXISTS nkreader_tokens(text)",
    "DROP FUNCTION IF EXISTS nkreader_words(text)",
    "DROP TABLE IF EXISTS annotations_pgfts",
    "DROP TABLE IF EXISTS articles_pgfts",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _DOWNGRADE:
        op.execute(statement)
