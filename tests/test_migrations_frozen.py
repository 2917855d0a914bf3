"""Migrations carry frozen SQL and table definitions: none imports live nkreader code, so a later
edit to the models or the full-text module cannot change what an old migration creates."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

VERSIONS = Path(__file__).resolve().parent.parent / "src" / "nkreader" / "store" / "migrations" / "versions"
MIGRATIONS = sorted(p for p in VERSIONS.glob("[0-9]*.py"))


def test_there_are_migrations() -> None:
    assert len(MIGRATIONS) >= 5


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: p.name)
def test_migration_imports_no_nkreader_code(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [("." * node.level) + (node.module or "")]
        else:
            continue
        for name in names:
            assert not name.startswith(("nkreader", ".")), f"{path.name} imports {name}: freeze what it needs"
