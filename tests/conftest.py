"""Shared fixtures. Tests never touch the user's real data or config folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkreader.services.library import Library

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_articles"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("NKREADER_CONFIG", str(home / "config" / "nkreader" / "config.toml"))
    monkeypatch.delenv("NKREADER_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


@pytest.fixture
def library(db_path: Path):
    lib = Library.open(str(db_path))
    yield lib
    lib.close()


def shared_folder(*parts: str) -> Path:
    """A folder of ../shared, or a clean skip where it is absent (a user's clone has none)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (the team's shared folder)")
    return path
