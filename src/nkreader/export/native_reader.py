"""Read a native JSON export back (docs/ARCHITECTURE.md §6) into domain objects, checking it as it goes.

Pure: takes the parsed JSON document, returns `NativeFile` or raises `AnnotationFileError` with a
one-line reason naming the place (`articles[2].annotations[0]: "start" must be an integer`).
Whether and how it goes into the library is `services.annotation_import`'s business.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from nkreader.domain import AnchorState, Annotation, Article, ArticleRevision, Kind, Link, LinkType, Status
from nkreader.export.native import FORMAT_NAME, FORMAT_VERSION, parse_datetime
from nkreader.export.native_instruments import Instruments, read_annotation_extras, read_instruments


class AnnotationFileError(ValueError):
    """The file is not an annotation export we can read; `str()` is a one-line reason."""


@dataclass(slots=True)
class NativeArticle:
    article: Article
    """As exported; `id` is the exporting library's (a hint), `body` empty when left out."""
    has_body: bool
    annotations: list[Annotation] = field(default_factory=list)
    """In file order; `article_id` is 0 until the importer knows the article."""
    revisions: list[ArticleRevision] = field(default_factory=list)
    """Earlier texts, oldest first; `article_id` is 0 until the importer knows the article."""


@dataclass(slots=True)
class NativeFile:
    articles: list[NativeArticle]
    links: list[Link]
    speakers: list[tuple[str, list[str]]] = field(default_factory=list)
    """(canonical name, its aliases)."""
    instruments: Instruments = field(default_factory=Instruments)
    """Graded sources, entities, credibility and wording changes (issue 17)."""


def is_native(document: object) -> bool:
    return isinstance(document, Mapping) and document.get("format") == FORMAT_NAME


_MISSING = object()
MAX_INTEGER = 2**63 - 1
"""The largest integer SQLite stores: ids and offsets past it are refused, not overflowed."""


class _Reader:
    def __init__(self, where: str, data: object) -> None:
        if not isinstance(data, Mapping):
            raise AnnotationFileError(f"{where}: must be an object")
        self.where = where
        self.data = data

    def fail(self, key: str, what: str) -> AnnotationFileError:
        return AnnotationFileError(f'{self.where}: "{key}" {what}')

    def get(
        self, key: str, kind: type | tuple[type, ...], *, optional: bool = False, default: Any = None
    ) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or (value is None and optional):
            if optional:
                return default
            raise self.fail(key, "is missing")
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            names = names.replace("str", "text").replace("int", "an integer").replace("list", "a list")
            raise self.fail(key, f"must be {names}")
        return value

    def integer(self, key: str, minimum: int, *, optional: bool = False) -> Any:
        """An integer in minimum..MAX_INTEGER (what the store can hold), or None if optional."""
        value = self.get(key, int, optional=optional)
        if value is not None and not minimum <= value <= MAX_INTEGER:
            raise self.fail(key, f"must be between {minimum} and {MAX_INTEGER}")
        return value

    def text(self, key: str) -> str:
        return self.get(key, str)

    def optional_text(self, key: str) -> str | None:
        return self.get(key, str, optional=True)

    def uuid(self, key: str) -> str:
        value = self.text(key)
        try:
            return str(uuid_module.UUID(value))
        except ValueError:
            raise self.fail(key, "is not a UUID") from None

    def time(self, key: str) -> datetime:
        value = self.text(key)
        try:
            return parse_datetime(value)
        except ValueError:
            raise self.fail(key, "is not a date and time") from None

    def day(self, key: str) -> date | None:
        value = self.optional_text(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(key, "is not a date (YYYY-MM-DD)") from None

    def choice(self, key: str, enum: type[Kind] | type[Status] | type[AnchorState] | type[LinkType]) -> Any:
        value = self.text(key)
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            raise self.fail(key, f"must be one of {allowed}") from None


def read_annotation(where: str, data: object) -> Annotation:
    r = _Reader(where, data)
    start, end = r.integer("start", 0), r.integer("end", 0)
    if not 0 <= start <= end:
        raise AnnotationFileError(f"{where}: the span {start}..{end} is not a span")
    tags = r.get("tags", list, optional=True, default=[])
    if not all(isinstance(t, str) and t for t in tags):
        raise r.fail("tags", "must be a list of non-empty texts")
    return Annotation(
        id=None,
        uuid=r.uuid("uuid"),
        article_id=0,
        kind=r.choice("kind", Kind),
        start=start,
        end=end,
        exact=r.text("exact"),
        prefix=r.get("prefix", str, optional=True, default=""),
        suffix=r.get("suffix", str, optional=True, default=""),
        note=r.get("note", str, optional=True, default=""),
        tags=list(dict.fromkeys(tags)),
        speaker=r.optional_text("speaker"),
        status=r.choice("status", Status) if "status" in r.data else Status.UNVERIFIED,
        anchor_state=r.choice("anchor_state", AnchorState)
        if "anchor_state" in r.data
        else AnchorState.ANCHORED,
        author=r.optional_text("author"),
        created_at=r.time("created_at"),
        updated_at=r.time("updated_at"),
        # files from before issue 11's updated_by: last changed by the maker, as migration 0012 assumes
        updated_by=r.optional_text("updated_by") if "updated_by" in r.data else r.optional_text("author"),
    )


def read_article(where: str, data: object, instruments: Instruments | None = None) -> NativeArticle:
    r = _Reader(where, data)
    body = r.get("body", str, optional=True)
    article_id = r.integer("id", 1, optional=True)
    article = Article(
        id=article_id,
        uuid=r.uuid("uuid"),
        title=r.text("title"),
        body=body or "",
        content_hash=r.get("content_hash", str, optional=True, default=""),
        source=r.optional_text("source"),
        author=r.optional_text("author"),
        url=r.optional_text("url"),
        published=r.day("published"),
        language=r.optional_text("language"),
        origin=r.optional_text("origin"),
        origin_format=r.optional_text("origin_format"),
        imported_at=r.time("imported_at"),
        updated_at=r.time("updated_at"),
    )
    annotations = []
    for i, data in enumerate(r.get("annotations", list, optional=True, default=[])):
        place = f"{where}.annotations[{i}]"
        annotation = read_annotation(place, data)
        if instruments is not None:
            read_annotation_extras(place, data, annotation.uuid, instruments, parse_datetime)
        annotations.append(annotation)
    revisions = [
        read_revision(f"{where}.revisions[{i}]", item)
        for i, item in enumerate(r.get("revisions", list, optional=True, default=[]))
    ]
    return NativeArticle(article, body is not None, annotations, revisions)


def read_revision(where: str, data: object) -> ArticleRevision:
    r = _Reader(where, data)
    return ArticleRevision(
        id=None,
        article_id=0,
        title=r.text("title"),
        body=r.text("body"),
        content_hash=r.text("content_hash"),
        url=r.optional_text("url"),
        origin=r.optional_text("origin"),
        stored_at=r.time("stored_at"),
        replaced_at=r.time("replaced_at"),
    )


def read_speaker(where: str, data: object) -> tuple[str, list[str]]:
    r = _Reader(where, data)
    aliases = r.get("aliases", list)
    if not all(isinstance(a, str) and a.strip() for a in aliases):
        raise r.fail("aliases", "must be a list of non-empty texts")
    name = r.text("name")
    if not name.strip():
        raise r.fail("name", "must not be empty")
    return name, list(aliases)


def read_link(where: str, data: object) -> Link:
    r = _Reader(where, data)
    return Link(
        id=None,
        uuid=r.uuid("uuid"),
        source_uuid=r.uuid("source"),
        target_uuid=r.uuid("target"),
        type=r.choice("type", LinkType),
        created_at=r.time("created_at"),
    )


def read_native(document: object) -> NativeFile:
    """A parsed native export as domain objects; raises `AnnotationFileError`."""
    r = _Reader("the file", document)
    if r.data.get("format") != FORMAT_NAME:
        raise AnnotationFileError(f'the file is not an nkreader export ("format" is not "{FORMAT_NAME}")')
    version = r.get("version", int)
    if version > FORMAT_VERSION:
        raise AnnotationFileError(
            f"the file is version {version} of the export format; this nkreader reads up to {FORMAT_VERSION}"
        )
    instruments = Instruments()
    articles = [
        read_article(f"articles[{i}]", a, instruments) for i, a in enumerate(r.get("articles", list))
    ]
    links = [
        read_link(f"links[{i}]", a) for i, a in enumerate(r.get("links", list, optional=True, default=[]))
    ]
    speakers = [
        read_speaker(f"speakers[{i}]", s)
        for i, s in enumerate(r.get("speakers", list, optional=True, default=[]))
    ]
    return NativeFile(articles, links, speakers, read_instruments(r.data, instruments))
