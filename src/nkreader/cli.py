"""The `nkreader` command: argument parsing and wiring only.

Every failure a user can cause ends in one line on stderr and a distinct exit
status, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from nkreader import __version__
from nkreader.domain import Kind
from nkreader.store.errors import StoreError, as_store_error

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FAILED_ITEMS = 1
EXIT_USAGE = 2


def printable(text: str) -> str:
    """File names and reasons can hold anything; never let a control byte reach the terminal."""
    return "".join(ch if ch.isprintable() or ch == " " else "?" for ch in text)


def fail(message: str, code: int) -> None:
    click.echo(f"nkreader: {printable(message)}", err=True)
    sys.exit(code)


def friendly_errors(function: F) -> F:
    """Store problems become one line and their own exit status.

    A database driver error that escaped the store's guards is translated the same way (never a
    traceback); any other exception is a bug and is not hidden.
    """

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except StoreError as exc:
            fail(exc.message, exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except Exception as exc:
            error = as_store_error(exc)
            if error is None:
                raise
            fail(error.message, error.exit_code)

    return wrapper  # type: ignore[return-value]


def open_library(ctx: click.Context):
    from nkreader.services.library import Library

    obj = ctx.find_root().obj
    if obj.get("library") is None:
        obj["library"] = Library.open(obj.get("db"))
        ctx.call_on_close(obj["library"].close)
    return obj["library"]


def _remember_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().ensure_object(dict)["db"] = value


db_option = click.option(
    "--db",
    metavar="PATH_OR_URL",
    expose_value=False,
    is_eager=True,
    callback=_remember_db,
    help="Library database (also accepted before the command).",
)
"""`nkreader export --db X` as well as `nkreader --db X export`: both spellings are natural."""


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-01-31") from None


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    envvar="NKREADER_DB",
    help="Library database: a file path or an SQLAlchemy URL (default: the user data folder).",
)
@click.version_option(__version__, "--version", "-V", prog_name="nkreader")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """A keyboard-driven reader and annotator for news reporting.

    Without a command, opens the library in the terminal app.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    if ctx.invoked_subcommand is None:
        run_app(ctx)


@friendly_errors
def run_app(ctx: click.Context) -> None:
    library = open_library(ctx)
    # The app is for marking: a read-only or locked library is reported here, before the screen
    # is taken over, not at the first annotation.
    library.database.check_writable()
    from nkreader.tui.app import create_app

    app = create_app(library)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@main.command("import")
@db_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--max-size",
    type=click.FloatRange(min=0.001),
    default=20.0,
    show_default=True,
    help="Refuse files larger than this many megabytes.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only refused files and the summary.")
@click.option(
    "--update",
    is_flag=True,
    help="Replace the text of an article whose URL or origin matches but whose text differs "
    "(the old text is kept as a revision) and re-anchor its annotations.",
)
@click.pass_context
@friendly_errors
def import_command(
    ctx: click.Context, paths: tuple[Path, ...], max_size: float, quiet: bool, update: bool
) -> None:
    """Import articles from files and folders (recursively).

    Formats: .txt, .md (YAML front matter), .html/.htm, .json, and RSS/Atom feeds
    (.xml, .rss, .atom). Text already in the library is skipped; a refused file
    gets one line naming it and the reason, and the rest of the batch goes on.
    An article with a known URL or origin but another text is reported as changed
    and skipped, unless --update: then its text is replaced and each annotation is
    re-anchored (anchored, moved, fuzzy, or orphaned: never deleted).
    Exit status 0 when nothing failed, 1 otherwise.
    """
    from nkreader.services.importing import ImportEvent, Outcome, import_paths

    library = open_library(ctx)
    missing = [p for p in paths if not p.exists()]
    present = [p for p in paths if p.exists()]

    def show(event: ImportEvent) -> None:
        if event.outcome is Outcome.FAILED:
            click.echo(f"refused {printable(event.origin)}: {printable(event.reason or '')}", err=True)
        elif event.outcome is Outcome.CHANGED:
            click.echo(f"changed {printable(event.origin)}: {printable(event.reason or '')}", err=True)
        elif event.outcome is Outcome.UPDATED:
            click.echo(f"updated {printable(event.origin)}: {printable(event.reason or '')}", err=True)
        elif not quiet and event.outcome is Outcome.DUPLICATE:
            click.echo(f"skipped {printable(event.origin)}: {event.reason}", err=True)

    for path in missing:
        click.echo(f"refused {printable(str(path))}: no such file or folder", err=True)
    with _progress_bar(enabled=not quiet) as progress:
        report = import_paths(
            library,
            present,
            max_bytes=int(max_size * 1024 * 1024),
            progress=progress,
            on_event=show,
            update=update,
        )
    failed = report.failed + len(missing)
    updated = f"updated {report.updated}, " if update else ""
    click.echo(f"imported {report.imported}, {updated}skipped {report.skipped}, failed {failed}")
    sys.exit(EXIT_FAILED_ITEMS if failed else 0)


class _progress_bar:
    """A rich progress bar on stderr when it is a terminal; silent otherwise (pipes, CI)."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._progress = None
        self._task = None

    def __enter__(self) -> Callable[[int, int, Path], None]:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self._progress = Progress(
                "Importing",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
        return self

    def __call__(self, done: int, total: int, _path: Path) -> None:
        if self._progress is None:
            return
        if self._task is None:
            self._task = self._progress.add_task("import", total=total)
        self._progress.update(self._task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


@main.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article instead of a table.")
@click.pass_context
@friendly_errors
def list_command(ctx: click.Context, as_json: bool) -> None:
    """List articles: id, title, source, date and counts per kind, newest first."""
    library = open_library(ctx)
    rows = library.summaries()
    if as_json:
        for row in rows:
            click.echo(
                json.dumps(
                    {
                        "id": row.id,
                        "uuid": row.uuid,
                        "title": row.title,
                        "source": row.source,
                        "published": row.published.isoformat() if row.published else None,
                        "counts": {k.value: row.counts[k] for k in Kind},
                    },
                    ensure_ascii=False,
                )
            )
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
        day = row.published or row.imported_at.date()
        table.add_row(
            str(row.id),
            Text(printable(row.title)),
            Text(printable(row.source or "")),
            day.isoformat(),
            *(str(row.counts[k]) for k in Kind),
        )
    console.print(table)


@main.command("show")
@db_option
@click.argument("article_id", type=int)
@click.option("--header/--no-header", default=True, help="Print the title and metadata first.")
@click.pass_context
@friendly_errors
def show_command(ctx: click.Context, article_id: int, header: bool) -> None:
    """Print the stored text of an article (what every offset refers to)."""
    library = open_library(ctx)
    article = library.article(article_id)
    if header:
        click.echo(article.title)
        meta = [
            article.source,
            article.author,
            article.published and article.published.isoformat(),
            article.url,
        ]
        line = " · ".join(m for m in meta if m)
        if line:
            click.echo(line)
        click.echo()
    click.echo(article.body)


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


@main.command("import-annotations")
@db_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
@friendly_errors
def import_annotations_command(ctx: click.Context, file: Path) -> None:
    """Merge annotations from FILE into the library.

    FILE is an nkreader JSON export (restored exactly; merged by uuid, the newer
    updated_at wins; articles matched by uuid, then URL, then text) or W3C Web
    Annotation JSON-LD from another tool, such as Hypothesis (each annotation
    anchored, through its quote, in the article whose URL is its target source).
    Importing the same file twice changes nothing. Exit status 0, or 1 when some
    annotations were skipped (each is named on stderr).
    """
    from nkreader.services.annotation_import import AnnotationFileError, import_annotation_file

    library = open_library(ctx)
    try:
        report = import_annotation_file(library, file)
    except AnnotationFileError as exc:
        fail(f"{file}: {exc}", 1)
    for reason in report.skipped:
        click.echo(f"skipped {printable(reason)}", err=True)
    click.echo(printable(report.summary()))
    sys.exit(EXIT_FAILED_ITEMS if report.skipped else 0)


@main.group("db")
def db_group() -> None:
    """Where the library lives, and keeping it safe."""


@db_group.command("path")
@db_option
@click.pass_context
def db_path_command(ctx: click.Context) -> None:
    """Print the location of the library database."""
    from nkreader.store.engine import resolve_db_url, sqlite_path

    url = resolve_db_url(ctx.find_root().obj.get("db"))
    path = sqlite_path(url)
    click.echo(str(path) if path is not None else url)


@db_group.command("check")
@db_option
@click.pass_context
@friendly_errors
def db_check_command(ctx: click.Context) -> None:
    """Check integrity, schema version and counts."""
    from nkreader.store import migrate
    from nkreader.store import repository as repo
    from nkreader.store.errors import StoreCorrupt

    library = open_library(ctx)
    database = library.database
    problems = database.integrity_check()
    click.echo(f"database:   {printable(library.location)}")
    click.echo(f"schema:     {database.revision()} (this version: {migrate.head_revision()})")
    try:
        with database.reading() as session:
            articles = repo.count_articles(session)
            counts = repo.count_annotations_by_kind(session)
    except StoreCorrupt:
        click.echo("articles:   cannot be counted (damaged)")
    else:
        click.echo(f"articles:   {articles}")
        click.echo("annotations: " + ", ".join(f"{counts[k]} {k.plural.lower()}" for k in Kind))
    click.echo("integrity:  " + ("ok" if problems == ["ok"] else printable("; ".join(problems[:5]))))
    if problems != ["ok"]:
        sys.exit(5)


@db_group.command("backup")
@db_option
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
@friendly_errors
def db_backup_command(ctx: click.Context, path: Path | None) -> None:
    """Copy the library consistently, even while the app is running."""
    library = open_library(ctx)
    source = library.database.path
    if path is None:
        if source is None:
            fail("give a PATH to back a server database up to", EXIT_USAGE)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = source.with_name(f"{source.stem}.backup-{stamp}{source.suffix}")
    try:
        library.database.backup_to(path)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}", 1)
    click.echo(f"backed up to {path}")


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
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many results."
)
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
    for month, count in data.per_month:
        click.echo(f"  {count:6d}  {month}")
    if data.top_speakers:
        click.echo("top speakers:")
        for name, count in data.top_speakers:
            click.echo(f"  {count:6d}  {printable(name)}")
