"""The `nkreader` command (`nkreader = "nkreader.cli:main"`): argument parsing and wiring only.

`base` holds the group, --db and the failure rules; `output` the terminal-safe printing. Each
other module holds one family of commands and attaches them to `main` when it is imported, which
happens only when one of its commands runs (`registry.LazyGroup`). To add a command: write
`nkreader/cli/<name>_cmd.py` using `from nkreader.cli.base import main, db_option, friendly_errors,
open_library` and `@main.command("name")`, then add its line to `registry.COMMANDS`.
"""

from nkreader.cli.base import EXIT_FAILED_ITEMS, EXIT_USAGE, fail, friendly_errors, main, open_library
from nkreader.cli.output import printable

__all__ = ["EXIT_FAILED_ITEMS", "EXIT_USAGE", "fail", "friendly_errors", "main", "open_library", "printable"]
