"""`nkreader feed ...` and `nkreader fetch URL ...`: subscriptions and web pages from the command line.

Like `import`: one line per refused item on stderr (naming it and the reason), a closing summary
`imported N, updated U, skipped S, failed F` on stdout, exit status 0 when nothing failed, else 1.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nkreader.cli.base import EXIT_FAILED_ITEMS, db_option, fail, friendly_errors, main, open_library
from nkreader.cli.output import printable

__all__ = ["feed_group", "fetch_command"]

if TYPE_CHECKING:
    from nkreader.fetching.http import Limits


def _limit_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The HTTP limits every fetching command takes (small values make tests quick)."""
    options = [
        click.option(
            "--max-size",
            type=click.FloatRange(min=0.001),
            default=20.0,  # the import size limit (nkreader.ingest.DEFAULT_MAX_BYTES)
            show_default=True,
            help="Refuse responses larger than this many megabytes (decompressed).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.05),
            default=30.0,
            show_default=True,
            help="Seconds one request may take, body included.",
        ),
        click.option(
            "--connect-timeout",
            type=click.FloatRange(min=0.05),
            default=10.0,
            show_default=True,
            help="Seconds to wait for a connection.",
        ),
        click.option(
            "--retries",
            type=click.IntRange(min=0, max=10),
            default=2,
            show_default=True,
            help="Further attempts after a timeout, a dropped connection, a 5xx or a 429.",
        ),
        click.option(
            "--backoff",
            type=click.FloatRange(min=0),
            default=1.0,
            show_default=True,
            help="Seconds before the first retry (doubled for each further one).",
        ),
        click.option(
            "--max-retry-after",
            type=click.FloatRange(min=0),
            default=120.0,
            show_default=True,
            help="Longest Retry-After to wait for; a server asking for more is reported as failing.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _limits(options: dict[str, float]) -> Limits:
    from nkreader.fetching.http import Limits

    return Limits(
        max_bytes=int(options["max_size"] * 1024 * 1024),
        timeout=options["timeout"],
        connect_timeout=options["connect_timeout"],
        retries=int(options["retries"]),
        backoff=options["backoff"],
        max_retry_after=options["max_retry_after"],
    )


def _show_event(event: Any, *, quiet: bool) -> None:
    from nkreader.services.importing import Outcome

    reason = printable(event.reason or "")
    origin = printable(event.origin)
    if event.outcome is Outcome.FAILED:
        click.echo(f"refused {origin}: {reason}", err=True)
    elif event.outcome is Outcome.CHANGED:
        click.echo(f"changed {origin}: {reason}", err=True)
    elif event.outcome is Outcome.UPDATED:
        click.echo(f"updated {origin}: {reason}", err=True)
    elif event.outcome is Outcome.IMPORTED and event.reason:
        click.echo(f"imported {origin}: {reason}", err=True)
    elif not quiet and event.outcome is Outcome.DUPLICATE and event.reason != "seen before":
        click.echo(f"skipped {origin}: {reason}", err=True)


def _summary(imported: int, updated: int, skipped: int, failed: int) -> None:
    shown = f"updated {updated}, " if updated else ""
    click.echo(f"imported {imported}, {shown}skipped {skipped}, failed {failed}")
    sys.exit(EXIT_FAILED_ITEMS if failed else 0)


@main.group("feed")
def feed_group() -> None:
    """Subscribe to RSS and Atom feeds and fetch their new articles into the library."""


@feed_group.command("add")
@db_option
@click.argument("url")
@click.option("--name", help="What to call the feed (default: its address, like dailynk.com/feed).")
@click.option("--tag", "tags", multiple=True, help="A tag for the feed (repeatable).")
@click.option("--full-text", is_flag=True, help="Fetch each entry's page for its text (summary-only feeds).")
@click.pass_context
@friendly_errors
def feed_add_command(
    ctx: click.Context, url: str, name: str | None, tags: tuple[str, ...], full_text: bool
) -> None:
    """Subscribe to the feed at URL (nothing is fetched until `feed fetch`)."""
    from nkreader.services.feeds import FeedProblem, Subscriptions

    try:
        feed = Subscriptions(open_library(ctx, create=True)).add(
            url, name=name, tags=tags, full_text=full_text
        )
    except FeedProblem as error:
        fail(f"cannot add {url}: {error}", EXIT_FAILED_ITEMS)
        return
    extra = f" [{', '.join(feed.tags)}]" if feed.tags else ""
    mode = " (full text)" if feed.full_text else ""
    click.echo(printable(f"added {feed.name}: {feed.url}{extra}{mode}"))


@feed_group.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed instead of a table.")
@click.pass_context
@friendly_errors
def feed_list_command(ctx: click.Context, as_json: bool) -> None:
    """The subscriptions: name, URL, tags, last fetch, new and unread articles, last error."""
    from nkreader.services.feeds import Subscriptions

    listings = Subscriptions(open_library(ctx)).listing()
    if as_json:
        for item in listings:
            feed = item.feed
            record = {
                "name": feed.name,
                "url": feed.url,
                "tags": feed.tags,
                "full_text": feed.full_text,
                "last_fetch": feed.last_fetch_at.isoformat() if feed.last_fetch_at else None,
                "last_success": feed.last_success_at.isoformat() if feed.last_success_at else None,
                "new": feed.last_new,
                "articles": item.articles,
                "unread": item.unread,
                "last_error": feed.last_error,
            }
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    if not listings:
        click.echo("No feeds yet: `nkreader feed add URL` subscribes to one.", err=True)
        return
    width = min(28, max(4, *(len(item.feed.name) for item in listings)))
    click.echo(f"{'NAME':<{width}}  {'NEW':>4}  {'UNREAD':>6}  {'LAST FETCH':<16}  {'TAGS':<16}  URL")
    for item in listings:
        feed = item.feed
        name = feed.name if len(feed.name) <= width else feed.name[: width - 1] + "…"
        when = feed.last_fetch_at.astimezone().strftime("%Y-%m-%d %H:%M") if feed.last_fetch_at else "never"
        tags = ",".join(feed.tags) or "-"
        line = f"{name:<{width}}  {feed.last_new:>4}  {item.unread:>6}  {when:<16}  {tags:<16}  {feed.url}"
        click.echo(printable(line))
        if feed.last_error:
            click.echo(printable(f"{'':<{width}}  last fetch failed: {feed.last_error}"))


@feed_group.command("remove")
@db_option
@click.argument("feed")
@click.pass_context
@friendly_errors
def feed_remove_command(ctx: click.Context, feed: str) -> None:
    """Unsubscribe from FEED (a name or a URL); the articles it brought stay in the library."""
    from nkreader.services.feeds import FeedProblem, Subscriptions

    try:
        removed = Subscriptions(open_library(ctx)).remove(feed)
    except FeedProblem as error:
        fail(str(error), EXIT_FAILED_ITEMS)
        return
    click.echo(printable(f"removed {removed.name}: {removed.url} (its articles stay in the library)"))


@feed_group.command("fetch")
@db_option
@click.argument("feeds", nargs=-1)
@_limit_options
@click.option(
    "--workers", type=click.IntRange(1, 16), default=4, show_default=True, help="Feeds fetched at once."
)
@click.option("--quiet", "-q", is_flag=True, help="Print only failures and the summary.")
@click.pass_context
@friendly_errors
def feed_fetch_command(
    ctx: click.Context, feeds: tuple[str, ...], workers: int, quiet: bool, **options: float
) -> None:
    """Fetch new articles from FEEDS (names or URLs; every feed when none is given).

    A feed that has not changed since the last fetch costs one request and no parsing (ETag,
    Last-Modified). A failing feed gets one line and the others go on; its error is kept for
    `feed list`. Exit status 0 when nothing failed, 1 otherwise.
    """
    from nkreader.domain_feeds import Feed
    from nkreader.services.feed_refresh import FeedResult, refresh_feeds
    from nkreader.services.feeds import FeedProblem, Subscriptions

    library = open_library(ctx)
    subscriptions = Subscriptions(library)
    chosen: list[Feed] = []
    failed = 0
    if feeds:
        for given in feeds:
            try:
                found = subscriptions.find(given)
            except FeedProblem as error:
                click.echo(f"refused {printable(given)}: {printable(str(error))}", err=True)
                failed += 1
                continue
            if all(found.id != f.id for f in chosen):
                chosen.append(found)
    else:
        chosen = subscriptions.feeds()
        if not chosen:
            click.echo("No feeds yet: `nkreader feed add URL` subscribes to one.", err=True)
    totals = {"imported": 0, "updated": 0, "skipped": 0, "failed": failed}

    def show(result: FeedResult) -> None:
        for event in result.report.events:
            _show_event(event, quiet=quiet)
        report = result.report
        totals["imported"] += report.imported
        totals["updated"] += report.updated
        totals["skipped"] += report.skipped
        totals["failed"] += report.failed
        name = printable(result.feed.name)
        if result.error is not None:
            totals["failed"] += 1
            click.echo(f"failed {name}: {printable(result.error)}", err=True)
        elif quiet:
            return
        elif result.removed:
            click.echo(f"{name}: removed while fetching; stopped")
        elif result.not_modified:
            click.echo(f"{name}: not modified")
        else:
            updated = f", {report.updated} updated" if report.updated else ""
            click.echo(f"{name}: {report.imported} new{updated}")

    refresh_feeds(library, chosen, limits=_limits(options), workers=workers, on_result=show)
    _summary(totals["imported"], totals["updated"], totals["skipped"], totals["failed"])


@feed_group.command("import-opml")
@db_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
@friendly_errors
def feed_import_opml_command(ctx: click.Context, file: Path) -> None:
    """Subscribe to every feed listed in an OPML FILE (feeds already there are left alone)."""
    from nkreader.services.feeds import FeedProblem, Subscriptions

    try:
        report = Subscriptions(open_library(ctx, create=True)).import_opml(file)
    except FeedProblem as error:
        fail(str(error), EXIT_FAILED_ITEMS)
        return
    for line in report.failed:
        click.echo(f"refused {printable(line)}", err=True)
    for feed in report.added:
        click.echo(printable(f"added {feed.name}: {feed.url}"))
    click.echo(
        f"added {len(report.added)}, already subscribed {len(report.existing)}, failed {len(report.failed)}"
    )
    sys.exit(EXIT_FAILED_ITEMS if report.failed else 0)


@feed_group.command("export-opml")
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (default: stdout).",
)
@click.pass_context
@friendly_errors
def feed_export_opml_command(ctx: click.Context, output: Path | None) -> None:
    """Write the subscriptions as OPML 2.0 (other feed readers import it)."""
    from nkreader.services.feeds import Subscriptions

    text = Subscriptions(open_library(ctx)).export_opml()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        _write_atomically(output, text)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}", EXIT_FAILED_ITEMS)


def _write_atomically(path: Path, text: str) -> None:
    """The whole file or the old one: never half an OPML document."""
    folder = path.resolve().parent
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@main.command("fetch")
@db_option
@click.argument("urls", nargs=-1, required=True)
@_limit_options
@click.option(
    "--update",
    is_flag=True,
    help="Replace the text of an article with the same URL but another text (the old one is kept).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only refused pages and the summary.")
@click.pass_context
@friendly_errors
def fetch_command(
    ctx: click.Context, urls: tuple[str, ...], update: bool, quiet: bool, **options: float
) -> None:
    """Fetch web pages at URLS into the library (extracted like saved .html files).

    A refused URL gets one line naming it and the reason, and the rest go on.
    Exit status 0 when nothing failed, 1 otherwise.
    """
    from nkreader.services.importing import Outcome
    from nkreader.services.webfetch import fetch_pages

    library = open_library(ctx, create=True)

    def show(event: Any) -> None:
        _show_event(event, quiet=quiet)
        if not quiet and event.outcome is Outcome.IMPORTED:
            click.echo(printable(f"imported {event.origin}: {event.title or ''}"))

    report = fetch_pages(library, list(urls), limits=_limits(options), update=update, on_event=show)
    _summary(report.imported, report.updated, report.skipped, report.failed)
