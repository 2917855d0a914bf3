"""The query language of search, parsed once for every backend (issue 6, issue 11).

Words (AND implied), "phrases", prefix*, AND / OR / NOT, parentheses, NEAR(...), column filters
(`title:`, `speaker:`, `{title body}:`): the FTS5 syntax, which SQLite runs as it is and the
PostgreSQL backend translates. Pure: no database, no SQL of any dialect.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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


def _is_simple(tokens: list[_Token]) -> bool:
    return all(t.kind in ("term", "phrase") or (t.kind == "op" and t.text == "AND") for t in tokens)


def _terms(tokens: list[_Token]) -> list[_Token]:
    return [t for t in tokens if t.kind in ("term", "phrase") and not t.negated and t.text.strip()]


SpellingLookup = Callable[[str], list[str]]
"""Every spelling of a speaker's name (itself first), for `speaker:` filters."""


def has_cjk(query: str) -> bool:
    """Korean (or other CJK) text: matched as substrings, there are no spaces between its words."""
    return _CJK.search(query) is not None


ARTICLE_COLUMNS = _ARTICLE_COLUMNS
ANNOTATION_COLUMNS = _ANNOTATION_COLUMNS
Token = _Token
tokenize = _tokenize
positive_terms = _terms
is_simple = _is_simple
columns = _columns
rewrite = _rewrite


def substring_terms(tokens: list[_Token], query: str) -> tuple[bool, list[_Token]]:
    """Whether a query is matched as substrings, and the terms that rank it.

    As SQLite decides (its trigram tables need 3 characters): a query with Korean text matches
    substrings when every term has 3 characters or more, or when it is a plain AND of terms
    (the short ones are then looked for as they are and do not rank); else it matches words.
    """
    terms = _terms(tokens)
    if not has_cjk(query):
        return False, terms
    if all(len(t.text) >= 3 for t in terms):
        return True, terms
    if _is_simple(tokens):
        return True, [t for t in terms if len(t.text) >= 3]
    return False, terms
