"""Reading one input file safely: only regular files, never more than a limit, never a hang.

`st_size` is 0 for devices and FIFOs, so a size check alone lets `/dev/zero` be read until memory
runs out and a FIFO block forever; and `read(limit + 1)` allocates the whole limit up front.
Here the file is opened without blocking, checked to be regular on the open descriptor (a
symlink to a device is caught too), and read in chunks up to the limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["CHUNK", "FileRefused", "kind_of", "read_limited"]

CHUNK = 1024 * 1024


class FileRefused(Exception):
    """The file cannot be read as input; `str(error)` is a one-line reason for people."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path` (symlinks followed), at most `max_bytes`.

    Raises `FileRefused` for a missing file, a symlink loop, a folder, FIFO, device or socket,
    a file over the limit, or an OS error (with its reason).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise FileRefused("symbolic link loop") from None
        if error.errno == errno.ENOENT:
            dangling = os.path.lexists(path)
            raise FileRefused("dangling symbolic link" if dangling else "no such file") from None
        raise FileRefused(f"cannot read the file: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"not a file ({kind_of(info.st_mode)})")
        if info.st_size > max_bytes:
            raise FileRefused(
                f"file is too large ({size_text(info.st_size)}; the limit is {size_text(max_bytes)})"
            )
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # grew since it was looked at
                raise FileRefused(f"file is too large (over {size_text(max_bytes)})")
        return b"".join(chunks)
    except OSError as error:
        raise FileRefused(f"cannot read the file: {error.strerror or error}") from None
    finally:
        os.close(fd)
