"""The `nkreader` group itself: --db, opening the library, and failures as exit statuses.

Every failure a user can cause ends in one line on stderr and a distinct exit status, never a
traceback. Command modules (`import_cmd`, `export_cmd`, ...) attach their commands to `main`
with `@main.command(...)` when imported; `cli/registry.py` says which module holds each command,
so a call imports only the one it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from nkreader import __version__
from nkreader.cli.output import printable
from nkreader.cli.registry import LazyGroup
from nkreader.store.errors import StoreError, as_store_error

if TYPE_CHECKING:
    from nkreader.services.library import Library

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FAILED_ITEMS = 1
EXIT_USAGE = 2


def fail(message: str, code: int) -> NoReturn:
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


EXIT_NO_LIBRARY = 4
"""Like `StoreUnavailable`: the library named cannot be used."""


def open_library(ctx: click.Context, *, create: bool = False, deferred: bool = False) -> Library:
    """The library named by --db / NKREADER_DB / the default, opened once per command.

    Only commands that add to the library (`create=True`: import, import-annotations, the app)
    make a missing SQLite file; a read-only command with a mistyped path says so and creates
    nothing. An in-memory database (it would keep nothing) and SQLite URL options (`?mode=ro`,
    which SQLAlchemy ignores with a warning) are refused in one line; a PostgreSQL URL without
    its driver names the extra to install. `deferred` (the app): the store itself is opened once
    the first screen is painted (`Library.deferred`).
    """
    from nkreader.services.library import Library

    obj = ctx.find_root().obj
    if obj.get("library") is None:
        from nkreader.services.annotators import resolve_annotator

        _check_location(obj.get("db"), create=create)
        opener = Library.deferred if deferred else Library.open
        obj["library"] = opener(obj.get("db"), annotator=resolve_annotator(obj.get("as")))
        ctx.call_on_close(obj["library"].close)
    library: Library = obj["library"]
    return library


def _check_location(db: str | None, *, create: bool) -> None:
    import importlib.util
    from urllib.parse import parse_qsl

    from nkreader.store.engine import resolve_db_url, sqlite_path

    url = resolve_db_url(db)
    scheme, _, rest = url.partition("://")
    backend, _, driver = scheme.lower().partition("+")
    if backend == "sqlite":
        name, _, query = rest.removeprefix("/").partition("?")
        options = dict(parse_qsl(query))
        if name in ("", ":memory:") or Path(name).name == ":memory:" or options.get("mode") == "memory":
            fail(
                "an in-memory database keeps nothing once the command ends: give a file path "
                "or a server URL with --db",
                EXIT_USAGE,
            )
        if query:
            fail(
                f"SQLite URL options are not supported (?{query}); give a plain path. A library "
                "whose file is not writable is opened read-only by itself.",
                EXIT_USAGE,
            )
        path = sqlite_path(url)
        if not create and path is not None and not path.exists():
            fail(
                f"no library at {path} (check --db or NKREADER_DB; `nkreader import` creates one)",
                EXIT_NO_LIBRARY,
            )
    elif backend in ("postgresql", "postgres"):
        module = "psycopg2" if driver == "psycopg2" else "psycopg"
        if importlib.util.find_spec(module) is None:
            fail(
                f"a PostgreSQL library needs the {module} driver: pip install 'nkreader[postgres]'",
                EXIT_NO_LIBRARY,
            )


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


@click.group(
    cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    envvar="NKREADER_DB",
    help="Library database: a file path or an SQLAlchemy URL (default: the user data folder).",
)
@click.option(
    "--as",
    "as_name",
    metavar="NAME",
    envvar="NKREADER_ANNOTATOR",
    help="Who is marking (default: the config file's annotator, else your user name).",
)
@click.version_option(__version__, "--version", "-V", prog_name="nkreader")
@click.pass_context
def main(ctx: click.Context, db: str | None, as_name: str | None) -> None:
    """A keyboard-driven reader and annotator for news reporting.

    Without a command, opens the library in the terminal app.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["as"] = as_name
    if ctx.invoked_subcommand is None:
        run_app(ctx)


@friendly_errors
def run_app(ctx: click.Context) -> None:
    from nkreader.tui.startup import hold_collector

    hold_collector()  # released by the app once its first screen is painted
    library = open_library(ctx, create=True, deferred=True)
    # The app is for marking: a read-only or locked library is reported here, before the screen
    # is taken over, not at the first annotation.
    library.check_writable()
    from nkreader.tui.app import create_app

    app = create_app(library)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
