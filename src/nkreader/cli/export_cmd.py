"""`nkreader export`: every format, to stdout or atomically to a file."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from nkreader.cli.base import (
    EXIT_USAGE,
    db_option,
    fail,
    friendly_errors,
    main,
    open_library,
    parse_date,
)
from nkreader.cli.interchange_out import INTERCHANGE_FORMATS, INTERCHANGE_HELP, export_interchange
from nkreader.cli.output import to_terminal
from nkreader.cli.types import ARTICLE_ID
from nkreader.domain import Kind


@main.command("export")
@db_option
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["json", "w3c", "csv", "markdown", *INTERCHANGE_FORMATS]),
    default="json",
    show_default=True,
    help="json: nkreader's own, complete; w3c: W3C Web Annotation JSON-LD; csv: one row per "
    "annotation; markdown: a brief per article; " + INTERCHANGE_HELP,
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here (default: stdout; brat: a folder)."
)
@click.option(
    "--article", "article_ids", type=ARTICLE_ID, multiple=True, help="Only this article id (repeatable)."
)
@click.option(
    "--kind",
    "kinds",
    type=click.Choice([k.value for k in Kind]),
    multiple=True,
    help="Only annotations of this kind (repeatable).",
)
@click.option(
    "--since", callback=parse_date, help="Only annotations made on or after this date (YYYY-MM-DD)."
)
@click.option(
    "--no-text", is_flag=True, help="Leave article bodies out (json; the other formats never hold them)."
)
@click.option("--schema", is_flag=True, help="Print the JSON Schema of the json format and exit.")
@click.pass_context
@friendly_errors
def export_command(
    ctx: click.Context,
    fmt: str,
    output: Path | None,
    article_ids: tuple[int, ...],
    kinds: tuple[str, ...],
    since: date | None,
    no_text: bool,
    schema: bool,
) -> None:
    """Export articles and their annotations (json by default; see --format, --schema).

    A file is written atomically (a temporary file beside it, then renamed); a symlink is
    followed, a FIFO or device such as /dev/stdout written through; the library itself is
    refused. On a terminal, characters it would act on are shown as U+FFFD (json escapes them).
    """
    from nkreader.export import native
    from nkreader.services.exporting import export_file, render
    from nkreader.services.output_files import TargetRefused, library_files, output_target

    if fmt in INTERCHANGE_FORMATS or (output is not None and output.is_dir()):
        export_interchange(ctx, fmt, output, article_ids, kinds, since, schema=schema)  # issue 17
        return
    if schema:
        if fmt != "json":
            fail(f"--schema describes the json format only, not {fmt}", EXIT_USAGE)
        click.echo(json.dumps(native.schema(), indent=2, ensure_ascii=False))
        return
    library = open_library(ctx)
    protected = library_files(library.database.path)
    if output is not None:
        try:  # refused before the work of rendering
            output_target(output, protected=protected)
        except TargetRefused as exc:
            fail(str(exc), EXIT_USAGE)
    filters: dict[str, Any] = {
        "article_ids": article_ids or None,
        "kinds": [Kind(k) for k in kinds] or None,
        "since": since,
        "include_text": not no_text,
    }
    if output is None:
        rendered = render(library, fmt, **filters)
        sys.stdout.write(to_terminal(rendered.text))
        sys.stdout.flush()
        return
    try:  # json is written as it is encoded (export_file), not held as one string first
        articles, annotations = export_file(library, output, fmt, **filters)
    except TargetRefused as exc:
        fail(str(exc), EXIT_USAGE)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", 1)
    click.echo(f"exported {articles} articles, {annotations} annotations to {output}", err=True)
