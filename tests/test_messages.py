"""Messages in the status line: coalesced, replaced, errors kept (issue 12: notifications that do not
cover the reader's text, and coalesce)."""

from __future__ import annotations

from nkreader.tui.messages import MessageBoard


def test_repeats_coalesce_and_expire() -> None:
    board = MessageBoard()
    board.post("Not found: Hyesan", severity="warning", now=0)
    shown = board.post("Not found: Hyesan", severity="warning", now=1)
    assert shown.count == 2 and shown.line() == "Not found: Hyesan ×2"
    assert board.current(now=5.9) is not None
    assert board.current(now=6.1) is None


def test_newer_replaces_but_an_error_outlasts_information() -> None:
    board = MessageBoard()
    board.post("Claim: Rice prices…", title="Marked", now=0)
    assert board.post("Tags saved", now=1).line() == "Tags saved"
    board.post("cannot write to the library", severity="error", now=2)
    assert board.post("Marked", now=3).severity == "error"
    assert board.current(now=9.9).text == "cannot write to the library"  # type: ignore[union-attr]
    assert board.post("Marked again", now=10.5).text == "Marked again"
