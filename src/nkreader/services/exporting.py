"""Export the library to files other tools read, written atomically."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from nkreader.domain import Kind, Link, utcnow
from nkreader.export import csv, markdown, native, native_instruments, w3c
from nkreader.services.evidence import linked_passages
from nkreader.services.library import Library
from nkreader.services.output_files import library_files, write_atomic, write_output
from nkreader.services.revisions import wording_changes
from nkreader.services.sources import grades_for

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "Rendered",
    "Snapshot",
    "export_file",
    "export_native_file",
    "native_document",
    "render",
    "snapshot",
    "write_atomic",
    "write_output",
]
from nkreader.store.annotations import annotations_by_article
from nkreader.store.articles import revisions_by_article
from nkreader.store import instruments
from nkreader.store.bulk import collector_paused
from nkreader.store.errors import NotFound
from nkreader.store.export_rows import export_annotation_rows, export_article_rows, select_articles
from nkreader.store.links import all_links, links_for
from nkreader.store.speakers import speaker_groups

BATCH = 500


FORMATS = ("json", "w3c", "csv", "markdown")
"""Export formats: native JSON (docs/ARCHITECTURE.md §6), W3C Web Annotation JSON-LD, CSV, a Markdown brief."""

SUFFIXES = {"json": ".json", "w3c": ".jsonld", "csv": ".csv", "markdown": ".md"}


@dataclass(slots=True)
class Snapshot:
    """What one export holds, read in one transaction."""

    items: list[native.ArticleExport]
    links: list[Link]
    filters: dict[str, Any]

    @property
    def annotation_count(self) -> int:
        return sum(len(item.annotations) for item in self.items)


def _filters(
    article_ids: Sequence[int] | None, kinds: Sequence[Kind] | None, since: date | None
) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    if article_ids:
        filters["articles"] = list(article_ids)
    if kinds:
        filters["kinds"] = [k.value for k in kinds]
    if since:
        filters["since"] = since.isoformat()
    return filters


def _raise_if_missing(article_ids: Sequence[int] | None, found: set[int]) -> None:
    if article_ids:
        missing = sorted(set(article_ids) - found)
        if missing:
            raise NotFound("no article with id " + ", ".join(map(str, missing)))


def _links_among(session: Any, annotation_ids: list[int], uuids: set[str]) -> list[Link]:
    """Links whose both ends are among the exported annotations, each once, by link id."""
    links: dict[str, Link] = {}
    for offset in range(0, len(annotation_ids), BATCH):
        for link in links_for(session, annotation_ids[offset : offset + BATCH]):
            if link.source_uuid in uuids and link.target_uuid in uuids:
                links.setdefault(link.uuid, link)
    return sorted(links.values(), key=lambda link: link.id or 0)


def snapshot(
    library: Library,
    *,
    article_ids: Sequence[int] | None = None,
    kinds: Sequence[Kind] | None = None,
    since: date | None = None,
) -> Snapshot:
    """Every (or the chosen) article with its annotations, and the links among those, in one read."""
    filters = _filters(article_ids, kinds, since)
    items: list[native.ArticleExport] = []
    with library.database.reading() as session:
        articles = list(select_articles(session, article_ids))
        _raise_if_missing(article_ids, {a.id for a in articles if a.id is not None})
        annotation_ids: list[int] = []
        for offset in range(0, len(articles), BATCH):
            batch = articles[offset : offset + BATCH]
            grouped = annotations_by_article(
                session, [a.id for a in batch if a.id is not None], kinds=kinds, since=since
            )
            for article in batch:
                annotations = grouped.get(article.id or -1, [])
                annotation_ids.extend(a.id for a in annotations if a.id is not None)
                items.append(native.ArticleExport(article, annotations))
        # a link is exported once, and only when both of its ends are in the export
        uuids = {a.uuid for item in items for a in item.annotations}
        links = _links_among(session, annotation_ids, uuids)
    return Snapshot(items, links, filters)


def native_document(
    library: Library,
    *,
    article_ids: Sequence[int] | None = None,
    kinds: Sequence[Kind] | None = None,
    since: date | None = None,
    include_text: bool = True,
) -> dict[str, Any]:
    """Every (or the chosen) article with its annotations, read in one snapshot.

    The same document `native.build_document` makes of a `snapshot`, read straight from the
    store's rows (Core selects, stored values as they are) instead of through domain objects.
    """
    filters = _filters(article_ids, kinds, since)
    with collector_paused(), library.database.reading() as session:
        article_rows = list(export_article_rows(session, article_ids, include_body=include_text))
        _raise_if_missing(article_ids, {row[0] for row in article_rows})
        annotation_rows = export_annotation_rows(session, article_ids, kinds=kinds, since=since)
        if filters:
            # a link is exported once, and only when both of its ends are in the export
            uuids = {row[2] for row in annotation_rows}
            links = _links_among(session, [row[0] for row in annotation_rows], uuids)
        else:
            links = all_links(session)  # every annotation is exported, so every link is
        annotations = native.annotation_records(annotation_rows)
        del annotation_rows
        document = native.document_from_rows(
            article_rows, annotations, exported_at=utcnow(), links=links, filters=filters
        )
        _add_history(session, document, article_ids=article_ids, include_text=include_text)
        return document


def _add_history(
    session: Any, document: dict[str, Any], *, article_ids: Sequence[int] | None, include_text: bool
) -> None:
    """What a restore needs besides articles and annotations: each article's earlier texts (kept
    by `import --update`; with the text only) and the speakers' aliases. Added only where there are
    any, so an export of a library without either is what it always was."""
    if include_text:
        by_article = revisions_by_article(session, article_ids or None)
        for record in document["articles"] if by_article else ():
            revisions = by_article.get(record["id"]) if record.get("id") else None
            if revisions:
                annotations = record.pop("annotations")
                record["revisions"] = [native.revision_record(r) for r in revisions]
                record["annotations"] = annotations  # stays last: the layout of `native.dumps`
    groups = {name: aliases for name, aliases in speaker_groups(session).items() if aliases}
    if groups:
        document["speakers"] = [
            {"name": name, "aliases": aliases} for name, aliases in sorted(groups.items())
        ]
    _add_instruments(session, document)


def _add_instruments(session: Any, document: dict[str, Any]) -> None:
    """The analyst's weighing (issue 17): each annotation's credibility and wording change, the
    graded sources, the sources kept apart, the entities with their spellings. Only what there
    is, so a library without them exports as it always did (`export.native_instruments`)."""
    credibility = instruments.credibility_by_uuid(session, None)
    wording = instruments.wording_changes(session)
    if credibility or wording:
        for record in document["articles"]:
            for annotation in record["annotations"]:
                uuid = annotation["uuid"]
                if uuid in credibility:
                    annotation["credibility"] = credibility[uuid]
                if uuid in wording:
                    annotation["wording"] = native_instruments.wording_record(
                        wording[uuid], native.format_datetime
                    )
    profiles = instruments.profiles(session).values()
    if profiles:
        document["sources"] = native_instruments.sorted_sources(profiles)
    apart = sorted(instruments.apart_pairs(session))
    if apart:
        document["sources_apart"] = [{"first": a, "second": b} for a, b in apart]
    entities = instruments.entities(session)
    if entities:
        document["entities"] = [native_instruments.entity_record(e) for e in entities]


@dataclass(slots=True)
class Rendered:
    text: str
    articles: int
    annotations: int


def render(
    library: Library,
    fmt: str = "json",
    *,
    article_ids: Sequence[int] | None = None,
    kinds: Sequence[Kind] | None = None,
    since: date | None = None,
    include_text: bool = True,
) -> Rendered:
    """The export in `fmt` (one of `FORMATS`) as text. `include_text` matters to JSON only: the
    other formats never carry whole article texts."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "json":
        document = native_document(
            library, article_ids=article_ids, kinds=kinds, since=since, include_text=include_text
        )
        articles = document["articles"]
        return Rendered(native.dumps(document), len(articles), sum(len(a["annotations"]) for a in articles))
    taken = snapshot(library, article_ids=article_ids, kinds=kinds, since=since)
    now = utcnow()
    uuids = [a.uuid for item in taken.items for a in item.annotations]
    grades = grades_for(library, uuids)  # every format carries the grades (issue 17)
    wording = wording_changes(library, uuids)
    if fmt == "w3c":
        collection = w3c.build_collection(
            taken.items, exported_at=now, links=taken.links, grades=grades, wording=wording
        )
        text = w3c.dumps(collection)
    else:  # the reports carry the linked passages too
        evidence = linked_passages(library, taken.items)
        if fmt == "csv":
            text = csv.render(taken.items, evidence, grades, wording)
        else:
            text = markdown.render(
                taken.items,
                exported_at=now,
                include_empty=bool(article_ids),
                evidence=evidence,
                grades=grades,
                wording=wording,
            )
    return Rendered(text, len(taken.items), taken.annotation_count)


def export_native_file(library: Library, target: Path, **filters: Any) -> tuple[int, int]:
    """Write the native JSON export to `target` atomically; returns (articles, annotations)."""
    return export_file(library, target, "json", **filters)


def export_file(library: Library, target: Path, fmt: str = "json", **filters: Any) -> tuple[int, int]:
    """Write the export in `fmt` to `target` atomically; returns (articles, annotations).

    The native JSON is written as it is encoded (`native.iter_dumps`), an article at a time."""
    if fmt == "json":
        document = native_document(library, **filters)
        articles = document["articles"]
        protected = library_files(library.database.path)
        write_output(target, native.iter_dumps(document), protected=protected)
        return len(articles), sum(len(a["annotations"]) for a in articles)
    rendered = render(library, fmt, **filters)
    write_output(target, rendered.text, protected=library_files(library.database.path))
    return rendered.articles, rendered.annotations
