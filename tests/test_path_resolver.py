"""`ingest.PathResolver` gives what `str(Path.resolve())` gives: an article's origin (and whether a
file was already seen in this import) must not depend on the shortcut."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nkreader.ingest import PathResolver


def test_the_resolver_agrees_with_resolve(tmp_path: Path, monkeypatch) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.txt").write_text("a")
    (real / "sub" / "b.txt").write_text("b")
    (tmp_path / "elsewhere.txt").write_text("c")
    (tmp_path / "linked").symlink_to(real)  # a folder reached through a link
    (real / "to-elsewhere.txt").symlink_to(tmp_path / "elsewhere.txt")  # a file that is a link
    (real / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    monkeypatch.chdir(tmp_path)
    paths = [
        real / "a.txt",
        real / "sub" / "b.txt",
        tmp_path / "linked" / "a.txt",
        tmp_path / "linked" / "sub" / "b.txt",
        Path("linked/a.txt"),
        Path("real/sub/../a.txt"),
        Path("linked/sub/.."),
        real / "to-elsewhere.txt",
        tmp_path / "linked" / "to-elsewhere.txt",
        real / "dangling.txt",
        real / "not-there.txt",
        Path("a-relative-missing.txt"),
        Path("."),
    ]
    resolve = PathResolver()
    for _ in range(2):  # the second round from the folder cache
        for path in paths:
            assert resolve(path) == str(path.resolve()), path
    # the cache is per resolver: a new one sees a folder relinked since
    os.remove(tmp_path / "linked")
    (tmp_path / "linked").symlink_to(real / "sub")
    assert PathResolver()(tmp_path / "linked" / "b.txt") == str(real / "sub" / "b.txt")


def test_a_symlink_loop_raises_as_resolve_does(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(RuntimeError):
        loop.resolve()
    with pytest.raises(RuntimeError):
        PathResolver()(loop)
