"""Links between annotations (in any articles): read, add, find, delete. Callers own the session.

Links point at annotations by id in the table and by uuid in the domain; `mappers.link_select`
joins the two.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, or_, select, text
from sqlalchemy.orm import Session

from nkreader.domain import Annotation, Link, LinkType
from nkreader.store.errors import NotFound
from nkreader.store.mappers import annotation_from_row, link_from_row, link_select
from nkreader.store.models import AnnotationRow, LinkRow


def links_for(session: Session, annotation_ids: Sequence[int]) -> list[Link]:
    """Every link with either end among `annotation_ids` (annotation row ids), by link id."""
    if not annotation_ids:
        return []
    query = link_select().where(
        or_(LinkRow.source_id.in_(annotation_ids), LinkRow.target_id.in_(annotation_ids))
    )
    return [link_from_row(r) for r in session.execute(query.order_by(LinkRow.id))]


def links_of_annotation(session: Session, uuid: str) -> list[Link]:
    """Every link of one annotation (either direction), by link id."""
    me = session.scalar(select(AnnotationRow.id).where(AnnotationRow.uuid == uuid))
    return links_for(session, [me]) if me is not None else []


def all_links(session: Session) -> list[Link]:
    """Every link, by id (an export of the whole library)."""
    return [link_from_row(r) for r in session.execute(link_select().order_by(LinkRow.id))]


def find_link(session: Session, uuid: str) -> Link | None:
    r = session.execute(link_select().where(LinkRow.uuid == uuid)).first()
    return link_from_row(r) if r is not None else None


def add_link(session: Session, link: Link) -> Link | None:
    """Store a link between two stored annotations; None when an end is missing or the same
    link (same ends and type) is already there."""
    ids: dict[str, int] = dict(
        session.execute(
            select(AnnotationRow.uuid, AnnotationRow.id).where(
                AnnotationRow.uuid.in_([link.source_uuid, link.target_uuid])
            )
        ).all()
    )
    source_id, target_id = ids.get(link.source_uuid), ids.get(link.target_uuid)
    if source_id is None or target_id is None:
        return None
    duplicate = session.scalar(
        select(LinkRow.id).where(
            LinkRow.source_id == source_id, LinkRow.target_id == target_id, LinkRow.type == link.type.value
        )
    )
    if duplicate is not None:
        return None
    row = LinkRow(
        uuid=link.uuid,
        source_id=source_id,
        target_id=target_id,
        type=link.type.value,
        created_at=link.created_at,
    )
    session.add(row)
    session.flush()
    return Link(row.id, row.uuid, link.source_uuid, link.target_uuid, link.type, row.created_at)


def link_views(session: Session, annotation_uuid: str) -> list[tuple[Link, str, Annotation, str]]:
    """(link, "out"|"in", the other annotation, its article's title) for every link of an
    annotation, by link id."""
    me = session.query(AnnotationRow.id).filter(AnnotationRow.uuid == annotation_uuid).scalar()
    if me is None:
        raise NotFound(f"no annotation {annotation_uuid}")
    links = session.query(LinkRow).filter((LinkRow.source_id == me) | (LinkRow.target_id == me))
    rows = links.order_by(LinkRow.id).all()
    other_ids = {(row.target_id if row.source_id == me else row.source_id) for row in rows}
    others = {
        row.id: row for row in session.query(AnnotationRow).filter(AnnotationRow.id.in_(other_ids or {-1}))
    }
    titles: dict[int, str] = dict(
        session.execute(
            text("SELECT id, title FROM articles WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": sorted({row.article_id for row in others.values()}) or [-1]},
        ).all()
    )
    views = []
    for row in rows:
        out = row.source_id == me
        other = others[row.target_id if out else row.source_id]
        source_uuid = annotation_uuid if out else other.uuid
        target_uuid = other.uuid if out else annotation_uuid
        link = Link(row.id, row.uuid, source_uuid, target_uuid, LinkType(row.type), row.created_at)
        views.append((link, "out" if out else "in", annotation_from_row(other), titles[other.article_id]))
    return views


def link_views_for(
    session: Session, annotation_uuids: Sequence[str]
) -> dict[str, list[tuple[Link, str, Annotation, str]]]:
    """`link_views` of many annotations at once (an open article's), in three queries whatever
    their number: the links touching any of them, the annotations at their other ends, and
    those annotations' article titles. One `link_views` per annotation took 706 ms for 1,000."""
    found: dict[str, list[tuple[Link, str, Annotation, str]]] = {}
    if not annotation_uuids:
        return found
    ids: dict[int, str] = {}
    uuids = list(dict.fromkeys(annotation_uuids))
    for offset in range(0, len(uuids), 500):  # SQLite's bound-parameter limit
        chunk = uuids[offset : offset + 500]
        ids.update(
            session.query(AnnotationRow.id, AnnotationRow.uuid).filter(AnnotationRow.uuid.in_(chunk)).all()
        )
    if not ids:
        return found
    mine = sorted(ids)
    links = (
        session.query(LinkRow)
        .filter(LinkRow.source_id.in_(mine) | LinkRow.target_id.in_(mine))
        .order_by(LinkRow.id)
        .all()
    )
    ends = {row.source_id for row in links} | {row.target_id for row in links}
    rows = {row.id: row for row in session.query(AnnotationRow).filter(AnnotationRow.id.in_(ends or {-1}))}
    titles: dict[int, str] = dict(
        session.execute(
            text("SELECT id, title FROM articles WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": sorted({row.article_id for row in rows.values()}) or [-1]},
        ).all()
    )
    annotations = {row_id: annotation_from_row(row) for row_id, row in rows.items()}
    for row in links:
        for me, other_id, direction in (
            (row.source_id, row.target_id, "out"),
            (row.target_id, row.source_id, "in"),
        ):
            if me not in ids or other_id not in rows:
                continue
            source, target = rows[row.source_id].uuid, rows[row.target_id].uuid
            link = Link(row.id, row.uuid, source, target, LinkType(row.type), row.created_at)
            other = annotations[other_id]
            found.setdefault(ids[me], []).append((link, direction, other, titles[other.article_id]))
    return found


def link_between(session: Session, a_uuid: str, b_uuid: str, type_: LinkType) -> str | None:
    """The uuid of a link of `type_` between the two annotations, in either direction."""
    ids: dict[str, int] = dict(
        session.execute(
            text("SELECT uuid, id FROM annotations WHERE uuid IN (:a, :b)"), {"a": a_uuid, "b": b_uuid}
        ).all()
    )
    if a_uuid not in ids or b_uuid not in ids:
        return None
    return session.execute(
        text(
            "SELECT uuid FROM links WHERE type = :t AND ((source_id = :a AND target_id = :b) "
            "OR (source_id = :b AND target_id = :a))"
        ),
        {"t": type_.value, "a": ids[a_uuid], "b": ids[b_uuid]},
    ).scalar()


def delete_link(session: Session, uuid: str) -> None:
    deleted = session.query(LinkRow).filter(LinkRow.uuid == uuid).delete()
    if not deleted:
        raise NotFound(f"no link {uuid}")
