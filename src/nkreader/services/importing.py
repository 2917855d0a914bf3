"""Import files into the library: read each file, then store each article in its own transaction.

Reading (and its failures) happens before any transaction opens, so a bad file
never holds a lock and never leaves anything behind; a kill between two
articles leaves only whole articles.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nkreader.domain import ArticleDraft
from nkreader.ingest import DEFAULT_MAX_BYTES, IngestError, iter_input_files, read_file
from nkreader.services.library import Library, content_hash
from nkreader.store import repository as repo
from nkreader.store.errors import StoreError


class Outcome(enum.StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    CHANGED = "changed"
    FAILED = "failed"


@dataclass(slots=True)
class ImportEvent:
    """What happened to one article (or one file that yielded none)."""

    outcome: Outcome
    origin: str
    title: str | None = None
    reason: str | None = None
    article_id: int | None = None


@dataclass(slots=True)
class ImportReport:
    events: list[ImportEvent] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for e in self.events if e.outcome is outcome)

    @property
    def imported(self) -> int:
        return self.count(Outcome.IMPORTED)

    @property
    def skipped(self) -> int:
        return self.count(Outcome.DUPLICATE) + self.count(Outcome.CHANGED)

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED)

    def summary(self) -> str:
        return f"imported {self.imported}, skipped {self.skipped}, failed {self.failed}"


ProgressCallback = Callable[[int, int, Path], None]
"""Called with (files done, files in all, current file) as the batch advances."""


def store_draft(library: Library, draft: ArticleDraft) -> ImportEvent:
    """One article, one transaction: a duplicate or a changed article is reported, not stored."""
    origin = draft.origin or "?"
    digest = content_hash(draft.body)
    with library.database.writing() as session:
        if repo.find_article_id_by_hash(session, digest) is not None:
            return ImportEvent(Outcome.DUPLICATE, origin, draft.title, "already in the library")
        existing = repo.find_article_by_url_or_origin(session, draft.url, draft.origin)
        if existing is not None:
            return ImportEvent(
                Outcome.CHANGED,
                origin,
                draft.title,
                f"text differs from article {existing.id} with the same "
                + ("URL" if draft.url and existing.url == draft.url else "origin")
                + " (updating is not supported yet)",
            )
        article = repo.add_article(session, draft, digest)
        return ImportEvent(Outcome.IMPORTED, origin, draft.title, article_id=article.id)


def import_paths(
    library: Library,
    paths: Iterable[Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: ProgressCallback | None = None,
    on_event: Callable[[ImportEvent], None] | None = None,
) -> ImportReport:
    """Import every supported file under `paths`; the rest of a batch goes on past a bad file."""
    report = ImportReport()
    files = list(iter_input_files(paths))

    def record(event: ImportEvent) -> None:
        report.events.append(event)
        if on_event is not None:
            on_event(event)

    for index, path in enumerate(files):
        if progress is not None:
            progress(index, len(files), path)
        try:
            result = read_file(path, max_bytes=max_bytes)
        except IngestError as exc:
            record(ImportEvent(Outcome.FAILED, str(path), reason=str(exc)))
            continue
        for error in result.errors:
            record(ImportEvent(Outcome.FAILED, str(path), reason=error))
        for draft in result.drafts:
            draft.origin = _absolute_origin(path, draft.origin)
            try:
                record(store_draft(library, draft))
            except StoreError:
                raise
            except (ValueError, OverflowError) as exc:
                record(ImportEvent(Outcome.FAILED, str(path), draft.title, f"cannot store: {exc}"))
    if progress is not None and files:
        progress(len(files), len(files), files[-1])
    return report


def _absolute_origin(path: Path, origin: str | None) -> str:
    """Origins are absolute paths (plus '#n' for entries), so re-importing from elsewhere matches."""
    suffix = ""
    if origin and "#" in origin:
        suffix = origin[origin.rindex("#") :]
    return str(path.resolve()) + suffix
