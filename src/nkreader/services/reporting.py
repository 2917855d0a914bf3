"""`nkreader report`: the library-wide report of weighed claims (`export.report`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from nkreader.domain import Kind, utcnow
from nkreader.export import report
from nkreader.services.evidence import linked_passages
from nkreader.services.exporting import snapshot
from nkreader.services.library import Library
from nkreader.services.revisions import wording_changes
from nkreader.services.sources import grades_for


def library_report(library: Library, *, since: date | None = None, tag: str | None = None) -> str:
    """The report over every article (dated `since` or later) and its claims (tagged `tag`).

    Quotes and policy statements stay in (the "by source" table counts them); `tag` narrows
    the claims only.
    """
    taken = snapshot(library)
    items = taken.items
    left_out_undated = 0
    if since is not None:
        left_out_undated = sum(1 for item in items if item.article.published is None)
        items = [item for item in items if item.article.published and item.article.published >= since]
    if tag:
        wanted = tag.casefold()
        items = [
            replace(
                item,
                annotations=[
                    a
                    for a in item.annotations
                    if a.kind is not Kind.CLAIM or any(t.casefold() == wanted for t in a.tags)
                ],
            )
            for item in items
        ]
    evidence = linked_passages(library, items)
    uuids = [a.uuid for item in items for a in item.annotations]
    grades = grades_for(library, uuids)
    return report.render(
        items,
        evidence,
        generated_at=utcnow(),
        filters=report.ReportFilters(since=since, tag=tag),
        left_out_undated=left_out_undated,
        grades=grades,
        wording=wording_changes(library, uuids),
    )
