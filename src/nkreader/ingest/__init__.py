"""Importers: files in, `ArticleDraft`s out. Pure functions: nothing here writes anything.

- `iter_input_files(paths)` expands the paths given on the command line or in the UI.
- `read_file(path)` reads one file and returns a `ReadResult` (drafts plus a reason for each
  refused entry of a feed or JSON list); a file that cannot be imported at all raises
  `IngestError` whose text is a one-line reason.

Formats, by suffix: `.txt` (text), `.md`/`.markdown` (markdown), `.html`/`.htm` (html),
`.json` (json, see `nkreader.ingest.jsonfile` for the fields), `.xml`/`.rss`/`.atom` (feed).
Every title, metadata string and body goes through `nkreader.text.normalize`, so no escape
sequence, control character or bidi override reaches the store or the terminal.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from nkreader.ingest.base import IngestError, ReadResult
from nkreader.ingest.files import FileRefused, read_limited
from nkreader.text.normalize import normalize_line

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "FORMAT_BY_SUFFIX",
    "SUPPORTED_SUFFIXES",
    "IngestError",
    "PathResolver",
    "ReadResult",
    "input_entries",
    "iter_input_files",
    "read_bytes",
    "read_file",
]

FORMAT_BY_SUFFIX: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(FORMAT_BY_SUFFIX)
FORMATS: frozenset[str] = frozenset(FORMAT_BY_SUFFIX.values())
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files of `input_entries` that are not refused on sight."""
    return (path for path, refusal in input_entries(paths) if refusal is None)


def input_entries(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Files to import, each with None or the reason it is refused without being read.

    Each path given is yielded whatever it is (missing, a loop, unsupported ...), so `read_file`
    can report why it cannot be read. Each folder's supported files are yielded recursively,
    sorted; hidden files and folders (name starting with "."), unsupported suffixes and a
    folder's own `README` (any supported suffix: it describes the folder, it is not an article)
    are skipped, and symlinked folders are not followed. Inside a folder nothing is dropped
    silently: a FIFO, a device, a dangling link or a loop is yielded (and refused when read, so it
    is counted), and a symlink to a file outside the folder is refused here (importing a folder
    never reads files elsewhere on the system). A file reached twice is yielded once.
    """
    seen: set[str] = set()
    resolve = PathResolver()

    def fresh(path: Path) -> bool:
        try:
            key = resolve(path)
        except (OSError, RuntimeError):
            key = str(path.absolute())
        if key in seen:
            return False
        seen.add(key)
        return True

    for given in paths:
        path = Path(given)
        if not path.is_dir():
            if fresh(path):
                yield path, None
            continue
        try:
            root = path.resolve()
        except (OSError, RuntimeError):
            root = path.absolute()
        # sorted by the parts of the path inside the folder, as strings (one Path per file)
        top = os.fspath(path)
        found: list[tuple[tuple[str, ...], str]] = []
        for folder, dirs, files in os.walk(top, followlinks=False):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            inside = folder[len(top) :].strip(os.sep)
            parts = tuple(inside.split(os.sep)) if inside else ()
            for name in files:
                if not _skipped_in_folder(name):
                    found.append(((*parts, name), os.path.join(folder, name)))
        for _, name in sorted(found):
            file = Path(name)
            if not fresh(file):
                continue
            yield file, _outside(file, root)


class PathResolver:
    """`Path.resolve()` for many files in a few folders, each folder resolved once.

    `resolve()` walks every component of the path with a system call each (and stats the result):
    twice per file, it was a tenth of a .txt import. A file that is not a symbolic link resolves
    to its folder's real path plus its name, so only the file itself is looked at; a link, `.`
    or `..` takes `resolve()` itself. Hold one only for one pass over the files: a folder moved
    or relinked later is not seen.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path) -> str:
        """`str(path.resolve())`, raising what it raises."""
        text = os.fspath(path)
        parent, name = os.path.split(text)
        if name in ("", ".", "..") or os.path.islink(text):
            return str(path.resolve())
        folder = self._folders.get(parent)
        if folder is None:
            folder = self._folders[parent] = str(path.parent.resolve())
        return os.path.join(folder, name)


def _outside(file: Path, root: Path) -> str | None:
    """A reason when `file` is a symlink whose target lies outside the folder being imported."""
    if not file.is_symlink():
        return None
    try:
        target = file.resolve(strict=True)
    except (OSError, RuntimeError):
        return None  # dangling or a loop: read_file names it
    if target == root or root in target.parents:
        return None
    return f"a symbolic link to {target}, outside the folder being imported (import that file itself)"


def _skipped_in_folder(name: str) -> bool:
    path = Path(name)
    return (
        name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES or path.stem.lower() == "readme"
    )


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read one file into article drafts; `origin` is `str(path)` (plus `#n` for list entries).

    Raises `IngestError` when the whole file cannot be imported: unsupported suffix, missing or
    unreadable, larger than `max_bytes`, empty, binary, undecodable, malformed beyond recovery,
    or without text once extracted. Refused entries of a feed or JSON list are in `errors`.
    """
    path = Path(path)
    origin = str(path)
    fmt = _format_of(path)
    try:
        data = read_limited(path, max_bytes)
    except FileRefused as error:
        raise IngestError(str(error), origin) from None
    return read_bytes(data, fmt, origin=origin)


def read_bytes(data: bytes, fmt: str, *, origin: str) -> ReadResult:
    """Read the bytes of one document in format `fmt` (one of `FORMATS`); `origin` names it."""
    # each reader is imported when its format is first read: trafilatura and lxml (html),
    # feedparser (feeds), markdown-it and yaml (markdown) cost 0.2-0.4 s to import, and a
    # folder of .txt files needs none of them
    try:
        if fmt == "text":
            from nkreader.ingest.plaintext import read_text

            return ReadResult([read_text(data, origin)], [])
        if fmt == "markdown":
            from nkreader.ingest.markdown import read_markdown_with_notes

            draft, notes = read_markdown_with_notes(data, origin, _title_from_origin(origin))
            return ReadResult([draft], [], {0: notes} if notes else {})
        if fmt == "html":
            from nkreader.ingest.webpage import read_html

            return ReadResult([read_html(data, origin, _title_from_origin(origin))], [])
        if fmt == "json":
            from nkreader.ingest.jsonfile import read_json

            return read_json(data, origin)
        if fmt == "feed":
            from nkreader.ingest.feed import read_feed

            return read_feed(data, origin)
    except IngestError as error:
        error.path = origin
        raise
    except RecursionError:
        raise IngestError("the document is nested too deeply", origin) from None
    raise IngestError(f"unsupported format {fmt!r}", origin)


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in FORMAT_BY_SUFFIX:
        return FORMAT_BY_SUFFIX[suffix]
    shown = normalize_line(suffix)
    if not shown:
        raise IngestError("unsupported file type (no extension)", str(path))
    raise IngestError(f"unsupported file type {shown}", str(path))


def _title_from_origin(origin: str) -> str:
    stem = Path(origin).stem
    return normalize_line(stem.replace("_", " ").replace("-", " ")) or "Untitled"


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"
