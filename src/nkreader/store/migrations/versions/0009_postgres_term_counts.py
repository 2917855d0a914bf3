"""PostgreSQL: per-row counts of every word, so search ranks by bm25 without reading each row's vector.

`articles_pgterms`, `annotations_pgterms`: (row, word, column weight, occurrences), keyed by
word, like FTS5's own doclists: bm25 needs each query word's count in every matching row and the
number of rows holding it, and an index range over one word gives both, where unpacking each
matching row's `tsvector` cost ~0.5 ms a row. Filled by a trigger on the `*_pgfts` tables (which
the 0008 triggers keep in step with the rows), so every writer keeps them right.

PostgreSQL only; frozen SQL.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TABLES = (("articles", "articles_pgfts", "articles_pgterms"), ("annotations", "annotations_pgfts", "annotations_pgterms"))

_UPGRADE = [
    """
    CREATE FUNCTION nkreader_index_terms() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        EXECUTE format('DELETE FROM %I WHERE id = $1', TG_ARGV[0]) USING NEW.id;
        EXECUTE format(
            'INSERT INTO %I (id, lexeme, weight, tf) '
            'SELECT $1, u.lexeme, w::"char", count(*) FROM unnest($2) u, unnest(u.weights) w '
            'GROUP BY u.lexeme, w',
            TG_ARGV[0]
        ) USING NEW.id, NEW.words;
        RETURN NULL;
    END
    $$
    """,
]
for _base, _fts, _terms in _TABLES:
    _UPGRADE += [
        f"""
    CREATE TABLE {_terms} (
        id integer NOT NULL REFERENCES {_base}(id) ON DELETE CASCADE,
        lexeme text COLLATE "C" NOT NULL,
        weight "char" NOT NULL,
        tf integer NOT NULL,
        PRIMARY KEY (lexeme, id, weight)
    )
    """,
        f"CREATE INDEX ix_{_terms}_id ON {_terms} (id)",
        f"""
    CREATE TRIGGER {_terms}_index AFTER INSERT OR UPDATE OF words ON {_fts}
    FOR EACH ROW EXECUTE FUNCTION nkreader_index_terms('{_terms}')
    """,
        f"""
    INSERT INTO {_terms} (id, lexeme, weight, tf)
    SELECT f.id, u.lexeme, w::"char", count(*) FROM {_fts} f, unnest(f.words) u, unnest(u.weights) w
    GROUP BY f.id, u.lexeme, w
    """,
    ]

_DOWNGRADE = [
    *(f"DROP TRIGGER IF EXISTS {terms}_index ON {fts}" for _b, fts, terms in _TABLES),
    *(f"DROP TABLE IF EXISTS {terms}" for _b, _f, terms in _TABLES),
    "DROP FUNCTION IF EXISTS nkreader_index_terms()",
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
