"""The claim register (issue 6): verification status of annotations."""

from __future__ import annotations

from dataclasses import replace

from nkreader.domain import Annotation, Status, utcnow
from nkreader.services.library import Library
from nkreader.store.annotations import get_annotation, update_annotation

__all__ = ["set_status"]


def set_status(library: Library, uuid: str, status: Status) -> Annotation:
    """Set the status of an annotation (any kind; the app offers it for claims); returns it stored.

    Read and written in one transaction. NotFound (a StoreError) when there is no such annotation.
    """
    with library.database.writing() as session:
        annotation = get_annotation(session, uuid)
        if annotation.status is Status(status):
            return annotation
        return update_annotation(session, replace(annotation, status=Status(status), updated_at=utcnow()))
