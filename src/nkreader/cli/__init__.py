"""The `nkreader` command (`nkreader = "nkreader.cli:main"`): argument parsing and wiring only.

`base` holds the group, --db and the failure rules; `output` the terminal-safe printing. Each
other module holds one family of commands and attaches them to `main`. To add a command: write
`nkreader/cli/<name>_cmd.py` using `from nkreader.cli.base import main, db_option, friendly_errors,
open_library` and `@main.command("name")`, then add one import line below.
"""

# Command registration: one line per command module (the import attaches its commands to `main`).
from nkreader.cli import (
    agreement_cmd,  # noqa: F401  agreement
    db_cmd,  # noqa: F401  db path|check|backup
    db_restore_cmd,  # noqa: F401  db restore
    entity_cmd,  # noqa: F401  entity add|variant|list|merge
    export_cmd,  # noqa: F401  export
    feeds_cmd,  # noqa: F401  feed add|list|remove|fetch|import-opml|export-opml, fetch
    import_cmd,  # noqa: F401  import, import-annotations
    query_cmd,  # noqa: F401  list, show, search, overview, speakers
    report_cmd,  # noqa: F401  report
    review_cmd,  # noqa: F401  review
    sources_cmd,  # noqa: F401  source list|grade|merge|apart, credibility
    suggest_cmd,  # noqa: F401  suggest
)
from nkreader.cli.base import EXIT_FAILED_ITEMS, EXIT_USAGE, fail, friendly_errors, main, open_library
from nkreader.cli.output import printable

__all__ = ["EXIT_FAILED_ITEMS", "EXIT_USAGE", "fail", "friendly_errors", "main", "open_library", "printable"]
