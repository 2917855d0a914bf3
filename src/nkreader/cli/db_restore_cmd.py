"""`nkreader db restore FILE`: put a backup (or any library file) into an empty library, e.g. a
new PostgreSQL database for a team (issue 11)."""

from __future__ import annotations

from pathlib import Path

import click

from nkreader.cli.base import db_option, friendly_errors, open_library
from nkreader.cli.db_cmd import db_group
from nkreader.cli.output import printable


@db_group.command("restore")
@db_option
@click.argument("backup", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
@friendly_errors
def db_restore_command(ctx: click.Context, backup: Path) -> None:
    """Copy the library file BACKUP into this library, which must be empty (all or nothing)."""
    library = open_library(ctx)
    copied = library.database.restore_from(backup)
    click.echo(
        f"restored {copied.get('articles', 0)} articles, {copied.get('annotations', 0)} annotations "
        f"from {printable(str(backup))} into {printable(library.location)}"
    )
