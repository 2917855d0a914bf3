"""`python -m nkreader` behaves exactly like the `nkreader` command."""

from nkreader.cli import main

main(prog_name="nkreader")
