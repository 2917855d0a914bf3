"""The annotation panel lays out every row from its line count and draws only the rows on screen.

Why: with 1,000 marks on an article, rebuilding and measuring every row per change cost 150–300 ms a
`c` (issue 14). These tests pin the design (what is built, not how long it takes): a row's line count
agrees with its prompt, a new list of 1,000 builds only the prompts on screen, and a change to one
annotation rebuilds that one row's prompt while the highlight stays on its annotation.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

import pytest
from textual.app import App, ComposeResult

from nkreader.domain import AnchorState, Annotation, Kind, Status
from nkreader.tui import annotation_rows
from nkreader.tui.annotation_list import AnnotationList
from nkreader.tui.annotation_rows import annotation_lines, annotation_prompt


def mark(i: int, **kw: Any) -> Annotation:
    exact = kw.pop("exact", f"passage number {i} of the long article")
    return Annotation(
        id=i, uuid=f"u-{i:04}", article_id=1, kind=Kind.CLAIM, start=i * 100, end=i * 100 + len(exact),
        exact=exact, **kw,
    )  # fmt: skip


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"tags": ["kcna"]},
        {"tags": ["  ", ""]},  # blank tags are not shown: no third line
        {"note": "\n\n  \n"},  # a blank note neither
        {"note": "\nsecond line only"},
        {"tags": ["a"], "note": "both", "speaker": "Kim", "status": Status.DISPUTED},
        {"anchor_state": AnchorState.ORPHANED, "author": "ana", "exact": "한국어 문장입니다"},
        {"exact": ""},
    ],
)
def test_a_rows_line_count_is_its_prompts(extra: dict[str, Any]) -> None:
    annotation = mark(1, **extra)
    assert annotation_lines(annotation) == len(annotation_prompt(annotation).plain.split("\n"))


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield AnnotationList()


async def test_a_thousand_marks_build_only_the_rows_on_screen_and_one_change_one_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[str] = []
    original = annotation_rows.annotation_prompt

    def counting(annotation: Annotation, *more: Any) -> Any:
        built.append(annotation.uuid)
        return original(annotation, *more)

    monkeypatch.setattr(annotation_rows, "annotation_prompt", counting)
    marks = [mark(i, tags=["t"] if i % 3 == 0 else []) for i in range(1000)]
    app = ListApp()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(AnnotationList)
        panel.set_annotations(marks)
        panel.focus()
        await pilot.pause()
        assert 0 < len(built) <= 12  # a screenful (18 lines, 2-3 each), not 1,000
        assert panel.virtual_size.height == sum(annotation_lines(m) for m in marks)

        await pilot.press("end")  # the last row: drawn from its own prompt
        await pilot.pause()
        assert panel.highlighted_uuid == "u-0999"
        assert "passage number 999" in str(panel.get_option_at_index(panel.highlighted or 0).prompt)

        built.clear()
        edited = replace(marks[998], note="checked with a second source")
        panel.set_annotations([*marks[:998], edited, marks[999]])
        await pilot.pause()
        assert built == ["u-0998"]  # the edited row only; the rest are kept
        assert panel.highlighted_uuid == "u-0999"

        built.clear()
        fresh = mark(5000)  # a new mark sorts last; the highlight stays where it was
        panel.set_annotations([*marks, fresh])
        await pilot.pause()
        assert panel.highlighted_uuid == "u-0999" and set(built) <= {"u-0998", "u-5000"}

        panel.set_annotations(marks[:-1])  # the highlighted one deleted: its neighbour
        await pilot.pause()
        assert panel.highlighted_uuid == "u-0998"
        assert panel.uuids[-1] == "u-0998" and len(panel.uuids) == 999


# --------------------------------------------------------------------------- the reader's highlights


def test_the_session_hands_back_the_same_highlights_and_the_index_changes_only_those_that_moved() -> None:
    """The current mark moving with the cursor swaps two of 1,000 highlights; the reader's index is
    updated by those alone (a new index per key was most of a `j` on a 1,000-mark article)."""
    from nkreader.services.library import Library
    from nkreader.text.highlights import HighlightIndex
    from nkreader.text.layout import WrapLayout
    from nkreader.tui.session import ArticleSession

    session = ArticleSession(cast(Library, None))
    session.annotations = [mark(i) for i in range(1000)]
    layout = WrapLayout("\n".join("x" * 99 for _ in range(1000)))
    first = session.highlights()
    index = HighlightIndex(first, layout)
    assert session.highlights()[10] is first[10]  # nothing changed: the same objects

    session.current_uuid = "u-0500"
    moved = session.highlights()
    assert [h for h in moved if h.current] == [moved[500]] and moved[499] is first[499]
    changed = index.update(moved)
    assert changed is not None and {h.key for h in changed} == {"u-0500"} and len(changed) == 2
    assert index.on_row(500) == [moved[500]]  # the outlined twin is drawn on its line

    session.annotations = [*session.annotations, mark(2000)]  # a new mark: one more highlight
    changed = index.update(session.highlights())
    assert changed is not None and [h.key for h in changed] == ["u-2000"]
    assert index.update([]) is None  # everything changed: the caller builds a new index
