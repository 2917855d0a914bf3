"""Reads for reports: the other ends of the links of many annotations, with their articles.

One query for the links of a batch of annotations (both directions) joined to the other end and
its article, so a brief of a thousand passages does not make a thousand round trips.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from nkreader.domain import Kind, LinkType
from nkreader.store.models import AnnotationRow, ArticleRow, LinkRow

BATCH = 500


@dataclass(slots=True, frozen=True)
class LinkEnd:
    """One link seen from `annotation_uuid`: the type, the direction and the other end."""

    annotation_uuid: str
    type: LinkType
    direction: str
    """"out" when `annotation_uuid` is the link's source, "in" when it is the target."""
    link_id: int
    other_uuid: str
    other_kind: Kind
    other_exact: str
    article_id: int
    article_title: str
    article_source: str | None
    article_published: date | None
    article_url: str | None


def link_ends(session: Session, annotation_uuids: Sequence[str]) -> list[LinkEnd]:
    """Every link of the given annotations, from each given end, by link id."""
    ends: list[LinkEnd] = []
    me = aliased(AnnotationRow)
    other = aliased(AnnotationRow)
    for offset in range(0, len(annotation_uuids), BATCH):
        batch = list(annotation_uuids[offset : offset + BATCH])
        for direction, mine, theirs in (
            ("out", LinkRow.source_id, LinkRow.target_id),
            ("in", LinkRow.target_id, LinkRow.source_id),
        ):
            query = (
                select(
                    me.uuid,
                    LinkRow.type,
                    LinkRow.id,
                    other.uuid,
                    other.kind,
                    other.exact,
                    ArticleRow.id,
                    ArticleRow.title,
                    ArticleRow.source,
                    ArticleRow.published,
                    ArticleRow.url,
                )
                .select_from(LinkRow)
                .join(me, and_(me.id == mine, me.uuid.in_(batch)))
                .join(other, other.id == theirs)
                .join(ArticleRow, ArticleRow.id == other.article_id)
            )
            for row in session.execute(query):
                ends.append(
                    LinkEnd(
                        row[0],
                        LinkType(row[1]),
                        direction,
                        row[2],
                        row[3],
                        Kind(row[4]),
                        row[5],
                        row[6],
                        row[7],
                        row[8],
                        row[9],
                        row[10],
                    )
                )
    ends.sort(key=lambda end: (end.link_id, end.direction))
    return ends
