"""One re-anchoring rule (`text.anchoring.reanchor`) for `import --update` and annotation imports."""

from __future__ import annotations

from pathlib import Path

from nkreader.domain import AnchorState, Annotation, Kind
from nkreader.text.anchoring import reanchor, reanchor_many

SRC = Path(__file__).resolve().parent.parent / "src" / "nkreader"
OLD = "Prices rose. The market in Hyesan was closed on Monday by the police. Traders left."


def mark(body: str, passage: str, **fields: object) -> Annotation:
    start = body.index(passage)
    end = start + len(passage)
    fields.setdefault("prefix", body[max(0, start - 32) : start])
    return Annotation(
        None,
        "u",
        1,
        Kind.CLAIM,
        start,
        end,
        passage,
        suffix=body[end : end + 32],
        **fields,  # type: ignore[arg-type]
    )


def test_found_passages_take_the_new_offsets_and_quote() -> None:
    annotation = mark(OLD, "The market in Hyesan was closed on Monday")
    new = "Breaking. " + OLD
    placed = reanchor(new, annotation)
    assert new[placed.start : placed.end] == annotation.exact
    assert placed.prefix == new[max(0, placed.start - 32) : placed.start]
    assert placed.anchor_state is AnchorState.ANCHORED and placed.note == annotation.note


def test_fuzzy_stays_fuzzy_until_someone_checks_it() -> None:
    annotation = mark(OLD, "The market in Hyesan was closed on Monday", anchor_state=AnchorState.FUZZY)
    assert reanchor(OLD, annotation).anchor_state is AnchorState.FUZZY


def test_an_orphan_keeps_what_it_was_made_on() -> None:
    annotation = mark(OLD, "The market in Hyesan was closed on Monday", prefix="p" * 50)
    placed = reanchor("Nothing of it is left.", annotation)
    assert placed.anchor_state is AnchorState.ORPHANED
    assert placed.exact == annotation.exact and placed.prefix == "p" * 32
    assert 0 <= placed.start <= placed.end <= len("Nothing of it is left.")


def test_many_answers_in_the_order_given() -> None:
    first = mark(OLD, "Traders left.")
    second = mark(OLD, "Prices rose.")
    assert [a.exact for a in reanchor_many(OLD, [first, second])] == ["Traders left.", "Prices rose."]


def test_no_second_copy_of_the_rule() -> None:
    """Only text/anchoring locates quotes; services place annotations through `reanchor`."""
    callers = [
        p.relative_to(SRC).as_posix()
        for p in SRC.rglob("*.py")
        if p.name != "anchoring.py" and ".locate(" in p.read_text(encoding="utf-8")
    ]
    assert callers == []
    for module in ("services/updating.py", "services/annotation_import.py"):
        assert "reanchor" in (SRC / module).read_text(encoding="utf-8")
