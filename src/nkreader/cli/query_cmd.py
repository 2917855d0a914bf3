"""Read-only views of the library: `list`, `show`, `search`, `overview`, and `speakers`."""

from __future__ import annotations

import json
import sys

import click

from nkreader.cli.base import (
    EXIT_USAGE,
    db_option,
    fail,
    friendly_errors,
    main,
    open_library,
)
from nkreader.cli.output import printable, to_terminal
from nkreader.cli.types import ARTICLE_ID, LIMIT
from nkreader.domain import Kind
from nkreader.text.sanitize import escape_json_unsafe


@main.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON document: an array of article objects.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="JSON Lines: one article object per line.")
@click.pass_context
@friendly_errors
def list_command(ctx: click.Context, as_json: bool, as_jsonl: bool) -> None:
    """List articles: id, title, source, date and counts per kind, newest first.

    --json prints one JSON document (an array); --jsonl one object per line, for streaming
    tools. Characters a terminal would act on are written as \\u escapes: the data is the same.
    """
    if as_json and as_jsonl:
        fail("--json and --jsonl: give one of them", EXIT_USAGE)
    library = open_library(ctx)
    rows = library.summaries()
    if as_json or as_jsonl:
        objects = [
            {
                "id": row.id,
                "uuid": row.uuid,
                "title": row.title,
                "source": row.source,
                "published": row.published.isoformat() if row.published else None,
                "counts": {k.value: row.counts[k] for k in Kind},
            }
            for row in rows
        ]
        if as_json:
            click.echo(escape_json_unsafe(json.dumps(objects, ensure_ascii=False, indent=2)))
        else:
            for obj in objects:
                click.echo(escape_json_unsafe(json.dumps(obj, ensure_ascii=False)))
        return
    if not rows:
        click.echo("The library is empty. Add articles with: nkreader import PATH...", err=True)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(soft_wrap=False, highlight=False)
    # Every column but the title has a known width; the title gets the rest, cut with an ellipsis.
    title_width = max(16, console.width - 56)
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", justify="right", no_wrap=True, min_width=3)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=title_width)
    table.add_column("source", overflow="ellipsis", no_wrap=True, min_width=8, max_width=22)
    table.add_column("date", no_wrap=True, min_width=10)
    for kind in Kind:
        table.add_column(kind.letter, justify="right", header_style="bold", no_wrap=True, min_width=2)
    for row in rows:
        # an undated article says so: its import date is no publication date (issue 17)
        day = row.published.isoformat() if row.published else Text("no date", style="italic")
        table.add_row(
            str(row.id),
            Text(printable(row.title)),
            Text(printable(row.source or "")),
            day,
            *(str(row.counts[k]) for k in Kind),
        )
    console.print(table)


@main.command("show")
@db_option
@click.argument("article_id", type=ARTICLE_ID)
@click.option(
    "--header/--no-header",
    default=False,
    help="Print the title and metadata first (default: only the text, which offsets refer to).",
)
@click.pass_context
@friendly_errors
def show_command(ctx: click.Context, article_id: int, header: bool) -> None:
    """Print the stored text of an article (what every offset refers to).

    On a terminal, characters it would act on (escape sequences, C1 controls, bidi overrides)
    are shown as U+FFFD; redirected to a file or a pipe, the text is written as stored.
    """
    library = open_library(ctx)
    article = library.article(article_id)
    if header:
        click.echo(printable(article.title))
        meta = [
            article.source,
            article.author,
            article.published and article.published.isoformat(),
            article.url,
        ]
        line = " · ".join(printable(m) for m in meta if m)
        if line:
            click.echo(line)
        click.echo()
    # not click.echo: it drops ANSI sequences from piped output, and a file gets the text as stored
    sys.stdout.write(to_terminal(article.body) + "\n")
    sys.stdout.flush()


@main.command("search")
@db_option
@click.argument("query")
@click.option(
    "--in",
    "scope",
    type=click.Choice(["articles", "annotations"]),
    help="Search only articles or only annotations (default: both).",
)
@click.option("--kind", type=click.Choice([k.value for k in Kind]), help="Only annotations of this kind.")
@click.option("--limit", type=LIMIT, default=50, show_default=True, help="At most this many results.")
@click.pass_context
@friendly_errors
def search_command(ctx: click.Context, query: str, scope: str | None, kind: str | None, limit: int) -> None:
    """Full-text search of articles and annotations, best first.

    QUERY uses FTS5 syntax: words (all must match), "a phrase", prefix*, AND, OR, NOT,
    parentheses, column filters (title:, source:, body:, exact:, note:, speaker:, tags:).
    Korean text is matched inside words (쌀값 finds 쌀값이). Exit status 0 with results,
    1 with none, 2 for a query that cannot be read.
    """
    from rich.console import Console
    from rich.text import Text

    from nkreader.services.search import SearchError, search

    library = open_library(ctx)
    try:
        hits = search(library, query, scope=scope or "all", kind=Kind(kind) if kind else None, limit=limit)
    except SearchError as exc:
        fail(str(exc), EXIT_USAGE)
    if not hits:
        click.echo("no results", err=True)
        sys.exit(1)
    console = Console(soft_wrap=True, highlight=False)
    for hit in hits:
        head = Text()
        if hit.kind == "annotation" and hit.annotation_kind is not None:
            head.append(f"[{hit.annotation_kind.letter}] ", style="bold")
        head.append(printable(hit.article_title), style="bold")
        meta = [printable(hit.source or ""), hit.published.isoformat() if hit.published else ""]
        meta.append(f"article {hit.article_id} @{hit.offset}")
        head.append("  " + " · ".join(m for m in meta if m), style="dim")
        console.print(head)
        line = Text("  ")
        for piece, matched in hit.snippet:
            line.append(printable(piece), style="bold" if matched else "")
        console.print(line)


@main.command("speakers")
@db_option
@click.option("--merge", nargs=2, metavar="KEEP OTHER", help="Rewrite OTHER (and its aliases) to KEEP.")
@click.option("--alias", nargs=2, metavar="NAME ALIAS", help="Make ALIAS another spelling of NAME.")
@click.pass_context
@friendly_errors
def speakers_command(
    ctx: click.Context, merge: tuple[str, str] | None, alias: tuple[str, str] | None
) -> None:
    """List speakers (canonical name, aliases, counts per kind), most used first; or merge
    two speakers, or add an alias."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from nkreader.services import speakers as speaker_service

    library = open_library(ctx)
    try:
        if merge:
            changed = speaker_service.merge(library, merge[0], merge[1])
            click.echo(
                f"merged {printable(merge[1])} into {printable(merge[0])}: {changed} annotations changed"
            )
            return
        if alias:
            name = speaker_service.add_alias(library, alias[0], alias[1])
            click.echo(f"{printable(alias[1])} is now an alias of {printable(name)}")
            return
    except speaker_service.SpeakerError as exc:
        fail(str(exc), EXIT_USAGE)
    rows = speaker_service.speakers(library)
    if not rows:
        click.echo("No speakers yet.", err=True)
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("speaker", no_wrap=True, overflow="ellipsis")
    table.add_column("aliases", overflow="fold")
    for label in ("Q", "P", "C", "total"):
        table.add_column(label, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(
            Text(printable(row.name)),
            Text(printable(", ".join(row.aliases))),
            str(row.quotes),
            str(row.policies),
            str(row.claims),
            str(row.total),
        )
    Console(soft_wrap=False, highlight=False).print(table)


@main.command("overview")
@db_option
@click.pass_context
@friendly_errors
def overview_command(ctx: click.Context) -> None:
    """Counts per kind, per source and per month, and the most quoted speakers."""
    from nkreader.services.overview import overview

    library = open_library(ctx)
    data = overview(library)
    click.echo(f"articles:    {data.articles}")
    click.echo(
        f"annotations: {data.annotations} ("
        + ", ".join(f"{data.per_kind[k]} {k.plural.lower()}" for k in Kind)
        + ")"
    )
    click.echo("per source:")
    for source, count in data.per_source:
        click.echo(f"  {count:6d}  {printable(source or '(no source)')}")
    click.echo("per month:")
    for month, count in data.per_month:  # "undated" last: articles without a publication date
        click.echo(f"  {count:6d}  {month}")
    if data.top_speakers:
        click.echo("top speakers:")
        for name, count in data.top_speakers:
            click.echo(f"  {count:6d}  {printable(name)}")
