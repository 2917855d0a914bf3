"""Export the library to files other tools read, written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from nkreader.domain import Kind, Link, utcnow
from nkreader.export import native
from nkreader.services.library import Library
from nkreader.store import repository as repo
from nkreader.store.errors import NotFound

BATCH = 500


def native_document(
    library: Library,
    *,
    article_ids: Sequence[int] | None = None,
    kinds: Sequence[Kind] | None = None,
    since: date | None = None,
    include_text: bool = True,
) -> dict[str, Any]:
    """Every (or the chosen) article with its annotations, read in one snapshot."""
    filters: dict[str, Any] = {}
    if article_ids:
        filters["articles"] = list(article_ids)
    if kinds:
        filters["kinds"] = [k.value for k in kinds]
    if since:
        filters["since"] = since.isoformat()
    items: list[native.ArticleExport] = []
    with library.database.reading() as session:
        articles = list(repo.select_articles(session, article_ids))
        if article_ids:
            missing = sorted(set(article_ids) - {a.id for a in articles if a.id is not None})
            if missing:
                raise NotFound("no article with id " + ", ".join(map(str, missing)))
        annotation_ids: list[int] = []
        for offset in range(0, len(articles), BATCH):
            batch = articles[offset : offset + BATCH]
            grouped = repo.annotations_by_article(
                session, [a.id for a in batch if a.id is not None], kinds=kinds, since=since
            )
            for article in batch:
                annotations = grouped.get(article.id or -1, [])
                annotation_ids.extend(a.id for a in annotations if a.id is not None)
                items.append(native.ArticleExport(article, annotations))
        # a link is exported once, and only when both of its ends are in the export
        uuids = {a.uuid for item in items for a in item.annotations}
        links: dict[str, Link] = {}
        for offset in range(0, len(annotation_ids), BATCH):
            for link in repo.links_for(session, annotation_ids[offset : offset + BATCH]):
                if link.source_uuid in uuids and link.target_uuid in uuids:
                    links.setdefault(link.uuid, link)
    return native.build_document(
        items, exported_at=utcnow(), links=list(links.values()), include_text=include_text, filters=filters
    )


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    path = path.expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_native_file(library: Library, target: Path, **filters: Any) -> tuple[int, int]:
    """Write the native JSON export to `target` atomically; returns (articles, annotations)."""
    document = native_document(library, **filters)
    write_atomic(target, native.dumps(document))
    return len(document["articles"]), sum(len(a["annotations"]) for a in document["articles"])
