"""`nkreader suggest`: print (or accept) suggested quotes, policy statements and claims.

The rules are imported only when the command runs, so nothing is added to start-up.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from nkreader.cli.base import db_option, friendly_errors, main, open_library
from nkreader.cli.output import printable
from nkreader.domain import Kind

if TYPE_CHECKING:
    from nkreader.services.library import Library
    from nkreader.services.suggestions import Rejection


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
@click.option(
    "--rejected", "list_rejected", is_flag=True, help="List the suggestions rejected in the app instead."
)
@click.option(
    "--forget-rejected",
    is_flag=True,
    help="Forget the rejections (of the --article ids, else all): they may be suggested again.",
)
@click.pass_context
@friendly_errors
def suggest_command(
    ctx: click.Context,
    article_ids: tuple[int, ...],
    kinds: tuple[str, ...],
    as_json: bool,
    accept: bool,
    list_rejected: bool,
    forget_rejected: bool,
) -> None:
    """Suggest quotes (with speakers), policy statements and claims, found offline by rules.

    Each suggestion names the rule that fired and gives a one-line reason. Passages already marked
    with the same kind, and suggestions rejected in the app, are not suggested again. With
    --accept, the suggestions are stored as annotations tagged 'suggested' (undo them in the app,
    or delete them there). --rejected lists what was rejected (with --json, one object a line);
    --forget-rejected forgets rejections so they may be suggested again.
    """
    from nkreader.services import suggestions as service

    if sum((accept, list_rejected, forget_rejected)) > 1:
        raise click.UsageError("--accept, --rejected and --forget-rejected cannot be combined")
    library = open_library(ctx)
    if list_rejected or forget_rejected:
        for article_id in article_ids:
            library.article(article_id)  # a missing id is named, not silently matched by nothing
        if forget_rejected:
            gone = service.forget_rejections(library, article_ids)
            click.echo(f"forgot {gone} rejected suggestion(s)")
            return
        _print_rejections(library, service.rejections(library, article_ids), kinds, as_json)
        return
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


def _print_rejections(library: Library, found: list[Rejection], kinds: tuple[str, ...], as_json: bool) -> None:
    """One line (or JSON object) per rejection: article, kind, the rejected text, when."""
    uuids: dict[int, str] = {}
    shown = 0
    for r in found:
        if kinds and r.kind not in kinds:
            continue
        shown += 1
        if as_json:
            if r.article_id not in uuids:
                uuids[r.article_id] = library.article(r.article_id).uuid
            row = {
                "article_uuid": uuids[r.article_id],
                "article_id": r.article_id,
                "kind": r.kind,
                "text": r.text,
                "rejected_at": r.rejected_at.isoformat(),
            }
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            excerpt = r.text if len(r.text) <= 70 else r.text[:69] + "…"
            when = r.rejected_at.strftime("%Y-%m-%d %H:%M")
            click.echo(printable(f"{r.article_id:>4}  {Kind(r.kind).letter}  {when}  {excerpt}"))
    if not as_json:
        click.echo(f"{shown} rejected suggestion(s)")
