"""The native JSON export (docs/ARCHITECTURE.md §6): a complete, self-checking backup of what was marked.

Each article carries its full stored text, so every annotation's offsets can be
verified against it; `format`/`version` let later versions read older files.

Two ways to the same document: `build_document` from domain objects, and
`document_from_rows` straight from the store's export rows (`store.export_rows.export_*_rows`),
which skips the ORM objects, the domain objects and the datetime round trips; 100,000
annotations take a fraction of the time. Tests keep the two identical.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any

from nkreader import __version__
from nkreader.domain import Annotation, Article, ArticleRevision, Link

FORMAT_NAME = "nkreader-annotations"
FORMAT_VERSION = 1


def format_datetime(value: datetime) -> str:
    """UTC, millisecond precision, `Z` suffix: one spelling, so exports compare byte for byte."""
    text = value.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    return text + "Z"


def parse_datetime(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(slots=True)
class ArticleExport:
    article: Article
    annotations: Sequence[Annotation]


def annotation_record(annotation: Annotation) -> dict[str, Any]:
    return {
        "uuid": annotation.uuid,
        "kind": annotation.kind.value,
        "start": annotation.start,
        "end": annotation.end,
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "note": annotation.note,
        "tags": list(annotation.tags),
        "speaker": annotation.speaker,
        "status": annotation.status.value,
        "anchor_state": annotation.anchor_state.value,
        "author": annotation.author,
        "created_at": format_datetime(annotation.created_at),
        "updated_at": format_datetime(annotation.updated_at),
        "updated_by": annotation.updated_by,
    }


def article_record(item: ArticleExport, *, include_text: bool = True) -> dict[str, Any]:
    article = item.article
    record: dict[str, Any] = {
        "uuid": article.uuid,
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "author": article.author,
        "url": article.url,
        "published": _date(article.published),
        "language": article.language,
        "origin": article.origin,
        "origin_format": article.origin_format,
        "content_hash": article.content_hash,
        "imported_at": format_datetime(article.imported_at),
        "updated_at": format_datetime(article.updated_at),
    }
    if include_text:
        record["body"] = article.body
    record["annotations"] = [annotation_record(a) for a in item.annotations]
    return record


def revision_record(revision: ArticleRevision) -> dict[str, Any]:
    """An earlier text of an article (kept by `import --update`)."""
    return {
        "title": revision.title,
        "body": revision.body,
        "content_hash": revision.content_hash,
        "url": revision.url,
        "origin": revision.origin,
        "stored_at": format_datetime(revision.stored_at),
        "replaced_at": format_datetime(revision.replaced_at),
    }


def link_record(link: Link) -> dict[str, Any]:
    return {
        "uuid": link.uuid,
        "source": link.source_uuid,
        "target": link.target_uuid,
        "type": link.type.value,
        "created_at": format_datetime(link.created_at),
    }


def build_document(
    items: Iterable[ArticleExport],
    *,
    exported_at: datetime,
    links: Iterable[Link] = (),
    include_text: bool = True,
    filters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generator": f"nkreader {__version__}",
        "exported_at": format_datetime(exported_at),
    }
    if filters:
        document["filters"] = dict(filters)
    document["articles"] = [article_record(item, include_text=include_text) for item in items]
    document["links"] = [link_record(link) for link in links]
    return document


# --------------------------------------------------------------------------- from stored rows


def stored_datetime(value: str | datetime) -> str:
    """A stored UTC time (SQLite: "YYYY-MM-DD HH:MM:SS.ffffff", naive UTC) in the export's spelling,
    the same text `format_datetime` gives for the datetime the store would return."""
    if type(value) is str and len(value) == 26 and value[10] == " " and value[19] == ".":
        return f"{value[:10]}T{value[11:23]}Z"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(value.astimezone(UTC) if value.tzinfo else value)


def stored_date(value: str | date | None) -> str | None:
    if value is None:
        return None
    if type(value) is str and len(value) == 10:
        return value
    return _date(date.fromisoformat(value) if isinstance(value, str) else value)


def annotation_records(rows: Iterable[Sequence[Any]]) -> dict[int, list[dict[str, Any]]]:
    """Export records of annotation rows (`store.mappers.EXPORT_ANNOTATION_COLUMNS`), grouped by
    article id, in row order."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    tags_of: dict[Any, list[str]] = {"[]": [], None: []}  # stored JSON text -> list (many repeat)
    current: int | None = None
    records: list[dict[str, Any]] = []
    loads = json.loads
    for (
        _id,
        article_id,
        uuid,
        kind,
        start,
        end,
        exact,
        prefix,
        suffix,
        note,
        tags,
        speaker,
        status,
        anchor_state,
        author,
        created_at,
        updated_at,
        updated_by,
    ) in rows:
        if article_id != current:
            current = article_id
            records = grouped.setdefault(article_id, [])
        if type(tags) is str:
            tag_list = tags_of.get(tags)
            if tag_list is None:
                tag_list = tags_of[tags] = list(loads(tags) or [])
        else:  # a backend whose driver decodes JSON itself
            tag_list = list(tags or [])
        # the fast path of `stored_datetime`, inline: this loop runs once per annotation
        if (
            type(created_at) is str
            and len(created_at) == 26
            and created_at[10] == " "
            and created_at[19] == "."
        ):
            created = f"{created_at[:10]}T{created_at[11:23]}Z"
        else:
            created = stored_datetime(created_at)
        if updated_at == created_at:
            updated = created
        elif (
            type(updated_at) is str
            and len(updated_at) == 26
            and updated_at[10] == " "
            and updated_at[19] == "."
        ):
            updated = f"{updated_at[:10]}T{updated_at[11:23]}Z"
        else:
            updated = stored_datetime(updated_at)
        records.append(
            {
                "uuid": uuid,
                "kind": kind,
                "start": start,
                "end": end,
                "exact": exact,
                "prefix": prefix,
                "suffix": suffix,
                "note": note,
                "tags": tag_list.copy(),
                "speaker": speaker,
                "status": status,
                "anchor_state": anchor_state,
                "author": author,
                "created_at": created,
                "updated_at": updated,
                "updated_by": updated_by,
            }
        )
    return grouped


def article_record_from_row(row: Sequence[Any], annotations: list[dict[str, Any]]) -> dict[str, Any]:
    """The export record of an article row (`store.mappers.EXPORT_ARTICLE_COLUMNS`; without `body`
    when the row has no body column), with its annotation records."""
    record: dict[str, Any] = {
        "uuid": row[1],
        "id": row[0],
        "title": row[2],
        "source": row[3],
        "author": row[4],
        "url": row[5],
        "published": stored_date(row[6]),
        "language": row[7],
        "origin": row[8],
        "origin_format": row[9],
        "content_hash": row[10],
        "imported_at": stored_datetime(row[11]),
        "updated_at": stored_datetime(row[12]),
    }
    if len(row) > 13:
        record["body"] = row[13]
    record["annotations"] = annotations
    return record


def document_from_rows(
    article_rows: Iterable[Sequence[Any]],
    annotations: Mapping[int, list[dict[str, Any]]],
    *,
    exported_at: datetime,
    links: Iterable[Link] = (),
    filters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The same document as `build_document`, from export rows and `annotation_records`."""
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generator": f"nkreader {__version__}",
        "exported_at": format_datetime(exported_at),
    }
    if filters:
        document["filters"] = dict(filters)
    get = annotations.get
    document["articles"] = [article_record_from_row(row, get(row[0]) or []) for row in article_rows]
    document["links"] = [link_record(link) for link in links]
    return document


# --------------------------------------------------------------------------- writing

_LISTS = ("articles", "links", "speakers", "sources", "sources_apart", "entities")
"""Document keys written one record a line."""


def _make_encode() -> Callable[[Any], str]:
    """Compact (", " and ": " separators), non-ASCII as is: CPython's C encoder does this work.
    With `indent` set, `json` falls back to its pure-Python encoder, three times slower.

    `JSONEncoder.encode` sets up a new C encoder on every call, which cost as much as encoding
    an annotation record; here it is set up once (the same C encoder, the same output)."""
    encoder = json.JSONEncoder(ensure_ascii=False, check_circular=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator (another Python): the plain encoder
        return encoder.encode
    try:
        iterencode = make(
            None,  # no circular check
            encoder.default,
            json.encoder.encode_basestring,  # ensure_ascii=False
            None,  # no indent
            encoder.key_separator,
            encoder.item_separator,
            False,  # sort_keys
            False,  # skipkeys
            True,  # allow_nan
        )
    except TypeError:  # another signature: the plain encoder
        return encoder.encode
    join = "".join

    def encode(value: Any) -> str:
        return join(iterencode(value, 0))

    sample = {"a": [1, 2.5, None, True, "é\u2028\"x"], "b": {"c": ""}}
    return encode if encode(sample) == encoder.encode(sample) else encoder.encode


_encode = _make_encode()


def dumps(document: Mapping[str, Any]) -> str:
    """UTF-8 text without escaping non-ASCII, newline at the end, in a fixed layout: the
    document's keys two spaces in; each article on one line up to its `"annotations": [`, then
    each annotation and each link as one compact line of its own.

    The same document always gives the same bytes (keys in the records' order), so an export,
    restored and exported again, is identical byte for byte.
    """
    return "".join(iter_dumps(document))


def iter_dumps(document: Mapping[str, Any]) -> Iterator[str]:
    """`dumps` in pieces (an article and its annotations at a time), for writing to a file as
    they are made: an export of 10,000 articles is then never one string of 130 MB."""
    yield "{\n"
    keys = list(document)
    for index, key in enumerate(keys):
        value = document[key]
        comma = "," if index < len(keys) - 1 else ""
        name = _encode(key)
        if key in _LISTS and isinstance(value, list) and value:
            yield f"  {name}: [\n"
            if key == "articles":
                last = len(value) - 1
                for position, record in enumerate(value):
                    yield from _article_pieces(record)
                    yield ",\n" if position < last else "\n"
            else:
                yield from _record_pieces(value, "    ")
                yield "\n"
            yield f"  ]{comma}\n"
        else:
            yield f"  {name}: {_encode(value)}{comma}\n"
    yield "}\n"


def _record_pieces(records: list[Any], indent: str) -> list[str]:
    """`records` one compact line each, `indent` in, joined by ",\n" (no newline at the end),
    in pieces: the text of 10,000 articles is copied as few times as may be.

    One encoder call for the whole list, its items then put on lines of their own: between two
    records the encoder writes `}, {"uuid": ` (the records' first key), and that text occurs
    nowhere else unless a record nests such a list itself (a `"` inside a string is always
    written `\\"`). The separators are counted to be sure; otherwise each record is encoded alone.
    """
    first = records[0]
    if isinstance(first, dict) and first:
        text = _encode(records)
        separator = "}, {" + _encode(next(iter(first))) + ": "
        if text.count(separator) == len(records) - 1:
            lines = separator.replace("}, {", "},\n" + indent + "{", 1)
            return [indent, text[1:-1].replace(separator, lines)]
    return [",\n".join([indent + _encode(record) for record in records])]


def _article_pieces(record: Mapping[str, Any]) -> list[str]:
    annotations = record.get("annotations")
    keys = list(record)
    if not isinstance(annotations, list) or keys[-1] != "annotations" or len(keys) < 2:
        return ["    ", _encode(record)]
    head = _encode({k: record[k] for k in keys[:-1]})[:-1]
    if not annotations:
        return ["    ", head, ', "annotations": []}']
    return ["    ", head, ', "annotations": [\n', *_record_pieces(annotations, "      "), "\n    ]}"]


def schema() -> dict[str, Any]:
    text = (
        resources.files("nkreader.export")
        .joinpath("schemas/nkreader-annotations.schema.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)
