"""`nkreader export`: every format, to stdout or atomically to a file."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

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
from nkreader.domain import Kind


@main.command("export")
@db_option
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["json", "w3c", "csv", "markdown"]),
    default="json",
    show_default=True,
    help="json: nkreader's own, complete; w3c: W3C Web Annotation JSON-LD; csv: one row per "
    "annotation; markdown: a brief per article.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here (default: stdout)."
)
@click.option("--article", "article_ids", type=int, multiple=True, help="Only this article id (repeatable).")
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

    Every file is written atomically: a temporary file beside it, then renamed.
    """
    from nkreader.export import native
    from nkreader.services.exporting import render, write_atomic

    if schema:
        if fmt != "json":
            fail(f"--schema describes the json format only, not {fmt}", EXIT_USAGE)
        click.echo(json.dumps(native.schema(), indent=2, ensure_ascii=False))
        return
    library = open_library(ctx)
    rendered = render(
        library,
        fmt,
        article_ids=article_ids or None,
        kinds=[Kind(k) for k in kinds] or None,
        since=since,
        include_text=not no_text,
    )
    if output is None:
        sys.stdout.write(rendered.text)
        sys.stdout.flush()
        return
    try:
        write_atomic(output, rendered.text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", 1)
    click.echo(
        f"exported {rendered.articles} articles, {rendered.annotations} annotations to {output}", err=True
    )
