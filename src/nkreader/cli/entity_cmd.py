"""`nkreader entity …`: people, places and organisations with all their spellings."""

from __future__ import annotations

import json

import click

from nkreader.analysis import Entity
from nkreader.cli.base import EXIT_USAGE, db_option, fail, friendly_errors, main, open_library
from nkreader.cli.output import printable


@main.group("entity")
def entity_group() -> None:
    """Entities: a name and its spellings (Kaecheon, Kaechon, 개천); search looks for them all."""


def _show(entity: Entity) -> str:
    others = [v for v in entity.variants if v != entity.name]
    return f"{printable(entity.name)} ({entity.kind.value})" + (
        f": {printable(', '.join(others))}" if others else ""
    )


@entity_group.command("add")
@db_option
@click.argument("name")
@click.option("--kind", type=click.Choice(["person", "place", "org"]), default="place", show_default=True)
@click.option("--variant", "variants", multiple=True, help="Another spelling (repeatable).")
@click.pass_context
@friendly_errors
def entity_add_command(ctx: click.Context, name: str, kind: str, variants: tuple[str, ...]) -> None:
    """Create the entity NAME, with its other spellings."""
    from nkreader.services import entities

    library = open_library(ctx)
    try:
        entity = entities.add(library, name, kind, variants)
    except entities.EntityError as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(f"added {_show(entity)}")


@entity_group.command("variant")
@db_option
@click.argument("name")
@click.argument("variants", nargs=-1, required=True)
@click.pass_context
@friendly_errors
def entity_variant_command(ctx: click.Context, name: str, variants: tuple[str, ...]) -> None:
    """Add spellings VARIANTS to the entity spelled NAME."""
    from nkreader.services import entities

    library = open_library(ctx)
    try:
        entity, added = entities.add_variants(library, name, variants)
    except entities.EntityError as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(f"{len(added)} spellings added: {_show(entity)}")


@entity_group.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON document (a list of entities).")
@click.pass_context
@friendly_errors
def entity_list_command(ctx: click.Context, as_json: bool) -> None:
    """Every entity with its kind and spellings."""
    from nkreader.services import entities

    library = open_library(ctx)
    found = entities.entities(library)
    if as_json:
        click.echo(
            json.dumps(
                [{"name": e.name, "kind": e.kind.value, "variants": e.variants} for e in found],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not found:
        click.echo("No entities yet: `nkreader entity add NAME --variant V` makes one.", err=True)
    for entity in found:
        click.echo(_show(entity))


@entity_group.command("merge")
@db_option
@click.argument("keep")
@click.argument("other")
@click.pass_context
@friendly_errors
def entity_merge_command(ctx: click.Context, keep: str, other: str) -> None:
    """OTHER is the same as KEEP: its spellings become KEEP's."""
    from nkreader.services import entities

    library = open_library(ctx)
    try:
        entity = entities.merge(library, keep, other)
    except entities.EntityError as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(f"merged: {_show(entity)}")
