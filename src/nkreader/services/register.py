"""The claim register (issue 6): verification status of annotations."""

from __future__ import annotations

from nkreader.domain import Annotation, Status
from nkreader.services.library import EditConflict, Library, store_fields

__all__ = ["set_status"]


def set_status(library: Library, uuid: str, status: Status, *, seen: Annotation | None = None) -> Annotation:
    """Set the status of an annotation (any kind; the app offers it for claims); returns it stored.

    Read and written in one transaction, as a field-level edit: only the status is written.
    With `seen` (the annotation as the user saw it) the write names its version, and if another
    window set a different status first, that one is kept and EditConflict (a StoreError) says
    so. NotFound (a StoreError) when there is no such annotation.
    """
    from nkreader.store.annotations import get_annotation

    with library.database.writing() as session:
        current = get_annotation(session, uuid)
        version = seen.version if seen is not None else current.version
        outcome = store_fields(session, uuid, version, {"status": Status(status)}, seen, by=library.annotator)
    if outcome.lost:
        raise EditConflict(outcome)
    return outcome.annotation
