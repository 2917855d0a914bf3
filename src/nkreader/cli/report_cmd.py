"""`nkreader report`: the claims that have been weighed, across the library, as Markdown."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from nkreader.cli.base import db_option, fail, friendly_errors, main, open_library, parse_date
from nkreader.cli.output import printable


@main.command("report")
@db_option
@click.option("--since", callback=parse_date, help="Only articles dated on or after this day (YYYY-MM-DD).")
@click.option("--tag", help="Only claims with this tag (any case).")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write here (default: stdout)."
)
@click.pass_context
@friendly_errors
def report_command(ctx: click.Context, since: date | None, tag: str | None, output: Path | None) -> None:
    """A Markdown report of corroborated, disputed and refuted claims across articles (and the
    unverified ones with linked evidence), with the passages that corroborate or contradict them,
    their speakers and grades, a citation per claim, and tables by source and by outlet.
    Undated articles say "no date"; with --since they are left out and counted."""
    from nkreader.services.exporting import write_atomic
    from nkreader.services.reporting import library_report

    library = open_library(ctx)
    text = library_report(library, since=since, tag=tag)
    if output is None:
        if sys.stdout.isatty():  # stored text never acts on a terminal
            text = "\n".join(printable(line) for line in text.split("\n"))
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", 1)
    click.echo(f"report written to {output}", err=True)
