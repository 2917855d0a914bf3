"""`nkreader review`: passages whose words an update changed after their status was set."""

from __future__ import annotations

import json

import click

from nkreader.cli.base import EXIT_USAGE, db_option, fail, friendly_errors, main, open_library
from nkreader.cli.output import printable


@main.command("review")
@db_option
@click.option(
    "--done", "done", metavar="ANNOTATION", help="Clear the flag of this annotation (uuid or its start)."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document (a list).")
@click.pass_context
@friendly_errors
def review_command(ctx: click.Context, done: str | None, as_json: bool) -> None:
    """List the passages to review: an `import --update` changed their words after their status
    was set (each with the words it was made on); --done ANNOTATION clears one."""
    from nkreader.services import revisions, sources

    library = open_library(ctx)
    if done:
        try:
            uuid = sources.resolve_annotation(library, done)
        except sources.SourceError as exc:
            fail(str(exc), EXIT_USAGE)
        cleared = revisions.clear_review(library, uuid)
        click.echo(f"{uuid}: " + ("reviewed" if cleared else "was not flagged"))
        return
    found = revisions.flagged(library)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "annotation": f.annotation.uuid,
                        "article_id": f.annotation.article_id,
                        "article_title": f.article_title,
                        "kind": f.annotation.kind.value,
                        "status": f.annotation.status.value,
                        "was": f.change.original,
                        "now": f.annotation.exact,
                        "changed_at": f.change.changed_at.isoformat(),
                    }
                    for f in found
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not found:
        click.echo("Nothing to review.", err=True)
        return
    for f in found:
        click.echo(f"{f.annotation.uuid}  article {f.annotation.article_id} {printable(f.article_title)!r}")
        click.echo(
            f"  {f.annotation.kind.value}, {f.change.status.value} on: {printable(' '.join(f.change.original.split()))}"
        )
        click.echo(f"  now reads: {printable(' '.join(f.annotation.exact.split()))}")
