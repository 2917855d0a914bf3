"""A call imports only the command it runs (issue 14: every command module cost 0.6–0.8 s per call),
and `nkreader --help` still lists every command with the same help lines."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

import nkreader.cli
from nkreader.cli import main
from nkreader.cli.registry import COMMANDS

PROBE = """
import json, sys
from nkreader.cli import main
try:
    main(sys.argv[1:], prog_name="nkreader")
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules if m.startswith("nkreader.cli.") and m.endswith("_cmd"))
heavy = sorted(m for m in ("sqlalchemy", "sqlalchemy.orm", "httpx", "rapidfuzz") if m in sys.modules)
print(json.dumps({"loaded": loaded, "heavy": heavy}))
"""


def _probe(*args: str) -> tuple[str, dict[str, list[str]]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True, timeout=120
    )
    *output, last = done.stdout.strip().splitlines()
    return "\n".join(output), json.loads(last)


def _all_commands() -> dict[str, click.Command]:
    for module in pkgutil.iter_modules(nkreader.cli.__path__):
        if module.name.endswith("_cmd"):
            importlib.import_module(f"nkreader.cli.{module.name}")
    return dict(main.commands)


def test_the_table_names_every_command_the_modules_define() -> None:
    assert set(_all_commands()) == set(COMMANDS)


@pytest.mark.parametrize("limit", [20, 38, 45, 56, 74, 120])
def test_the_tables_help_shortens_like_the_commands_own(limit: int) -> None:
    commands = _all_commands()
    for name, entry in COMMANDS.items():
        stand_in = click.Command(name, help=entry.help)
        assert stand_in.get_short_help_str(limit) == commands[name].get_short_help_str(limit), name


def test_help_lists_every_command_and_imports_none() -> None:
    output, seen = _probe("--help")
    listed = [line.split()[0] for line in output.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == sorted(COMMANDS)
    assert "Import articles from files and folders (recursively)." in output
    assert seen == {"loaded": [], "heavy": []}


def test_a_command_imports_its_own_module_only() -> None:
    output, seen = _probe("import", "--help")
    assert "Usage: nkreader import" in output
    assert seen["loaded"] == ["nkreader.cli.import_cmd"]
    _, seen = _probe("db", "--help")
    assert seen["loaded"] == ["nkreader.cli.db_cmd", "nkreader.cli.db_restore_cmd"]
    assert (
        "restore"
        in subprocess.run(
            [sys.executable, "-m", "nkreader", "db", "--help"], capture_output=True, text=True, check=True
        ).stdout
    )


def test_an_unknown_command_is_still_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command 'no-such-command'" in result.output
