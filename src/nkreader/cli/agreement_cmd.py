"""`nkreader agreement`: how far the library's annotators agree, per pair and kind (issue 11)."""

from __future__ import annotations

import json

import click

from nkreader.cli.base import EXIT_USAGE, db_option, fail, friendly_errors, main, open_library
from nkreader.cli.output import printable
from nkreader.text.agreement import figure


@main.command("agreement")
@db_option
@click.option("--article", "article_ids", type=int, multiple=True, metavar="ID", help="Only this article (repeat for more).")
@click.option("--between", nargs=2, metavar="A B", help="Only this pair of annotators.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per pair and kind.")
@click.pass_context
@friendly_errors
def agreement_command(
    ctx: click.Context, article_ids: tuple[int, ...], between: tuple[str, str] | None, as_json: bool
) -> None:
    """Agreement between annotators, per pair and kind of mark.

    Span agreement of A's marks against B's: precision, recall and F1, for exact matches (same
    start and end) and overlaps (characters in common over characters in either, at least 0.5).
    Chance-corrected per character over the articles both marked: Cohen's kappa and
    Krippendorff's alpha.
    """
    from nkreader.services.agreement import AgreementError, library_agreement

    library = open_library(ctx)
    try:
        results = library_agreement(library, article_ids=article_ids or None, between=between)
    except AgreementError as error:
        fail(str(error), EXIT_USAGE)
    if as_json:
        for result in results:
            click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("pair", overflow="ellipsis", no_wrap=True, max_width=24)
    table.add_column("kind", no_wrap=True)
    table.add_column("marks", justify="right", no_wrap=True)
    table.add_column("exact P/R/F1", no_wrap=True)
    table.add_column("overlap P/R/F1", no_wrap=True)
    table.add_column("kappa", justify="right", no_wrap=True, min_width=5)
    table.add_column("alpha", justify="right", no_wrap=True, min_width=5)
    table.add_column("differ", justify="right", no_wrap=True, min_width=6)
    for r in results:
        table.add_row(
            printable(f"{r.a} / {r.b}"),
            r.kind,
            f"{r.a_marks}/{r.b_marks}",
            " ".join(f"{figure(v):>4}" for v in (r.exact.precision, r.exact.recall, r.exact.f1)),
            " ".join(f"{figure(v):>4}" for v in (r.overlap.precision, r.overlap.recall, r.overlap.f1)),
            figure(r.kappa),
            figure(r.alpha),
            str(len(r.disagreements)),
        )
    Console(soft_wrap=False, highlight=False).print(table)
