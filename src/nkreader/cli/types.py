"""Command-line value types with the ranges the store and the machine can hold.

An id past SQLite's 64-bit range, a limit of 10^20 or a size of `inf` is a usage error (one line,
exit status 2), not an `OverflowError` deep in a driver or a 100 GB allocation.
"""

from __future__ import annotations

import math

import click

MAX_ID = 2**63 - 1
"""The largest integer SQLite (and PostgreSQL's bigint) stores."""

ARTICLE_ID = click.IntRange(min=1, max=MAX_ID)
LIMIT = click.IntRange(min=1, max=100_000)
MAX_SIZE_MB = 2048.0
"""`import --max-size` at most this many megabytes: larger files are not news articles."""


class SizeInMegabytes(click.ParamType):
    """A positive, finite number of megabytes up to `MAX_SIZE_MB` (rejects nan, inf, 1e15)."""

    name = "MB"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float):
            number = value
        else:
            try:
                number = float(str(value))
            except ValueError:
                self.fail(f"{value!r} is not a number of megabytes", param, ctx)
        if not math.isfinite(number) or not 0.001 <= number <= MAX_SIZE_MB:
            self.fail(f"{value} is not between 0.001 and {MAX_SIZE_MB:g} (megabytes)", param, ctx)
        return number


SIZE_MB = SizeInMegabytes()
