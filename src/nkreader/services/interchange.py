"""Exports for other annotation tools: REFI-QDA (`qdpx`), brat standoff, Label Studio.

`nkreader export -f qdpx|brat|label-studio` comes here. Each reads the same one-transaction
snapshot the other exports read (`exporting.snapshot`), so the filters (`--article`, `--kind`,
`--since`) mean the same thing. `qdpx` is a zip (bytes, written atomically); `brat` is a folder
of files (each written atomically); `label-studio` is JSON text like the other text formats.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from nkreader.domain import Kind, utcnow
from nkreader.export import brat, label_studio, qdpx
from nkreader.services.exporting import Snapshot, snapshot, write_atomic
from nkreader.services.library import Library
from nkreader.services.sources import grades_for

FORMATS = ("qdpx", "brat", "label-studio")
"""Interchange formats: REFI-QDA project, brat standoff folder, Label Studio tasks."""

SUFFIXES = {"qdpx": ".qdpx", "brat": "", "label-studio": ".json"}

HELP = (
    "qdpx: a REFI-QDA project for QualCoder, ATLAS.ti, NVivo, MAXQDA; brat: a folder of .txt + "
    ".ann files (-o names the folder); label-studio: Label Studio tasks (--schema prints its "
    "labeling config)."
)


class ExportTargetError(Exception):
    """The export cannot go where it was asked to (the message says why)."""


@dataclass(slots=True)
class InterchangeResult:
    articles: int
    annotations: int
    """Annotations written (placed in the text)."""
    left_out: int
    """Orphaned or empty annotations: no span in the text, so not in this format."""


def _snapshot(
    library: Library,
    article_ids: Sequence[int] | None,
    kinds: Sequence[Kind] | None,
    since: date | None,
) -> Snapshot:
    return snapshot(library, article_ids=article_ids, kinds=kinds, since=since)


def render_qdpx(
    library: Library,
    *,
    article_ids: Sequence[int] | None = None,
    kinds: Sequence[Kind] | None = None,
    since: date | None = None,
) -> qdpx.QdpxExport:
    taken = _snapshot(library, article_ids, kinds, since)
    grades = grades_for(library, _uuids(taken), wording=True)
    return qdpx.render(
        taken.items, taken.links, exported_at=utcnow(), name=_project_name(library), grades=grades
    )


def _uuids(taken: Snapshot) -> list[str]:
    return [a.uuid for item in taken.items for a in item.annotations]


def _project_name(library: Library) -> str:
    location = library.location
    return f"nkreader library {Path(location).stem}" if location else "nkreader library"


def render_label_studio(
    library: Library,
    *,
    article_ids: Sequence[int] | None = None,
    kinds: Sequence[Kind] | None = None,
    since: date | None = None,
) -> tuple[str, InterchangeResult]:
    taken = _snapshot(library, article_ids, kinds, since)
    grades = grades_for(library, _uuids(taken), wording=True)
    text = label_studio.render(taken.items, taken.links, exported_at=utcnow(), grades=grades)
    total = taken.annotation_count
    placed = sum(1 for item in taken.items for a in item.annotations if brat.placed(item.article, a))
    return text, InterchangeResult(len(taken.items), placed, total - placed)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """`data` to a temporary file beside `path`, then renamed over it (as `write_atomic` does text)."""
    path = path.expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    while True:
        temporary = directory / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            with contextlib.suppress(OSError):
                os.chmod(handle.fileno(), stat.S_IMODE(path.stat().st_mode))
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_qdpx_file(library: Library, target: Path, **filters: object) -> InterchangeResult:
    exported = render_qdpx(library, **filters)  # type: ignore[arg-type]
    if target.exists() and not target.is_file():
        raise ExportTargetError(f"{target} exists and is not a regular file")
    write_bytes_atomic(target, exported.data)
    return InterchangeResult(exported.articles, exported.annotations, exported.left_out)


def export_brat_folder(
    library: Library,
    folder: Path,
    *,
    article_ids: Sequence[int] | None = None,
    kinds: Sequence[Kind] | None = None,
    since: date | None = None,
) -> InterchangeResult:
    """`<id>-<title>.txt` and `.ann` per article, plus brat's `annotation.conf` and `visual.conf`.

    The folder is created when missing; files of the same names are replaced, others left alone.
    """
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise ExportTargetError(f"{folder} exists and is not a folder (brat writes a folder of files)")
    taken = _snapshot(library, article_ids, kinds, since)
    documents = brat.documents(taken.items, taken.links, grades_for(library, _uuids(taken), wording=True))
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "annotation.conf", brat.ANNOTATION_CONF)
    write_atomic(folder / "visual.conf", brat.VISUAL_CONF)
    for document in documents:
        write_atomic(folder / f"{document.name}.txt", document.text)
        write_atomic(folder / f"{document.name}.ann", document.ann)
    return InterchangeResult(
        len(documents), sum(d.written for d in documents), sum(d.left_out for d in documents)
    )
