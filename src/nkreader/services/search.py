"""Full-text search over articles and annotations (issue 6).

Queries use FTS5 syntax: words (AND implied), "phrases", prefix*, AND / OR / NOT, parentheses,
NEAR(...), column filters (`title:`, `speaker:`). A word with punctuation inside (`Jong-un`,
`U.S.`) is quoted for the user so it does not read as syntax. Words are matched on the
unicode61 tables; a query with Korean (or other CJK) text is matched as substrings on the
trigram tables, and terms of one or two characters (a trigram needs three) are looked for with
`instr` over the text, so `쌀값` finds `쌀값이`.

Offsets of article hits are exact code points into the stored body, found here in Python
from the query's terms; snippets are cut from the stored text, never from markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from nkreader.domain import Kind, SearchHit
from nkreader.services.library import Library
from nkreader.store.fulltext import (
    FtsQueryError,
    TextMatch,
    has_cjk_rows,
    has_trigram,
    search_annotations,
    search_articles,
)
from nkreader.store.speakers import speaker_spellings

__all__ = ["SCOPES", "SearchError", "SearchHit", "search", "text_match"]

SCOPES = ("all", "articles", "annotations")
SNIPPET_CHARS = 120
_BEFORE = 40

_OPERATORS = {"AND", "OR", "NOT"}
_SPECIAL = set('"()*:^{}+')
_BAREWORD = re.compile(r"^[\w\x1a]+$")
_CJK = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


_ARTICLE_COLUMNS = {"title", "source", "body"}
_ANNOTATION_COLUMNS = {"exact", "note", "speaker", "tags"}


def _columns(query: str) -> set[str]:
    """Column names a query filters on (`title:`, `{title body}:`)."""
    names: set[str] = set()
    for token in _tokenize(query):
        if token.kind == "col":
            bare = token.text.rstrip(":").lstrip("-").lower()
            names.add(_COLUMN_NAMES.get(bare, bare))
        elif token.kind == "raw" and token.text.startswith("{"):
            names.update(token.text.strip("{}:").lower().split())
    return names


class SearchError(ValueError):
    """A query that cannot be searched for; the message is one line, for the user."""


@dataclass(slots=True)
class _Token:
    kind: str  # "term", "phrase", "op", "(", ")", "col", "raw"
    text: str
    prefix: bool = False
    negated: bool = False


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    near_depth = 0
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            j = i + 1
            parts = []
            while True:
                k = query.find('"', j)
                if k < 0:
                    raise SearchError("unclosed quote in the query")
                if k + 1 < n and query[k + 1] == '"':
                    parts.append(query[j : k + 1])
                    j = k + 2
                    continue
                parts.append(query[j:k])
                i = k + 1
                break
            token = _Token("phrase", "".join(parts))
            if i < n and query[i] == "*":
                token.prefix = True
                i += 1
            tokens.append(token)
        elif ch == "(":
            tokens.append(_Token("(", ch))
            if tokens[-2:-1] and tokens[-2].kind == "op" and tokens[-2].text == "NEAR":
                near_depth += 1
            i += 1
        elif ch == ")":
            tokens.append(_Token(")", ch))
            near_depth = max(0, near_depth - 1)
            i += 1
        elif ch == "," and near_depth:
            tokens.append(_Token("raw", ","))
            i += 1
        elif ch in "^+":
            tokens.append(_Token("raw", ch))
            i += 1
        elif ch == "{":
            k = query.find("}", i)
            if k < 0:
                raise SearchError("unclosed { in the query")
            tokens.append(_Token("raw", query[i : k + 1]))
            i = k + 1
        elif ch == ":":
            if tokens and tokens[-1].kind == "term":
                tokens[-1].kind = "col"
            elif not (tokens and tokens[-1].kind == "raw" and tokens[-1].text.startswith("{")):
                raise SearchError("a ':' must follow a column name")
            tokens[-1].text += ":"
            i += 1
        elif ch == "*":
            raise SearchError("'*' must end a word (prefix search: econom*)")
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in _SPECIAL:
                if query[j] == "," and near_depth:
                    break
                j += 1
            word = query[i:j]
            i = j
            if word.upper() in _OPERATORS or word == "NEAR":
                tokens.append(_Token("op", word.upper()))  # users write "and", "or", "not" too
                continue
            if word.startswith("-") and (len(word) > 1 or (i < n and query[i] == '"')):
                # "-word" and -"a phrase" exclude, as in web search engines: FTS5's NOT
                tokens.append(_Token("op", "NOT"))
                word = word[1:]
                if not word:
                    continue
            token = _Token("term" if _BAREWORD.match(word) else "phrase", word)
            if i < n and query[i] == "*":
                token.prefix = True
                i += 1
            tokens.append(token)
    # what NOT excludes is not highlighted
    depth_after_not: int | None = None
    depth = 0
    for index, token in enumerate(tokens):
        if token.kind == "(":
            depth += 1
        elif token.kind == ")":
            depth -= 1
            if depth_after_not is not None and depth <= depth_after_not:
                depth_after_not = None
        if depth_after_not is not None and token.kind in ("term", "phrase"):
            token.negated = True
            if depth == depth_after_not:
                depth_after_not = None
        if token.kind == "op" and token.text == "NOT" and index + 1 < len(tokens):
            depth_after_not = depth
    return tokens


_COLUMN_NAMES = {**{c: c for c in _ARTICLE_COLUMNS | _ANNOTATION_COLUMNS}, "tag": "tags", "quote": "exact"}


def _rewrite(tokens: list[_Token], spellings: SpellingLookup | None) -> list[_Token]:
    """The query as users write it, as FTS5 reads it.

    `a AND NOT b` becomes FTS5's binary `a NOT b`; a NOT with nothing before it is refused in
    words; `tag:` is `tags:`, an unknown column is named; `speaker:NAME` matches every spelling
    of that speaker (its canonical name and aliases), as the speakers screen does.
    """
    result: list[_Token] = []
    for index, token in enumerate(tokens):
        if token.kind == "op" and token.text == "NOT":
            while result and result[-1].kind == "op" and result[-1].text == "AND":
                result.pop()
            if not result or result[-1].kind in ("(", "op"):
                raise SearchError(
                    "NOT (or -word) needs something before it to exclude from, like: Samsung NOT Huawei"
                )
        if token.kind == "col":
            name = token.text.rstrip(":")
            negated, bare = name.startswith("-"), name.lstrip("-").lower()
            if bare not in _COLUMN_NAMES:
                known = ", ".join(sorted(_ARTICLE_COLUMNS | _ANNOTATION_COLUMNS))
                raise SearchError(f"unknown field {bare!r}: search in one of {known} (or tag:)")
            token = _Token("col", ("-" if negated else "") + _COLUMN_NAMES[bare] + ":")
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if (
                spellings is not None
                and not negated
                and token.text == "speaker:"
                and following is not None
                and following.kind in ("term", "phrase")
                and not following.prefix
            ):
                names = spellings(following.text)
                if len(names) > 1:
                    result.append(_Token("(", "("))
                    for number, name in enumerate(names):
                        if number:
                            result.append(_Token("op", "OR"))
                        result.append(_Token("col", "speaker:"))
                        result.append(_Token("phrase", name, negated=following.negated))
                    result.append(_Token(")", ")"))
                    following.kind = "skip"
                    continue
        if token.kind == "skip":
            continue
        result.append(token)
    if result and result[-1].kind == "op" and result[-1].text in _OPERATORS:
        raise SearchError(f"{result[-1].text} needs something after it")
    return result


def _needs_and(left: _Token | None, right: _Token) -> bool:
    """FTS5 allows an implied AND between phrases only, not next to a parenthesised group."""
    if left is None:
        return False
    words = ("term", "phrase")
    if left.kind == ")":
        return right.kind in (*words, "(", "col") or (right.kind == "op" and right.text == "NEAR")
    return left.kind in words and right.kind == "("


def _render(tokens: list[_Token]) -> str:
    parts = []
    previous: _Token | None = None
    for token in tokens:
        if _needs_and(previous, token):
            parts.append("AND")
        previous = token
        if token.kind == "phrase":
            parts.append('"' + token.text.replace('"', '""') + '"' + ("*" if token.prefix else ""))
        elif token.kind == "term":
            parts.append(token.text + ("*" if token.prefix else ""))
        else:
            parts.append(token.text)
    return " ".join(parts).replace(": ", ":").replace("( ", "(").replace(" )", ")")


def _is_simple(tokens: list[_Token]) -> bool:
    return all(t.kind in ("term", "phrase") or (t.kind == "op" and t.text == "AND") for t in tokens)


def _terms(tokens: list[_Token]) -> list[_Token]:
    return [t for t in tokens if t.kind in ("term", "phrase") and not t.negated and t.text.strip()]


SpellingLookup = Callable[[str], list[str]]
"""Every spelling of a speaker's name (itself first), for `speaker:` filters."""


def text_match(
    query: str,
    *,
    trigram: bool = True,
    cjk_rows: bool | None = None,
    spellings: SpellingLookup | None = None,
) -> tuple[TextMatch, list[_Token], bool]:
    """How to match `query`: (match, its positive terms, substring semantics).

    `cjk_rows`: the trigram tables hold only the rows with CJK text (migration 0005; the
    default when `trigram`), so a query that can match elsewhere also looks there by word.
    `spellings`: every spelling of a speaker, so `speaker:NAME` finds its aliases too.
    """
    if cjk_rows is None:
        cjk_rows = trigram
    if not query or not query.strip():
        raise SearchError("empty query")
    tokens = _rewrite(_tokenize(query), spellings)
    terms = _terms(tokens)
    if not any(t.kind in ("term", "phrase") for t in tokens):
        raise SearchError("the query has no words to look for")
    rendered = _render(tokens)
    if not trigram or not _CJK.search(query):
        return TextMatch(fts=rendered), terms, False
    if all(len(t.text) >= 3 for t in terms):
        # a simple query (every term required) has a CJK term every match contains; with OR or
        # NOT a row without CJK text, which the trigram tables do not hold, may match too
        beyond = None if _is_simple(tokens) or not cjk_rows else rendered
        return TextMatch(trigram=rendered, beyond=beyond), terms, True
    if _is_simple(tokens):
        long = [t for t in terms if len(t.text) >= 3]
        short = tuple(t.text for t in terms if len(t.text) < 3)
        trigram_query = " ".join('"' + t.text.replace('"', '""') + '"' for t in long) or None
        return TextMatch(trigram=trigram_query, substrings=short, cjk_rows=cjk_rows), terms, True
    return TextMatch(fts=rendered), terms, False


def _patterns(terms: list[_Token], substrings: bool) -> list[re.Pattern[str]]:
    patterns = []
    for term in terms:
        if substrings:
            patterns.append(re.compile(re.escape(term.text), re.IGNORECASE))
            continue
        words = re.findall(r"\w+", term.text)
        if not words:
            continue
        body = r"\W+".join(re.escape(w) for w in words)
        end = r"\w*" if term.prefix else r"(?!\w)"
        patterns.append(re.compile(r"(?<!\w)" + body + end, re.IGNORECASE))
    return patterns


def _first_match(text: str, patterns: list[re.Pattern[str]]) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for pattern in patterns:
        m = pattern.search(text)
        if m and m.end() > m.start() and (best is None or m.start() < best[0]):
            best = (m.start(), m.end())
    return best


def _snippet(
    text: str, at: tuple[int, int] | None, patterns: list[re.Pattern[str]]
) -> list[tuple[str, bool]]:
    """About SNIPPET_CHARS characters of `text` around `at`, one line, matches marked."""
    start = 0 if at is None else max(0, at[0] - _BEFORE)
    if start:
        space = text.find(" ", start, min(at[0] if at else start, start + 12))
        if space >= 0:
            start = space + 1
    end = min(len(text), start + SNIPPET_CHARS)
    if at is not None and end < at[1]:
        end = min(len(text), at[1])
    window = text[start:end]
    marks = [False] * len(window)
    for pattern in patterns:
        for m in pattern.finditer(window):
            for k in range(m.start(), m.end()):
                marks[k] = True
    flat = "".join(" " if ch in "\n\r\t" else ch for ch in window)
    pieces: list[tuple[str, bool]] = []
    if start > 0:
        pieces.append(("…", False))
    run_start = 0
    for k in range(1, len(flat) + 1):
        if k == len(flat) or marks[k] != marks[run_start]:
            pieces.append((flat[run_start:k], marks[run_start]))
            run_start = k
    if end < len(text):
        pieces.append(("…", False))
    merged: list[tuple[str, bool]] = []
    for piece, marked in pieces:
        if piece and merged and merged[-1][1] == marked:
            merged[-1] = (merged[-1][0] + piece, marked)
        elif piece:
            merged.append((piece, marked))
    return merged


def _article_hit(row: tuple, patterns: list[re.Pattern[str]], fallback: list[re.Pattern[str]]) -> SearchHit:
    article_id, title, source, published, rank, body = row
    at = _first_match(body, patterns)
    if at is None and fallback:
        at = _first_match(body, fallback)
        patterns = fallback if at is not None else patterns
    return SearchHit(
        kind="article",
        article_id=article_id,
        article_title=title,
        source=source,
        published=published,
        annotation_uuid=None,
        annotation_kind=None,
        offset=at[0] if at else 0,
        snippet=_snippet(body, at, patterns),
        rank=-float(rank or 0.0),
    )


def _annotation_hit(
    row: tuple, patterns: list[re.Pattern[str]], fallback: list[re.Pattern[str]]
) -> SearchHit:
    (_id, uuid, kind, start, exact, note, speaker, tags, article_id, title, source, published, rank) = row
    tag_list = json.loads(tags) if isinstance(tags, str) else list(tags or [])
    fields = [exact or "", note or "", speaker or "", " ".join(tag_list)]
    text, at, used = fields[0], None, patterns
    for candidates in (patterns, fallback):
        for value in fields:
            found = _first_match(value, candidates)
            if found is not None:
                text, at, used = value, found, candidates
                break
        if at is not None:
            break
    return SearchHit(
        kind="annotation",
        article_id=article_id,
        article_title=title,
        source=source,
        published=published,
        annotation_uuid=uuid,
        annotation_kind=Kind(kind),
        offset=start,
        snippet=_snippet(text, at, used),
        rank=-float(rank or 0.0),
    )


def search(
    library: Library,
    query: str,
    *,
    scope: str = "all",
    kind: Kind | None = None,
    limit: int = 100,
) -> list[SearchHit]:
    """Articles and annotations matching `query`, best first (at most `limit` in all).

    `scope` is "all", "articles" or "annotations"; `kind` keeps annotations of that kind only
    (and, with scope "all", leaves articles out). Raises SearchError for a malformed query.
    """
    if scope not in SCOPES:
        raise SearchError(f"unknown scope {scope!r} (one of {', '.join(SCOPES)})")
    hits: list[SearchHit] = []
    with library.database.reading() as session:
        match, terms, substrings = text_match(
            query,
            trigram=has_trigram(session),
            cjk_rows=has_cjk_rows(session),
            spellings=lambda name: speaker_spellings(session, name),
        )
        patterns = _patterns(terms, substrings)
        fallback = _patterns(terms, True) if not substrings else []
        columns = _columns(query)
        if scope == "all" and columns:
            # a column filter names columns of one table: search only where they exist
            if not columns <= _ARTICLE_COLUMNS:
                scope = "annotations"
            elif not columns <= _ANNOTATION_COLUMNS:
                scope = "articles"
        try:
            if scope in ("all", "articles") and kind is None:
                for row in search_articles(session, match, limit=limit):
                    hits.append(_article_hit(row, patterns, fallback))
            if scope in ("all", "annotations"):
                for row in search_annotations(session, match, kind=kind, limit=limit):
                    hits.append(_annotation_hit(row, patterns, fallback))
        except FtsQueryError as exc:
            reason = str(exc).removeprefix("fts5: ").replace('near ""', "at the end")
            raise SearchError(f"cannot search for {' '.join(query.split())!r}: {reason}") from None
    hits.sort(key=lambda h: -h.rank)
    return hits[:limit]
