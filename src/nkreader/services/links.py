"""Links between annotations, in any articles (issue 6): corroborates, contradicts, same-as, cites."""

from __future__ import annotations

from collections.abc import Sequence

from nkreader.domain import Link, LinkType, LinkView, new_uuid, utcnow
from nkreader.services.library import Library

__all__ = ["LinkError", "LinkView", "link", "links_of", "restore_link", "unlink"]


class LinkError(ValueError):
    """A link that cannot be made: to itself, or one that is already there."""


def link(library: Library, source_uuid: str, target_uuid: str, type: LinkType) -> Link:
    """Link two annotations (source -> target); returns the stored link.

    Refused with LinkError: a link of an annotation to itself, a second link of the same type
    between the same two annotations (in either direction), an annotation that does not exist.
    """
    from nkreader.store.annotations import find_annotation
    from nkreader.store.links import add_link, link_between

    if source_uuid == target_uuid:
        raise LinkError("an annotation cannot be linked to itself")
    with library.database.writing() as session:
        for uuid in (source_uuid, target_uuid):
            if find_annotation(session, uuid) is None:
                raise LinkError(f"no annotation {uuid}")
        if link_between(session, source_uuid, target_uuid, LinkType(type)) is not None:
            raise LinkError(f"these annotations are already linked ({LinkType(type).value})")
        stored = add_link(session, Link(None, new_uuid(), source_uuid, target_uuid, LinkType(type), utcnow()))
        if stored is None:  # pragma: no cover - checked above, in the same transaction
            raise LinkError("the link could not be stored")
        return stored


def unlink(library: Library, link_uuid: str) -> Link:
    """Delete a link; returns it as it was (give it to `restore_link` to undo). LinkError if absent."""
    from nkreader.store.links import delete_link, find_link

    with library.database.writing() as session:
        found = find_link(session, link_uuid)
        if found is None:
            raise LinkError(f"no link {link_uuid}")
        delete_link(session, link_uuid)
        return found


def restore_link(library: Library, link: Link) -> Link:
    """Bring back a deleted link with its uuid and time (undo of `unlink`)."""
    from nkreader.store.links import add_link

    with library.database.writing() as session:
        stored = add_link(session, link)
        if stored is None:
            raise LinkError("the link's annotations are gone, or it is already there")
        return stored


def links_of(library: Library, annotation_uuid: str) -> list[LinkView]:
    """Every link of an annotation, both directions, by link id, with the other end and its article."""
    from nkreader.store.links import link_views

    with library.database.reading() as session:
        return [
            LinkView(link=link, direction=direction, other=other, other_article_title=title)
            for link, direction, other, title in link_views(session, annotation_uuid)
        ]


def links_of_many(library: Library, annotation_uuids: Sequence[str]) -> dict[str, list[LinkView]]:
    """`links_of` for many annotations (an open article's) in one read: by annotation uuid,
    only those with links."""
    from nkreader.store.links import link_views_for

    with library.database.reading() as session:
        return {
            uuid: [
                LinkView(link=link, direction=direction, other=other, other_article_title=title)
                for link, direction, other, title in views
            ]
            for uuid, views in link_views_for(session, annotation_uuids).items()
        }
