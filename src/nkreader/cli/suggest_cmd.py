"""`nkreader suggest`: print (or accept) suggested quotes, policy statements and claims.

The rules are imported only when the command runs, so nothing is added to start-up.
"""

from __future__ import annotations

import json

import click

from nkreader.cli.base import db_option, friendly_errors, main, open_library
from nkreader.cli.output import printable
from nkreader.domain import Kind


@main.command("suggest")
@db_option
@click.option("--article", "article_ids", type=int, multiple=True, help="Only this article id (repeatable).")
@click.option(
    "--kind",
    "kinds",
    type=click.Choice([k.value for k in Kind]),
    multiple=True,
    help="Only this kind (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per suggestion instead of a table.")
@click.option("--accept", is_flag=True, help="Store the suggestions as annotations tagged 'suggested'.")
@click.pass_context
@friendly_errors
def suggest_command(
    ctx: click.Context, article_ids: tuple[int, ...], kinds: tuple[str, ...], as_json: bool, accept: bool
) -> None:
    """Suggest quotes (with speakers), policy statements and claims, found offline by rules.

    Each suggestion names the rule that fired and gives a one-line reason. Passages already marked
    with the same kind, and suggestions rejected in the app, are not suggested again. With
    --accept, the suggestions are stored as annotations tagged 'suggested' (undo them in the app,
    or delete them there).
    """
    from nkreader.services import suggestions as service

    library = open_library(ctx)
    ids = list(article_ids) or sorted(s.id for s in library.summaries())
    book = service.speaker_book(library)
    wanted = [Kind(k) for k in kinds] or None
    total = stored = 0
    for article_id in ids:
        article = library.article(article_id)
        found = service.suggestions_for(library, article_id, kinds=wanted, book=book)
        total += len(found)
        for s in found:
            if as_json:
                row = {
                    "article_uuid": article.uuid,
                    "article_id": article_id,
                    "kind": str(s.kind),
                    "start": s.start,
                    "end": s.end,
                    "exact": s.exact,
                    "speaker": s.speaker_to_store,
                    "score": s.score,
                    "rule": s.rule,
                    "reason": s.reason,
                    "speaker_as_written": s.speaker,
                    "hedges": list(s.hedges),
                }
                click.echo(json.dumps(row, ensure_ascii=False))
            else:
                excerpt = " ".join(s.exact.split())
                excerpt = excerpt if len(excerpt) <= 70 else excerpt[:69] + "…"
                click.echo(
                    printable(
                        f"{article_id:>4}  {s.kind.letter}  {s.start:>6}-{s.end:<6} {s.score:.2f}  {excerpt}"
                    )
                )
                click.echo(printable(f"{'':17}{s.rule}: {s.reason}"))
        if accept and found:
            stored += len(service.accept_all(library, article_id, found))
    if accept:
        click.echo(f"stored {stored} annotation(s) tagged 'suggested'", err=as_json)
    elif not as_json:
        click.echo(f"{total} suggestion(s) in {len(ids)} article(s)")
