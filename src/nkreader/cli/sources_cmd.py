"""`nkreader source …` and `nkreader credibility`: the sources register and the Admiralty grades."""

from __future__ import annotations

import json

import click

from nkreader.cli.base import EXIT_USAGE, db_option, fail, friendly_errors, main, open_library
from nkreader.cli.output import printable


@main.group("source")
def source_group() -> None:
    """Sources: speakers graded for reliability (A–F), merged or kept apart (see `source list`)."""


@source_group.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON document (a list of sources).")
@click.pass_context
@friendly_errors
def source_list_command(ctx: click.Context, as_json: bool) -> None:
    """The sources register: every speaker with its grade, articles, passages per kind and the
    dates it was first and last seen (articles' dates; undated articles are counted apart);
    then pairs of anonymous sources that may be one person."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from nkreader.services import sources

    library = open_library(ctx)
    entries = sources.register(library)
    duplicates = sources.possible_duplicates(library, entries)
    if as_json:
        document = [
            {
                "id": e.profile.label if e.profile else None,
                "name": e.name,
                "aliases": e.aliases,
                "reliability": e.reliability,
                "anonymous": e.profile.anonymous if e.profile else None,
                "note": e.profile.note if e.profile else "",
                "articles": e.articles,
                "undated_articles": e.undated_articles,
                "claims": e.claims,
                "quotes": e.quotes,
                "policy_statements": e.policies,
                "credibility": {str(k): v for k, v in sorted(e.credibility.items())},
                "first_seen": e.first_seen.isoformat() if e.first_seen else None,
                "last_seen": e.last_seen.isoformat() if e.last_seen else None,
            }
            for e in entries
        ]
        click.echo(
            json.dumps(
                {"sources": document, "possibly_the_same": [list(p) for p in duplicates]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not entries:
        click.echo("No sources yet: mark a quote or claim with a speaker first.", err=True)
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for label, justify in (
        ("id", "left"),
        ("source", "left"),
        ("grade", "center"),
        ("articles", "right"),
        ("C", "right"),
        ("Q", "right"),
        ("P", "right"),
        ("first seen", "left"),
        ("last seen", "left"),
    ):
        table.add_column(label, justify=justify, no_wrap=label != "source", overflow="fold")  # type: ignore[arg-type]
    for e in entries:
        name = e.name + (f" (also: {', '.join(e.aliases)})" if e.aliases else "")
        articles = str(e.articles) + (f" ({e.undated_articles} undated)" if e.undated_articles else "")
        table.add_row(
            e.profile.label if e.profile else "",
            Text(printable(name)),
            e.reliability or "–",
            articles,
            str(e.claims),
            str(e.quotes),
            str(e.policies),
            e.first_seen.isoformat() if e.first_seen else "no date",
            e.last_seen.isoformat() if e.last_seen else "no date",
        )
    Console(soft_wrap=False, highlight=False).print(table)
    for a, b, score in duplicates:
        click.echo(
            f"possibly the same source ({score}% alike): {printable(a)!r} and {printable(b)!r} "
            "— `nkreader source merge` or `source apart`"
        )


@source_group.command("grade")
@db_option
@click.argument("name")
@click.argument("reliability", metavar="GRADE")
@click.option("--note", help="What the analyst knows of the source (replaces the old note).")
@click.option(
    "--anonymous/--named", default=None, help="An unnamed source (guessed from the name when not given)."
)
@click.pass_context
@friendly_errors
def source_grade_command(
    ctx: click.Context, name: str, reliability: str, note: str | None, anonymous: bool | None
) -> None:
    """Grade the speaker NAME (any spelling) as a source: GRADE A–F (Admiralty reliability:
    A completely reliable … E unreliable, F cannot be judged; `-` clears it)."""
    from nkreader.analysis import RELIABILITY
    from nkreader.services import sources

    library = open_library(ctx)
    try:
        grade = sources.parse_reliability(reliability)
        profile = sources.grade(library, name, grade, note=note, anonymous=anonymous)
    except sources.SourceError as exc:
        fail(str(exc), EXIT_USAGE)
    words = (
        f"{profile.reliability} ({RELIABILITY[profile.reliability]})" if profile.reliability else "not graded"
    )
    click.echo(
        f"{profile.label} {printable(profile.name)}: {words}" + (" · anonymous" if profile.anonymous else "")
    )


@source_group.command("merge")
@db_option
@click.argument("keep")
@click.argument("other")
@click.pass_context
@friendly_errors
def source_merge_command(ctx: click.Context, keep: str, other: str) -> None:
    """OTHER is the same source as KEEP: its passages and spellings go to KEEP, grades and notes
    are joined (KEEP's grade first)."""
    from nkreader.services import sources

    library = open_library(ctx)
    try:
        changed = sources.merge(library, keep, other)
    except sources.SourceError as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(f"merged {printable(other)} into {printable(keep)}: {changed} annotations changed")


@source_group.command("apart")
@db_option
@click.argument("first")
@click.argument("second")
@click.pass_context
@friendly_errors
def source_apart_command(ctx: click.Context, first: str, second: str) -> None:
    """FIRST and SECOND are different sources: they are no longer offered as possibly the same."""
    from nkreader.services import sources

    library = open_library(ctx)
    try:
        new = sources.keep_apart(library, first, second)
    except sources.SourceError as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(f"{printable(first)} and {printable(second)} are kept apart" + ("" if new else " (already)"))


@main.command("credibility")
@db_option
@click.argument("annotation")
@click.argument("credibility", metavar="GRADE")
@click.pass_context
@friendly_errors
def credibility_command(ctx: click.Context, annotation: str, credibility: str) -> None:
    """Grade the quote or claim ANNOTATION (its uuid, or the first 8+ characters of it): GRADE 1–6
    (Admiralty credibility: 1 confirmed … 5 improbable, 6 cannot be judged; `-` clears it)."""
    from nkreader.analysis import CREDIBILITY
    from nkreader.services import sources

    library = open_library(ctx)
    try:
        grade = sources.parse_credibility(credibility)
        uuid = sources.resolve_annotation(library, annotation)
        sources.set_credibility(library, uuid, grade)
    except sources.SourceError as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(
        f"{uuid}: " + (f"credibility {grade} ({CREDIBILITY[grade]})" if grade else "credibility cleared")
    )
