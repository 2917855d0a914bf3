"""Entities with variants (issue 17): people, places and organisations and all their spellings.

"Kaecheon", "Kaechon" and "개천" are one place once they are one entity; a search for any of
them (`expand_query`) looks for every spelling, and the reader can find every mention
(`mentions`). A spelling belongs to one entity only (compared case-insensitively, NFKC):
adding one that another entity has is refused, merging the two is the way. A speaker's aliases
are its entity's spellings (`store.speakers`): merging two entities merges the speakers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from nkreader.analysis import Entity, EntityKind, clean_name, fold
from nkreader.services.library import Library
from nkreader.store.errors import StoreError

__all__ = ["EntityError", "add", "add_variants", "entities", "expand_query", "find", "mentions", "merge"]

_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_TOKEN = re.compile(r'"[^"]*"|[^\s()"]+|[()]')
_PLAIN = re.compile(r"^[\w'’.-]+$")


class EntityError(ValueError):
    """An entity change that cannot be made; the message is one line, for the user."""


def _name(name: str) -> str:
    cleaned = clean_name(name)
    if not cleaned:
        raise EntityError("an entity needs a name")
    return cleaned


def _kind(kind: str | EntityKind) -> EntityKind:
    try:
        return EntityKind(str(kind).lower())
    except ValueError:
        raise EntityError(f"an entity is a person, a place or an org, not {kind!r}") from None


def add(
    library: Library, name: str, kind: str | EntityKind = EntityKind.PLACE, variants: Iterable[str] = ()
) -> Entity:
    from nkreader.store import instruments

    name = _name(name)
    spellings = [_name(v) for v in variants]
    with library.database.writing() as session:
        try:
            return instruments.add_entity(session, name, _kind(kind), spellings)
        except instruments.Conflict as exc:
            raise EntityError(str(exc)) from None


def add_variants(library: Library, name: str, variants: Sequence[str]) -> tuple[Entity, list[str]]:
    """Add spellings to the entity one of whose spellings is `name`; returns it and the new ones."""
    from nkreader.store import instruments

    spellings = [_name(v) for v in variants]
    with library.database.writing() as session:
        found = instruments.find_entity(session, _name(name))
        if found is None:
            raise EntityError(f"no entity is spelled {name!r} (entity add creates one)")
        try:
            added = instruments.add_variants(session, found.id, spellings)
        except instruments.Conflict as exc:
            raise EntityError(str(exc)) from None
        entity = instruments.find_entity(session, found.name)
        assert entity is not None
        return entity, added


def entities(library: Library) -> list[Entity]:
    from nkreader.store import instruments

    with library.database.reading() as session:
        return instruments.entities(session)


def find(library: Library, spelling: str) -> Entity | None:
    from nkreader.store import instruments

    with library.database.reading() as session:
        return instruments.find_entity(session, spelling)


def merge(library: Library, keep: str, other: str) -> Entity:
    """`other` is the same entity as `keep`: its spellings become `keep`'s and it is gone.

    A speaker is an entity (`store.speakers`), so this merges speakers as `speakers --merge`
    and `source merge` do: annotations that name `other` by any of its spellings name `keep`,
    and `other`'s source profile is folded into `keep`'s; one transaction."""
    from nkreader.store import instruments
    from nkreader.store.speakers import rewrite_speakers

    with library.database.writing() as session:
        kept = instruments.find_entity(session, _name(keep))
        gone = instruments.find_entity(session, _name(other))
        if kept is None or gone is None:
            missing = keep if kept is None else other
            raise EntityError(f"no entity is spelled {missing!r}")
        if kept.id == gone.id:
            raise EntityError(f"{other!r} and {keep!r} are already one entity ({kept.name})")
        merged = instruments.merge_entities(session, kept.id, gone.id)
        rewrite_speakers(session, merged.name, gone.variants, by=library.annotator)
        instruments.fold_profile_into(session, merged.name, gone.name)
        return merged


# --------------------------------------------------------------------------- search


def _quoted(spelling: str) -> str:
    return (
        spelling
        if _PLAIN.match(spelling) and spelling.upper() not in _OPERATORS
        else '"' + spelling.replace('"', "") + '"'
    )


def _entity_tokens(library: Library, query: str) -> tuple[list[str], dict[int, list[str]]]:
    """The query's tokens, and for each token that is a spelling of an entity, all its spellings."""
    from nkreader.store import instruments

    tokens = _TOKEN.findall(query)
    candidates = {}
    depth = near = 0  # inside NEAR( … ) only phrases may stand: nothing is expanded there
    for index, token in enumerate(tokens):
        if token == "(":
            depth += 1
            if index and tokens[index - 1].upper() == "NEAR":
                near = near or depth
            continue
        if token == ")":
            near = 0 if near == depth else near
            depth -= 1
            continue
        if near or token.upper() in _OPERATORS or token.endswith(("*", ":")) or ":" in token:
            continue
        if token.startswith(("-", "^")) or (index and tokens[index - 1].endswith(":")):
            continue  # a negated word, a column filter's value: left as written
        word = token[1:-1] if token.startswith('"') else token
        if word.strip():
            candidates[index] = fold(word)
    if not candidates:
        return tokens, {}
    try:
        with library.database.reading() as session:
            spellings = instruments.variants_of_folded(session, candidates.values())
    except StoreError:  # a library opened below the entities migration: search as written
        return tokens, {}
    found = {i: spellings[f] for i, f in candidates.items() if len(spellings.get(f, ())) > 1}
    return tokens, found


def expand_query(library: Library, query: str) -> str:
    """`query` with each word or "phrase" that is a spelling of an entity replaced by all of them:
    `Kaechon market` -> `(Kaechon OR Kaecheon OR 개천) market`. Operators, column filters
    (`title:`), prefixes (`Kae*`) and everything else are left as written."""
    tokens, found = _entity_tokens(library, query)
    if not found:
        return query
    return " ".join(
        "(" + " OR ".join(_quoted(s) for s in found[i]) + ")" if i in found else token
        for i, token in enumerate(tokens)
    )


MAX_ALTERNATIVES = 32


def query_alternatives(library: Library, query: str) -> list[str]:
    """One query per combination of spellings (`Kaechon market` -> `Kaecheon market`, `Kaechon
    market`, `개천 market`), for a search whose results are merged: each spelling is then searched
    the way a query of its own is (a two-letter Hangul name inside a word too, which an OR group
    cannot do on trigram tables). `[query]` when it names no entity; at most `MAX_ALTERNATIVES`."""
    tokens, found = _entity_tokens(library, query)
    if not found:
        return [query]
    alternatives: list[list[str]] = [[]]
    for index, token in enumerate(tokens):
        choices = [_quoted(s) for s in found[index]] if index in found else [token]
        alternatives = [[*done, choice] for done in alternatives for choice in choices][:MAX_ALTERNATIVES]
    return [" ".join(words) for words in alternatives]


def mentions(body: str, entity: Entity) -> list[tuple[int, int]]:
    """Every (start, end) code point span of `body` where a spelling of `entity` stands, in order,
    case-insensitively; a Latin spelling only as a whole word (not "Kaechonese" for "Kaechon"),
    a Hangul one also inside a word (Korean attaches particles: 개천에서)."""
    spans: list[tuple[int, int]] = []
    for spelling in sorted(set(entity.variants), key=len, reverse=True):
        words = [re.escape(w) for w in spelling.split()]
        core = r"\s+".join(words)
        latin = not re.search(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u4e00-\u9fff]", spelling)
        pattern = re.compile(rf"(?<!\w){core}(?!\w)" if latin else core, re.IGNORECASE)
        for match in pattern.finditer(body):
            if not any(s < match.end() and match.start() < e for s, e in spans):
                spans.append((match.start(), match.end()))
    return sorted(spans)
