"""What the agreement screen draws and closes with: the figures table, labels, the message on
arriving at a disagreement, and where the reviewer was. Plain data and functions, no widget, so
the screen (tui/agreement_screen.py) holds only the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

from nkreader.services.agreement import Disagreement, PairAgreement
from nkreader.text.agreement import figure
from nkreader.tui.safe import safe_text

__all__ = [
    "ADD_ANNOTATOR",
    "AgreementPlace",
    "AgreementResult",
    "DisagreementKey",
    "disagreement_key",
    "figures_table",
    "jump_message",
    "reason_label",
]

ADD_ANNOTATOR = 'start nkreader as another person with "nkreader --as NAME" (or annotator = "NAME" in config.toml) and mark the same articles'


DisagreementKey = tuple[tuple[str, str], int, int, int, str, str]
"""A disagreement, recognisable again after a recount: pair, article, start, end, reason, kind."""


@dataclass(frozen=True)
class AgreementPlace:
    """Where the reviewer was: the scope and the disagreement highlighted (to come back to it)."""

    whole_library: bool = False
    article_id: int | None = None
    key: DisagreementKey | None = None


@dataclass(frozen=True)
class AgreementResult:
    """What the screen closes with: where it was, and the disagreement to open (None on Esc)."""

    place: AgreementPlace
    chosen: Disagreement | None = None


def reason_label(d: Disagreement) -> str:
    if d.reason == "boundaries":
        return "bounds differ"
    if d.reason == "kind":
        return "kind differs"
    return d.reason  # "only ana"


def jump_message(d: Disagreement, back: str) -> str:
    """What the status line says on arriving at a disagreement in the reader: both marks, by whom."""
    sides = []
    for who, mark in zip(d.pair, (d.a, d.b), strict=True):
        sides.append(f"{who} {mark.kind} {mark.start}–{mark.end}" if mark else f"{who} no mark")
    return safe_text(f"{' · '.join(sides)} ({reason_label(d)}; {back} back to the list)")


def disagreement_key(d: Disagreement) -> DisagreementKey:
    return (d.pair, d.article_id, d.start, d.end, d.reason, d.kind)


def figures_table(results: list[PairAgreement]) -> Table:
    """The CLI's table: per pair and kind, marks, exact and overlap P/R/F1, kappa, alpha, disagreements."""
    table = Table(box=None, pad_edge=False, header_style="bold underline")
    table.add_column("pair", overflow="ellipsis", no_wrap=True, max_width=24)
    table.add_column("kind", no_wrap=True)
    table.add_column("marks", justify="right", no_wrap=True)
    table.add_column("exact P/R/F1", no_wrap=True)
    table.add_column("overlap P/R/F1", no_wrap=True)
    table.add_column("kappa", justify="right", no_wrap=True, min_width=5)
    table.add_column("alpha", justify="right", no_wrap=True, min_width=5)
    table.add_column("differ", justify="right", no_wrap=True, min_width=6)
    last_pair: tuple[str, str] | None = None
    for r in results:
        pair = (r.a, r.b)
        table.add_row(
            Text(safe_text(f"{r.a} / {r.b}") if pair != last_pair else "", style="bold"),
            Text(r.kind),
            Text(f"{r.a_marks}/{r.b_marks}"),
            Text(" ".join(f"{figure(v):>4}" for v in (r.exact.precision, r.exact.recall, r.exact.f1))),
            Text(" ".join(f"{figure(v):>4}" for v in (r.overlap.precision, r.overlap.recall, r.overlap.f1))),
            Text(figure(r.kappa)),
            Text(figure(r.alpha)),
            Text(str(len(r.disagreements))),
        )
        last_pair = pair
    return table
