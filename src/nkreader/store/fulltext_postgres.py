"""Search on PostgreSQL: the same query language, hits and order as SQLite's FTS5 search.

The query (parsed by `store.search_query`, the FTS5 syntax) becomes:
- for words, phrases, prefixes and booleans: a `tsquery` with the 'simple' configuration over the
  `*_pgfts.words` vectors (migration 0008), one weight per column so `title:` filters work;
- for Korean (CJK) text: substrings, `ILIKE` over `*_pgfts.doc` with its `pg_trgm` index, combined
  with the query's AND / OR / NOT as SQL booleans.

Ranking is bm25 with FTS5's constants (k1 = 1.2, b = 0.75, the same IDF and its floor), from the
token counts kept per row, so results come in the order SQLite gives them. Rows come back in the
shapes `store.fulltext.search_articles` / `search_annotations` return; callers cannot tell the
backends apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Connection, Row, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from nkreader.domain import Kind
from nkreader.store.search_query import (
    ANNOTATION_COLUMNS,
    ARTICLE_COLUMNS,
    SearchError,
    Token,
    positive_terms,
    rewrite,
    substring_terms,
    tokenize,
)

SEARCH_TABLES = ("articles_pgfts", "annotations_pgfts", "articles_pgterms", "annotations_pgterms")
K1, B = 1.2, 0.75
IDF_FLOOR = 1e-6

_WEIGHTS = {
    "articles": {"title": "A", "source": "B", "body": "C"},
    "annotations": {"exact": "A", "note": "B", "speaker": "C", "tags": "D"},
}
_COLUMNS = {"articles": ARTICLE_COLUMNS, "annotations": ANNOTATION_COLUMNS}


# --------------------------------------------------------------------------- the query as a tree


@dataclass(slots=True)
class Leaf:
    text: str
    prefix: bool = False
    columns: frozenset[str] | None = None
    """Columns this phrase must be found in (None: any)."""


@dataclass(slots=True)
class Node:
    op: str  # "and", "or", "not" (children[0] and none of the others)
    children: list[Leaf | Node] = field(default_factory=list)


class _Parser:
    """FTS5's grammar: NOT binds tighter than AND (also implied), AND tighter than OR."""

    def __init__(self, tokens: list[Token], table: str) -> None:
        self.tokens = tokens
        self.at = 0
        self.table = table

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Leaf | Node:
        if not self.tokens:
            raise SearchError("empty query")
        tree = self.or_expr()
        if self.peek() is not None:
            token = self.take()
            raise SearchError(f"syntax error near {token.text!r}")
        return tree

    def or_expr(self) -> Leaf | Node:
        items = [self.and_expr()]
        while (t := self.peek()) is not None and t.kind == "op" and t.text == "OR":
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Node("or", items)

    def and_expr(self) -> Leaf | Node:
        items = [self.not_expr()]
        while (t := self.peek()) is not None and not (t.kind == ")" or (t.kind == "op" and t.text == "OR")):
            if t.kind == "op" and t.text == "AND":
                self.take()
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else Node("and", items)

    def not_expr(self) -> Leaf | Node:
        left = self.unary(None)
        while (t := self.peek()) is not None and t.kind == "op" and t.text == "NOT":
            self.take()
            left = Node("not", [left, self.unary(None)])
        return left

    def unary(self, columns: frozenset[str] | None) -> Leaf | Node:
        token = self.peek()
        if token is None:
            previous = self.tokens[self.at - 1].text if self.at else ""
            raise SearchError(f"syntax error: nothing after {previous!r}" if previous else "empty query")
        self.take()
        if token.kind == "col" or (token.kind == "raw" and token.text.startswith("{")):
            return self.unary(self.columns_of(token))
        if token.kind == "raw" and token.text == "^":
            return self.unary(columns)
        if token.kind in ("term", "phrase"):
            words, prefix = [token.text], token.prefix
            while (t := self.peek()) is not None and t.kind == "raw" and t.text == "+":
                self.take()
                following = self.take() if self.peek() is not None else None
                if following is None or following.kind not in ("term", "phrase"):
                    raise SearchError("syntax error: '+' must join two phrases")
                words.append(following.text)
                prefix = following.prefix
            return Leaf(" ".join(words), prefix, columns)
        if token.kind == "(":
            inner = self.or_expr()
            if (t := self.peek()) is None or t.kind != ")":
                raise SearchError("syntax error: unclosed '('")
            self.take()
            return _restrict(inner, columns)
        if token.kind == "op" and token.text == "NEAR":
            # NEAR(a b, N): every phrase, in any order (proximity is not ranked apart)
            if (t := self.peek()) is None or t.kind != "(":
                raise SearchError("syntax error: NEAR must be followed by '('")
            self.take()
            leaves: list[Leaf | Node] = []
            while (t := self.peek()) is not None and t.kind != ")":
                self.take()
                if t.kind in ("term", "phrase") and not (leaves and t.text.isdigit() and self._after_comma()):
                    leaves.append(Leaf(t.text, t.prefix, columns))
            if self.peek() is None:
                raise SearchError("syntax error: unclosed '('")
            self.take()
            if not leaves:
                raise SearchError("syntax error: NEAR() needs phrases")
            return leaves[0] if len(leaves) == 1 else Node("and", leaves)
        raise SearchError(f"syntax error near {token.text!r}")

    def _after_comma(self) -> bool:
        return self.at >= 2 and self.tokens[self.at - 2].text == ","

    def columns_of(self, token: Token) -> frozenset[str]:
        if token.kind == "col":
            name = token.text.rstrip(":")
            negated = name.startswith("-")
            names = {name.lstrip("-").lower()}
        else:
            negated = token.text.startswith("-")
            names = set(token.text.lstrip("-").strip("{}:").lower().split())
        known = _COLUMNS[self.table]
        for name in sorted(names):
            if name not in known:
                raise SearchError(f"no such column: {name}")
        return frozenset(known - names if negated else names)


def _restrict(tree: Leaf | Node, columns: frozenset[str] | None) -> Leaf | Node:
    if columns is None:
        return tree
    if isinstance(tree, Leaf):
        tree.columns = columns if tree.columns is None else tree.columns & columns
        return tree
    for child in tree.children:
        _restrict(child, columns)
    return tree


def parse(query: str, table: str) -> Leaf | Node:
    return _Parser(tokenize(query), table).parse()


def _positive_leaves(tree: Leaf | Node) -> list[Leaf]:
    if isinstance(tree, Leaf):
        return [tree]
    children = tree.children[:1] if tree.op == "not" else tree.children
    return [leaf for child in children for leaf in _positive_leaves(child)]


# --------------------------------------------------------------------------- words: tsquery


_WORDS = re.compile(r"[^\W_]+")


def _quote(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(tree: Leaf | Node, table: str) -> str:
    """The tree as `to_tsquery('simple', …)` input: operands quoted, so the server's parser splits
    them exactly as it split the stored text."""
    if isinstance(tree, Leaf):
        weights = ""
        if tree.columns is not None:
            weights = "".join(sorted(_WEIGHTS[table][c] for c in tree.columns)) or "Z"
        # words as FTS5's unicode61 splits them ("Jong-un": jong, un), each normalised by the server
        words = _WORDS.findall(tree.text)
        if not words:
            return "''"
        parts = [_quote(w) for w in words]
        parts[-1] += ":" + ("*" if tree.prefix else "") + weights if (tree.prefix or weights) else ""
        if weights:
            parts = [p if p.endswith(weights) else p + ":" + weights for p in parts]
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"
    if tree.op == "not":
        left = _tsquery(tree.children[0], table)
        rest = " & ".join("!" + _tsquery(c, table) for c in tree.children[1:])
        return f"({left} & {rest})"
    joiner = " & " if tree.op == "and" else " | "
    return "(" + joiner.join(_tsquery(c, table) for c in tree.children) + ")"


# --------------------------------------------------------------------------- substrings: SQL


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _like_op(value: str) -> str:
    """`LIKE` for a text without letter case (Hangul, CJK, digits), else `ILIKE`.

    The same rows match: no character lowercases to one without case. But `ILIKE` lowercases
    every character of the row's text first, three times the cost of `LIKE` on Korean text (a
    short Korean term, under a trigram, scans every row: 1.06 s against 0.38 s at 10,000 articles,
    where reading the texts alone takes 0.4 s)."""
    return "LIKE" if all(ch.lower() == ch == ch.upper() for ch in value) else "ILIKE"


_DOC_COLUMNS = {
    "articles": {"title": "a.title", "source": "coalesce(a.source, '')", "body": "a.body"},
    "annotations": {
        "exact": "n.exact",
        "note": "n.note",
        "speaker": "coalesce(n.speaker, '')",
        # tags decoded from their JSON, as the trigger indexes them
        "tags": "(SELECT coalesce(string_agg(value, ' '), '') FROM json_array_elements_text(n.tags::json))",
    },
}


def _substring_sql(tree: Leaf | Node, table: str, params: dict[str, object]) -> str:
    if isinstance(tree, Leaf):
        name = f"s{len(params)}"
        params[name] = _like(tree.text)
        like = _like_op(tree.text)
        if tree.columns is None:
            return f"f.doc {like} :{name}"
        columns = [_DOC_COLUMNS[table][c] for c in sorted(tree.columns)]
        return "(" + " OR ".join(f"{c} {like} :{name}" for c in columns) + ")" if columns else "false"
    if tree.op == "not":
        left = _substring_sql(tree.children[0], table, params)
        rest = " AND ".join(f"NOT {_substring_sql(c, table, params)}" for c in tree.children[1:])
        return f"({left} AND {rest})"
    joiner = " AND " if tree.op == "and" else " OR "
    return "(" + joiner.join(_substring_sql(c, table, params) for c in tree.children) + ")"


# --------------------------------------------------------------------------- ranking and running


@dataclass(frozen=True, slots=True)
class _Plan:
    where: str
    """Condition on `f` (the search table) and, for column filters on substrings, the base row."""
    params: dict[str, object]
    ctes: list[str]
    """WITH parts: the corpus size and average length, and per ranked phrase its rows and counts."""
    rank: str
    """The rank expression over `f` and the WITH parts (negative bm25: lower is better, as FTS5's)."""
    joins: str


def _bm25_term(i: int, length: str) -> str:
    tf = f"coalesce(t{i}.tf, 0)"
    norm = f"{K1} * (1 - {B} + {B} * {length} / nullif(stats.avgdl, 0))"
    return f"idf.i{i} * ({tf} * {K1 + 1}) / ({tf} + coalesce({norm}, {K1}))"


def _idf(i: int) -> str:
    raw = f"ln((stats.n - c{i}.n + 0.5) / (c{i}.n + 0.5))"
    return f"CASE WHEN {raw} > 0 THEN {raw} ELSE {IDF_FLOOR} END AS i{i}"


def _plan(query: str | tuple[str, list[Token]], table: str) -> _Plan:
    if isinstance(query, tuple):
        query, tokens = query
        tokens = [Token(t.kind, t.text, t.prefix, t.negated) for t in tokens]  # the parser edits them
    else:
        tokens = rewrite(tokenize(query), None)
    tree = _Parser(tokens, table).parse()
    leaves = [leaf for leaf in _positive_leaves(tree) if leaf.text.strip()]
    params: dict[str, object] = {}
    substrings, ranking = substring_terms(tokens, query)
    ctes: list[str] = []
    if substrings:
        ranked = {t.text for t in ranking}
        leaves = [leaf for leaf in leaves if leaf.text in ranked]
        where = _substring_sql(tree, table, params)
        length = "f.chars"
        ctes.append(f"stats AS MATERIALIZED (SELECT count(*)::float8 AS n, avg(chars)::float8 AS avgdl FROM {table}_pgfts)")
        for leaf in leaves:
            i = len(ctes) - 1
            params[f"t{i}"] = leaf.text.lower()
            params[f"l{i}"] = _like(leaf.text)
            ctes.append(
                f"t{i} AS MATERIALIZED (SELECT id, (length(doc) - length(replace(lower(doc), :t{i}, ''))) "
                f"/ greatest(length(:t{i}), 1) AS tf FROM {table}_pgfts WHERE doc {_like_op(leaf.text)} :l{i})"
            )
    else:
        params["q"] = _tsquery(tree, table)
        where = "f.words @@ to_tsquery('simple', :q)"
        length = "f.tokens"
        ctes.append(f"stats AS MATERIALIZED (SELECT count(*)::float8 AS n, avg(tokens)::float8 AS avgdl FROM {table}_pgfts)")
        for leaf in leaves:
            words = _WORDS.findall(leaf.text)
            if not words:
                continue
            i = len(ctes) - 1
            weights = ""
            if leaf.columns is not None:
                # a column filter counts only the hits in those columns, as FTS5 does
                params[f"c{i}"] = sorted(_WEIGHTS[table][c] for c in leaf.columns) or ["Z"]
                weights = f" AND weight::text = ANY(:c{i})"
            params[f"w{i}"] = " ".join(words[:-1] if leaf.prefix else words)
            exact = (
                f"lexeme = ANY(tsvector_to_array(to_tsvector('simple', :w{i})))" if params[f"w{i}"] else "false"
            )
            slots = f"cardinality(tsvector_to_array(to_tsvector('simple', :w{i})))"
            if leaf.prefix:
                params[f"p{i}"] = _like(words[-1].lower())[1:]  # 'econ%'
                match = f"({exact} OR lexeme LIKE :p{i})" if len(words) > 1 else f"lexeme LIKE :p{i}"
                slots = f"({slots} + 1)" if len(words) > 1 else "1"
                key = f"CASE WHEN {exact} THEN lexeme ELSE '*' END" if len(words) > 1 else "'*'"
            else:
                match, key = exact, "lexeme"
            # occurrences of the phrase ~ those of its rarest word; rows lacking a word do not count
            ctes.append(
                f"t{i} AS MATERIALIZED (SELECT id, min(s) AS tf FROM (SELECT id, {key} AS k, sum(tf) AS s "
                f"FROM {table}_pgterms WHERE {match}{weights} GROUP BY id, k) x "
                f"GROUP BY id HAVING count(*) >= {slots})"
            )
    count = len(ctes) - 1  # after `stats`, one per ranked phrase
    if not count:
        return _Plan(where, params, [], "0.0", "")
    ctes += [f"c{i} AS (SELECT count(*)::float8 AS n FROM t{i})" for i in range(count)]
    ctes.append(
        "idf AS MATERIALIZED (SELECT " + ", ".join(_idf(i) for i in range(count)) + " FROM stats, "
        + ", ".join(f"c{i}" for i in range(count)) + ")"
    )
    rank = "-(" + " + ".join(_bm25_term(i, length) for i in range(count)) + ")"
    joins = " CROSS JOIN stats CROSS JOIN idf" + "".join(f" LEFT JOIN t{i} ON t{i}.id = f.id" for i in range(count))
    return _Plan(where, params, ctes, rank, joins)


def _with(plan: _Plan) -> str:
    return ("WITH " + ", ".join(plan.ctes) + " ") if plan.ctes else ""


def _execute(session: Session, sql: str, params: dict[str, object]):
    try:
        with session.begin_nested():
            return session.execute(text(sql), params)
    except DBAPIError as exc:
        message = str(getattr(exc, "orig", exc)).splitlines()[0]
        if "tsquery" in message or "syntax error" in message:
            raise SearchError(message) from None
        raise


def plan(session: Session, query: str) -> tuple[tuple[str, list[Token]], list[Token], bool]:
    """The query and its tokens as users write it made plain (`speaker:` every spelling, `-word`,
    `and`), its positive terms, substrings or not; parsed per table when searched."""
    from nkreader.store.speakers import speaker_spellings

    if not query or not query.strip():
        raise SearchError("empty query")
    tokens = rewrite(tokenize(query), lambda name: speaker_spellings(session, name))
    if not any(t.kind in ("term", "phrase") for t in tokens):
        raise SearchError("the query has no words to look for")
    return (query, tokens), positive_terms(tokens), substring_terms(tokens, query)[0]


def search_articles(session: Session, query: str | tuple[str, list[Token]], *, limit: int) -> list[tuple]:
    """Rows (id, title, source, published, rank, body), best first, as on SQLite."""
    p = _plan(query, "articles")
    sql = (
        f"{_with(p)}SELECT a.id, a.title, a.source, a.published, r.rank, a.body FROM ("
        f"SELECT f.id, {p.rank} AS rank FROM articles_pgfts f{p.joins} "
        f"WHERE {p.where} ORDER BY rank, f.id DESC LIMIT :limit) r "
        "JOIN articles a ON a.id = r.id ORDER BY r.rank, a.id DESC"
    )
    return [tuple(row) for row in _execute(session, sql, {**p.params, "limit": limit})]


def search_annotations(
    session: Session, query: str | tuple[str, list[Token]], *, kind: Kind | None, limit: int
) -> list[tuple]:
    """Rows (id, uuid, kind, start, exact, note, speaker, tags, article_id, title, source,
    published, rank), best first, as on SQLite."""
    p = _plan(query, "annotations")
    params: dict[str, object] = {**p.params, "limit": limit}
    kind_join = kind_filter = ""
    if kind is not None:
        kind_join = " JOIN annotations k ON k.id = f.id"
        kind_filter = " AND k.kind = :kind"
        params["kind"] = kind.value
    sql = (
        f"{_with(p)}SELECT n.id, n.uuid, n.kind, n.start, n.exact, n.note, n.speaker, n.tags, n.article_id, "
        "a.title, a.source, a.published, r.rank FROM ("
        f"SELECT f.id, {p.rank} AS rank FROM annotations_pgfts f{kind_join}{p.joins} "
        f"WHERE {p.where}{kind_filter} ORDER BY rank, f.id DESC LIMIT :limit) r "
        "JOIN annotations n ON n.id = r.id JOIN articles a ON a.id = n.article_id ORDER BY r.rank, n.id DESC"
    )
    return [tuple(row) for row in _execute(session, sql, params)]


def annotation_condition(query: str, params: dict[str, object]) -> str:
    """A condition on annotation `n` for the browser's text filter (no ranking needed)."""
    p = _plan(query, "annotations")
    params.update({k: v for k, v in p.params.items() if k not in params})
    return f"EXISTS (SELECT 1 FROM annotations_pgfts f WHERE f.id = n.id AND {p.where})"


def index_problems(connection: Connection) -> list[str]:
    """Rows the search tables miss or still hold after their row went (for `db check`)."""
    problems = []
    for table, what in (("articles", "articles"), ("annotations", "annotations")):
        missing = connection.execute(
            text(f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM {table}_pgfts f WHERE f.id = t.id)")
        ).scalar()
        if missing:
            problems.append(f"{missing} {what} missing from the search index")
    return problems


__all__ = ["SEARCH_TABLES", "Row", "annotation_condition", "parse", "search_annotations", "search_articles"]
