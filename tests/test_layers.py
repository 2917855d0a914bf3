"""Layering (docs/ARCHITECTURE.md §2), checked on the source: each layer imports only what it may."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "nkreader"

ALLOWED = {
    "cli": {"tui", "services", "domain", "store", "export", "text"},
    "tui": {"services", "text", "domain", "suggest"},
    "services": {"store", "ingest", "export", "text", "domain", "suggest"},
    "suggest": {"text", "domain"},
    "store": {"domain"},
    "ingest": {"text", "domain"},
    "export": {"domain"},
    "text": {"domain"},
    "domain": set(),
}


def layer_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts or p.name != "env.py")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layer_imports(path: Path) -> None:
    layer = layer_of(path)
    if layer not in ALLOWED:
        return  # __init__, __main__: entry points
    for name in imports(path):
        top = name.split(".")[0]
        if top == "textual":
            assert layer == "tui", f"{path.name} imports textual outside tui"
        if top == "sqlalchemy":
            assert layer == "store", f"{path.name} imports sqlalchemy outside store"
        if top == "nkreader" and name.count(".") >= 1:
            target = name.split(".")[1]
            if target in ALLOWED and target != layer:
                assert target in ALLOWED[layer], f"{layer} may not import {target} ({path.name}: {name})"


def test_import_linter_contracts_mirror_this_table() -> None:
    """`lint-imports` (in the README's test command) checks the same rules, on every import
    including indirect ones' first step: pyproject's contracts must say what ALLOWED says."""
    import tomllib

    config = tomllib.loads((PACKAGE.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    forbidden = {
        c["source_modules"][0].removeprefix("nkreader."): {
            m.removeprefix("nkreader.") for m in c["forbidden_modules"] if m.startswith("nkreader.")
        }
        for c in contracts
        if c["type"] == "forbidden"
    }
    assert set(forbidden) == set(ALLOWED)
    for layer, allowed in ALLOWED.items():
        assert forbidden[layer] == set(ALLOWED) - allowed - {layer}, layer
