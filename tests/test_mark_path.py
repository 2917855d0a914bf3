"""A `c` on an article with 1,000 marks changes what one new mark changes, and no more (issue 14).

Why: each `c` on such an article cost 150–350 ms, most of it work for the 999 marks that did not
change — every row's grades asked of the store again, the whole screen laid out again because
the list grew by a row, the list scrolled to its first row and back. These tests pin what a `c`
does (what is asked, built and laid out), never how long it takes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets._toast import Toast

from nkreader.domain import Annotation, Kind
from nkreader.services import sources as source_service
from nkreader.services.importing import import_paths
from nkreader.services.library import InvalidSpan, Library
from nkreader.store.bulk import add_annotations
from nkreader.tui import annotation_rows
from nkreader.tui.annotation_list import AnnotationList
from nkreader.tui.annotation_rows import Row, changed_lines, row_tops
from nkreader.tui.app import create_app
from nkreader.tui.instrument_cues import ExtrasCache
from nkreader.tui.reader import ReaderView
from nkreader.tui.status_line import StatusLine

PARAGRAPHS = 340


def _sentence(p: int, s: int) -> str:
    return f"Report {p}-{s} says the price of rice rose again in the border towns."


def _long_article(tmp_path: Path, library: Library) -> tuple[int, str]:
    """One article of 340 paragraphs of 5 sentences, its first three sentences each marked (1,020)."""
    body = "\n\n".join(" ".join(_sentence(p, s) for s in range(5)) for p in range(PARAGRAPHS))
    source = tmp_path / "long-report.txt"
    source.write_text("Long report on the markets\n\n" + body + "\n", encoding="utf-8")
    report = import_paths(library, [source])
    assert report.imported == 1
    [summary] = library.summaries()
    article = library.article(summary.id)
    marks = []
    for p in range(PARAGRAPHS):
        for s in range(3):
            text = _sentence(p, s)
            start = article.body.index(text)
            marks.append(
                Annotation(
                    id=None, uuid=f"00000000-0000-4000-8000-{len(marks):012d}", article_id=summary.id,
                    kind=Kind.QUOTE, start=start, end=start + len(text), exact=text,
                )
            )  # fmt: skip
    with library.database.writing() as session:
        add_annotations(session, marks)
    return summary.id, article.body


async def test_a_mark_among_a_thousand_asks_no_grades_lays_nothing_out_and_builds_one_row(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id, body = _long_article(tmp_path, library)
    app = create_app(library, keymap_path=tmp_path / "none.toml")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:  # toasts as in the real app
        await pilot.press("enter")
        await pilot.pause()
        screen = app.main
        reader = screen.query_one(ReaderView)
        panel = screen.query_one(AnnotationList)
        assert len(screen.session.annotations) == 3 * PARAGRAPHS
        # on a mark far down the list, then on the unmarked sentence after it
        reader.move_to(body.index(_sentence(200, 2)))
        await pilot.pause()
        assert panel.highlighted_uuid is not None and panel.scroll_offset.y > 100
        reader.move_to(body.index(_sentence(200, 3)))
        await pilot.pause()

        grade_reads: list[object] = []
        original_grades = source_service.grades_for
        monkeypatch.setattr(
            source_service, "grades_for", lambda *a: grade_reads.append(a) or original_grades(*a)
        )
        built: list[str] = []
        original_prompt = annotation_rows.annotation_prompt

        def counting(annotation: Annotation, *more: Any) -> Any:
            built.append(annotation.uuid)
            return original_prompt(annotation, *more)

        monkeypatch.setattr(annotation_rows, "annotation_prompt", counting)
        layouts: list[object] = []
        original_layout = screen._refresh_layout
        monkeypatch.setattr(
            screen, "_refresh_layout", lambda *a, **k: layouts.append(a) or original_layout(*a, **k)
        )
        scrolled: list[float] = []
        panel.watch(panel, "scroll_y", lambda y: scrolled.append(y), init=False)

        await pilot.press("c")
        await pilot.pause()

        stored = library.annotations(article_id)
        assert len(stored) == 3 * PARAGRAPHS + 1
        [made] = [a for a in stored if a.exact == _sentence(200, 3)]
        assert panel.highlighted_uuid == made.uuid  # the new row is shown, highlighted, in text order
        assert panel.uuids.index(made.uuid) == panel.uuids.index(stored[0].uuid) + 3 * 200 + 3
        assert built == [made.uuid]  # its row alone is built: the others on screen are kept
        assert grade_reads == []  # the other rows' grades are as they were; a new mark has none
        assert layouts == []  # one more row in the list lays out nothing else on the screen
        assert all(y > 100 for y in scrolled)  # never to the first row and back
        # "Marked …" is in the status line and kept as a notification, with no (hidden) toast
        # mounted for it: a mount and its removal each laid the whole screen out again
        assert any("Marked" in str(n.title) for n in app._notifications)  # type: ignore[attr-defined]
        await pilot.pause(0.2)
        assert "Claim: Report 200-3" in str(screen.query_one(StatusLine).render())
        assert not list(screen.query(Toast))

        # another process grades a source: the next change asks the store again
        await pilot.press(")", "c")
        await pilot.pause()
        assert grade_reads == []
        db = library.database.path
        assert db is not None
        import sqlite3

        with sqlite3.connect(db) as other:
            other.execute("UPDATE articles SET title = title WHERE id = ?", (article_id,))
        await pilot.press(")", "c")
        await pilot.pause()
        assert len(grade_reads) == 1


def test_extras_are_asked_again_after_any_commit_and_kept_across_a_new_mark(
    library: Library, tmp_path: Path
) -> None:
    article_id, _body = _long_article(tmp_path, library)
    cache = ExtrasCache(library)
    marks = library.annotations(article_id)
    cache(marks)
    cache(marks)
    assert cache.reads == 1  # nothing committed: the same answer
    before = library.change_token()
    made = library.annotate(article_id, Kind.CLAIM, marks[0].end + 1, marks[0].end + 20)
    cache.own_mark(before, made)
    cache([*marks, made])
    assert cache.reads == 1  # the new mark has no grade: nothing to ask
    library.save_position(article_id, 5)  # any other commit: everything is asked again
    cache([*marks, made])
    assert cache.reads == 2


def _mark(i: int, name: str) -> Annotation:
    return Annotation(id=i, uuid=name, article_id=1, kind=Kind.CLAIM, start=i, end=i + 1, exact="x")


def _rows(*names: str) -> list[Row]:
    return [_ROWS[name] for name in names]


_ROWS = {
    name: Row(_mark(i, name), None, n)
    for i, (name, n) in enumerate([("a", 2), ("b", 3), ("c", 2), ("d", 2), ("e", 3)])
}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("abcd", "abcd", None),  # nothing changed
        ("abd", "abcd", (5, None)),  # a new row: its lines and every line below
        ("abcd", "abd", (5, None)),  # a row gone
        ("abcd", "abdd", (5, 7)),  # one row for another of the same height: its lines alone
        ("abcd", "abed", (5, None)),  # ... of another height: everything below moves
        ("abc", "abce", (7, None)),  # appended
        ("", "ab", (0, None)),
    ],
)
def test_the_lines_a_change_redraws(old: str, new: str, expected: tuple[int, int | None] | None) -> None:
    old_rows, new_rows = _rows(*old), _rows(*new)
    if old == "abcd" and new == "abdd":
        new_rows[2] = Row(_ROWS["c"].annotation, None, 2)  # "c" changed, same height
    assert changed_lines(old_rows, row_tops(old_rows), new_rows, row_tops(new_rows)) == expected


def test_a_mark_quotes_the_text_on_screen_only_while_the_store_holds_that_text(
    library: Library, tmp_path: Path
) -> None:
    article_id, body = _long_article(tmp_path, library)
    article = library.article(article_id)
    start = body.index(_sentence(10, 4))
    end = start + len(_sentence(10, 4))
    plain = library.annotate(article_id, Kind.CLAIM, start, end)
    shown = library.annotate(article_id, Kind.QUOTE, start, end, shown=(article.content_hash, body))
    assert (shown.exact, shown.prefix, shown.suffix) == (plain.exact, plain.prefix, plain.suffix)
    # a text the store no longer holds (another hash): the quote is the stored text's
    stale = library.annotate(article_id, Kind.POLICY, start, end, shown=("0" * 64, "x" * len(body)))
    assert (stale.exact, stale.prefix, stale.suffix) == (plain.exact, plain.prefix, plain.suffix)
    with pytest.raises(InvalidSpan):
        library.annotate(
            article_id, Kind.CLAIM, len(body) - 2, len(body) + 5, shown=(article.content_hash, body)
        )
