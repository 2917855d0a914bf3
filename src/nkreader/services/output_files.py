"""Where an export or a backup may be written, and writing it there without harm.

`export -o PATH` and `db backup PATH` used to replace whatever was at PATH with a new regular
file: the library itself (corrupting it while another process wrote), a symlink, a FIFO,
`/dev/stdout`, even `/dev/null` when run as root. The rules now:

- the library's own files (the database and its `-wal`, `-shm`, `-journal`), by any path that
  leads to them (symlinks, `..`), are refused;
- a symlink is followed: the file it points to is replaced atomically, the link stays;
- a FIFO, a terminal or another character device (`/dev/stdout`, `/dev/null`) is written
  through, never replaced (exports only: a backup is a database file, so it refuses them);
- a folder or a block device is refused;
- a regular file (or a new one) is replaced atomically: a temporary file beside it, then a
  rename. The temporary file's name holds the writer's process id, so one left by an export that
  was killed is removed by the next export to the same place.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

__all__ = [
    "TargetRefused",
    "backup_target",
    "library_files",
    "output_target",
    "write_atomic",
    "write_output",
]


class TargetRefused(Exception):
    """The target cannot be written; `str()` is a one-line reason."""


def library_files(database_path: Path | None) -> set[Path]:
    """The files that make up an SQLite library (resolved), or none for a server database."""
    if database_path is None:
        return set()
    base = Path(os.path.realpath(database_path))
    return {base, *(base.with_name(base.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}


def _resolved(path: Path) -> Path:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise TargetRefused(f"{path} is a symbolic link loop") from None
    return Path(os.path.realpath(path.expanduser()))


def _refuse_library(path: Path, real: Path, protected: set[Path]) -> None:
    """Refuse `path` when it is (by name after symlinks, or as the same inode) a library file."""
    hit = real if real in protected else None
    if hit is None:
        try:
            target = os.stat(path)
        except OSError:
            target = None
        if target is not None:
            for candidate in protected:
                try:
                    same = os.stat(candidate)
                except OSError:
                    continue
                if (same.st_dev, same.st_ino) == (target.st_dev, target.st_ino):
                    hit = candidate
                    break
    if hit is not None:
        main = min(protected, key=lambda p: len(str(p)))
        what = "the library itself" if hit == main else "a file of the library"
        raise TargetRefused(f"{path} is {what}: choose another file")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a regular file"


def output_target(path: Path, *, protected: Iterable[Path] = ()) -> tuple[Path, bool]:
    """Where an export to `path` goes: (the path to open, whether it is written through rather
    than replaced). Raises TargetRefused for the library, a folder or a block device."""
    path = path.expanduser()
    real = _resolved(path)
    _refuse_library(path, real, set(protected))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return real, False
    if stat.S_ISREG(mode):
        return real, False
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode):
        # opened by the name given: /dev/stdout resolves to /proc/self/fd/1, whose target
        # ("pipe:[…]") is no path at all
        return path, True
    raise TargetRefused(f"{path} is {_kind(mode)}, not a file")


def write_output(path: Path, text: str | Iterable[str], *, protected: Iterable[Path] = ()) -> None:
    """Write an export to `path` by the rules of this module; raises TargetRefused or OSError.
    `text` may come in pieces (`native.iter_dumps`), written as they come."""
    real, through = output_target(path, protected=protected)
    if through:
        _write_through(real, text)
    else:
        write_atomic(real, text)


def _write_through(path: Path, text: str | Iterable[str]) -> None:
    """Write into an existing FIFO or device as it is (no temporary file, no truncation of a
    device's node, nothing replaced)."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        _write(handle, text)


def _write(handle: TextIO, text: str | Iterable[str]) -> None:
    if isinstance(text, str):
        handle.write(text)
    else:
        handle.writelines(text)


def backup_target(path: Path, *, protected: Iterable[Path]) -> Path:
    """The regular file a backup may be renamed onto (symlinks followed); raises TargetRefused."""
    path = path.expanduser()
    real = _resolved(path)
    _refuse_library(path, real, set(protected))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real
    if not stat.S_ISREG(mode):
        raise TargetRefused(f"{path} is {_kind(mode)}: a backup is a database file, give a file path")
    return real


_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?:(?P<pid>\d+)-)?[0-9a-f]{12}\.tmp$")


def _remove_stale_temporaries(directory: Path, name: str) -> None:
    """Temporary files of earlier writes to `name` whose writer is no longer running."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None or match["name"] != name:
            continue
        pid = int(match["pid"]) if match["pid"] else None
        if pid is not None and pid != os.getpid() and _alive(pid):
            continue
        if pid == os.getpid():
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def write_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file.

    The file gets the permissions the user's umask gives new files (or those of the file it
    replaces), not the owner-only ones of a temporary file.
    """
    path = path.expanduser()
    directory = path.parent if str(path.parent) else Path(".")
    _remove_stale_temporaries(directory, path.name)
    while True:
        temporary = directory / f".{path.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            _write(handle, text)
            handle.flush()
            with contextlib.suppress(OSError):
                os.chmod(handle.fileno(), stat.S_IMODE(path.stat().st_mode))
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
