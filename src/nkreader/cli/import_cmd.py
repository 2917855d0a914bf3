"""`nkreader import` (articles from files) and `nkreader import-annotations` (merge an export)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from nkreader.cli.base import (
    EXIT_FAILED_ITEMS,
    db_option,
    fail,
    friendly_errors,
    main,
    open_library,
)
from nkreader.cli.output import printable, progress_bar
from nkreader.cli.types import SIZE_MB


@main.command("import")
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--max-size",
    type=SIZE_MB,
    default=20.0,
    show_default=True,
    help="Refuse files larger than this many megabytes.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only refused files and the summary.")
@click.option(
    "--update",
    is_flag=True,
    help="Replace the text of an article whose URL or origin matches but whose text differs "
    "(the old text is kept as a revision) and re-anchor its annotations.",
)
@click.pass_context
@friendly_errors
def import_command(
    ctx: click.Context, paths: tuple[Path, ...], max_size: float, quiet: bool, update: bool
) -> None:
    """Import articles from files and folders (recursively).

    Formats: .txt, .md (YAML front matter), .html/.htm, .json, and RSS/Atom feeds
    (.xml, .rss, .atom). Text already in the library is skipped; a refused file
    gets one line naming it and the reason, and the rest of the batch goes on.
    An article with a known URL or origin but another text is reported as changed
    and skipped, unless --update: then its text is replaced and each annotation is
    re-anchored (anchored, moved, fuzzy, or orphaned: never deleted).
    Exit status 0 when nothing failed, 1 otherwise.
    """
    from nkreader.services.importing import ImportEvent, Outcome, import_paths

    library = open_library(ctx, create=True)
    # a dangling symlink or a loop is there (lexists), and read_file says which it is
    missing = [p for p in paths if not os.path.lexists(p)]
    present = [p for p in paths if os.path.lexists(p)]

    def show(event: ImportEvent) -> None:
        if event.outcome is Outcome.FAILED:
            click.echo(f"refused {printable(event.origin)}: {printable(event.reason or '')}", err=True)
        elif event.outcome is Outcome.CHANGED:
            click.echo(f"changed {printable(event.origin)}: {printable(event.reason or '')}", err=True)
        elif event.outcome is Outcome.UPDATED:
            click.echo(f"updated {printable(event.origin)}: {printable(event.reason or '')}", err=True)
        elif event.outcome is Outcome.IMPORTED and event.reason:
            click.echo(f"imported {printable(event.origin)}: {printable(event.reason)}", err=True)
        elif not quiet and event.outcome is Outcome.DUPLICATE:
            click.echo(f"skipped {printable(event.origin)}: {event.reason}", err=True)

    for path in missing:
        click.echo(f"refused {printable(str(path))}: no such file or folder", err=True)
    with progress_bar(enabled=not quiet) as progress:
        report = import_paths(
            library,
            present,
            max_bytes=int(max_size * 1024 * 1024),
            progress=progress,
            on_event=show,
            update=update,
        )
    failed = report.failed + len(missing)
    updated = f"updated {report.updated}, " if update else ""
    click.echo(f"imported {report.imported}, {updated}skipped {report.skipped}, failed {failed}")
    sys.exit(EXIT_FAILED_ITEMS if failed else 0)


@main.command("import-annotations")
@db_option
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
@friendly_errors
def import_annotations_command(ctx: click.Context, file: Path) -> None:
    """Merge annotations from FILE into the library.

    FILE is an nkreader JSON export (restored exactly; merged by uuid, the newer
    updated_at wins; articles matched by uuid, then URL, then text) or W3C Web
    Annotation JSON-LD from another tool, such as Hypothesis (each annotation
    anchored, through its quote, in the article whose URL is its target source),
    Hypothesis API JSON (a search result or rows), or brat standoff: a .ann file
    with its .txt beside it, or a folder of them (`export -f brat` writes one).
    Importing the same file twice changes nothing. Exit status 0, or 1 when some
    annotations were skipped (each is named on stderr).
    """
    from nkreader.services.annotation_import import AnnotationFileError, import_annotation_file

    library = open_library(ctx, create=True)
    try:
        report = import_annotation_file(library, file)
    except AnnotationFileError as exc:
        fail(f"{file}: {exc}", 1)
    for reason in report.skipped:
        click.echo(f"skipped {printable(reason)}", err=True)
    click.echo(printable(report.summary()))
    sys.exit(EXIT_FAILED_ITEMS if report.skipped else 0)
