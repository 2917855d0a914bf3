"""Which module holds each `nkreader` command, so a call imports only the command it runs.

Importing every command module up front cost 0.6–0.8 s per call (the export module alone pulls in
SQLAlchemy's ORM and every exporter), paid again by each `nkreader import` in a script and by
`nkreader --help` (issue 14). `LazyGroup` imports a command's module(s) only when that command is
looked up; the modules still attach their commands with `@main.command(...)` as before.

`nkreader --help` lists every command with its first help paragraph, kept here so the listing
needs no command module. `tests/test_cli_lazy.py` checks this table against the commands the
modules define (names and help), so the two cannot drift apart.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click


class Entry(NamedTuple):
    modules: tuple[str, ...]
    """Imported in order; each attaches its commands to `main` (or to a group an earlier one made)."""
    help: str
    """The command's first help paragraph, as `nkreader --help` shortens it."""


_PKG = "nkreader.cli."

COMMANDS: dict[str, Entry] = {
    "agreement": Entry(("agreement_cmd",), "Agreement between annotators, per pair and kind of mark."),
    "credibility": Entry(
        ("sources_cmd",),
        "Grade the quote or claim ANNOTATION (its uuid, or the first 8+ characters of it): GRADE 1–6 "
        "(Admiralty credibility: 1 confirmed … 5 improbable, 6 cannot be judged; `-` clears it).",
    ),
    "db": Entry(("db_cmd", "db_restore_cmd"), "Where the library lives, and keeping it safe."),
    "entity": Entry(
        ("entity_cmd",),
        "Entities: a name and its spellings (Kaecheon, Kaechon, 개천); search looks for them all.",
    ),
    "export": Entry(
        ("export_cmd",), "Export articles and their annotations (json by default; see --format, --schema)."
    ),
    "feed": Entry(
        ("feeds_cmd",), "Subscribe to RSS and Atom feeds and fetch their new articles into the library."
    ),
    "fetch": Entry(
        ("feeds_cmd",), "Fetch web pages at URLS into the library (extracted like saved .html files)."
    ),
    "import": Entry(("import_cmd",), "Import articles from files and folders (recursively)."),
    "import-annotations": Entry(("import_cmd",), "Merge annotations from FILE into the library."),
    "list": Entry(
        ("query_cmd",), "List articles: id, title, source, date and counts per kind, newest first."
    ),
    "overview": Entry(
        ("query_cmd",), "Counts per kind, per source and per month, and the most quoted speakers."
    ),
    "report": Entry(
        ("report_cmd",),
        "A Markdown report of corroborated, disputed and refuted claims across articles (and the "
        "unverified ones with linked evidence), with the passages that corroborate or contradict them, "
        "their speakers and grades, a citation per claim, and tables by source and by outlet.",
    ),
    "review": Entry(
        ("review_cmd",),
        "List the passages to review: an `import --update` changed their words after their status "
        "was set (each with the words it was made on); --done ANNOTATION clears one.",
    ),
    "search": Entry(("query_cmd",), "Full-text search of articles and annotations, best first."),
    "show": Entry(("query_cmd",), "Print the stored text of an article (what every offset refers to)."),
    "source": Entry(
        ("sources_cmd",),
        "Sources: speakers graded for reliability (A–F), merged or kept apart (see `source list`).",
    ),
    "speakers": Entry(
        ("query_cmd",),
        "List speakers (canonical name, aliases, counts per kind), most used first; or merge "
        "two speakers, or add an alias.",
    ),
    "suggest": Entry(
        ("suggest_cmd",),
        "Suggest quotes (with speakers), policy statements and claims, found offline by rules.",
    ),
}


def load(name: str) -> None:
    """Import the module(s) that define command `name` (they register it on import)."""
    for module in COMMANDS[name].modules:
        importlib.import_module(_PKG + module)


class LazyGroup(click.Group):
    """A click group whose commands are imported when they are looked up (run, completed, helped)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            load(cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """`--help`'s list, from the table for the commands not imported (the same shortened lines)."""
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or click.Command(name, help=COMMANDS[name].help)
            if not command.hidden:
                rows.append((name, command))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in rows)
        with formatter.section("Commands"):
            formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])
