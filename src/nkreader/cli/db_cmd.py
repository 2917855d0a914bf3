"""`nkreader db path|check|backup`: where the library lives, and keeping it safe."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from nkreader.cli.base import (
    EXIT_USAGE,
    db_option,
    fail,
    friendly_errors,
    main,
    open_library,
)
from nkreader.cli.output import printable
from nkreader.domain import Kind


@main.group("db")
def db_group() -> None:
    """Where the library lives, and keeping it safe."""


@db_group.command("path")
@db_option
@click.pass_context
def db_path_command(ctx: click.Context) -> None:
    """Print the location of the library database."""
    from nkreader.store.engine import resolve_db_url, sqlite_path

    url = resolve_db_url(ctx.find_root().obj.get("db"))
    path = sqlite_path(url)
    click.echo(str(path) if path is not None else url)


@db_group.command("check")
@db_option
@click.pass_context
@friendly_errors
def db_check_command(ctx: click.Context) -> None:
    """Check integrity, schema version and counts."""
    from nkreader.store import migrate
    from nkreader.store.errors import StoreCorrupt
    from nkreader.store.stats import count_annotations_by_kind, count_articles

    library = open_library(ctx)
    database = library.database
    problems = database.integrity_check()
    click.echo(f"database:   {printable(library.location)}")
    click.echo(f"schema:     {database.revision()} (this version: {migrate.head_revision()})")
    try:
        with database.reading() as session:
            articles = count_articles(session)
            counts = count_annotations_by_kind(session)
    except StoreCorrupt:
        click.echo("articles:   cannot be counted (damaged)")
    else:
        click.echo(f"articles:   {articles}")
        click.echo("annotations: " + ", ".join(f"{counts[k]} {k.plural.lower()}" for k in Kind))
    click.echo("integrity:  " + ("ok" if problems == ["ok"] else printable("; ".join(problems[:5]))))
    if problems != ["ok"]:
        sys.exit(5)


@db_group.command("backup")
@db_option
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
@friendly_errors
def db_backup_command(ctx: click.Context, path: Path | None) -> None:
    """Copy the library consistently, even while the app is running.

    PATH must not be the library (or its -wal/-shm files); a symlink is followed, a FIFO or a
    device is refused (a backup is a database file).
    """
    from nkreader.services.output_files import TargetRefused, backup_target, library_files

    library = open_library(ctx)
    source = library.database.path
    if path is None:
        if source is None:
            fail("give a PATH to back a server database up to", EXIT_USAGE)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = source.with_name(f"{source.stem}.backup-{stamp}{source.suffix}")
    try:
        target = backup_target(path, protected=library_files(source))
    except TargetRefused as exc:
        fail(str(exc), EXIT_USAGE)
    try:
        library.database.backup_to(target)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}", 1)
    click.echo(f"backed up to {path}")
