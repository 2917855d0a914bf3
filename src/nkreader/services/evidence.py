"""The passages linked to the passages of an export: what a brief says beside each one."""

from __future__ import annotations

from collections.abc import Iterable

from nkreader.export.evidence import LinkedPassage
from nkreader.export.native import ArticleExport
from nkreader.services.library import Library
from nkreader.store.evidence import link_ends


def linked_passages(library: Library, items: Iterable[ArticleExport]) -> dict[str, list[LinkedPassage]]:
    """For each annotation of `items` that has links, the other ends (links to passages outside
    the export too: a brief of one article still says what corroborates it elsewhere)."""
    uuids = [a.uuid for item in items for a in item.annotations]
    found: dict[str, list[LinkedPassage]] = {}
    if not uuids:
        return found
    with library.database.reading() as session:
        for end in link_ends(session, uuids):
            found.setdefault(end.annotation_uuid, []).append(
                LinkedPassage(
                    type=end.type,
                    direction=end.direction,
                    uuid=end.other_uuid,
                    kind=end.other_kind,
                    exact=end.other_exact,
                    article_id=end.article_id,
                    article_title=end.article_title,
                    article_source=end.article_source,
                    article_published=end.article_published,
                    article_url=end.article_url,
                )
            )
    return found
