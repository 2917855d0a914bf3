"""ArticleSession without a terminal: which annotation a key acts on, duplicates, counts, the link cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkreader.domain import Kind, LinkType
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.session import ArticleSession

FIRST = "Kim Jong Un visited the farm at Sinpo."
SECOND = "The ministry announced new grain quotas."
BODY = f"{FIRST}\n\n{SECOND} Officials in Hyesan disagreed."


@pytest.fixture
def session(library: Library, tmp_path: Path) -> ArticleSession:
    path = tmp_path / "farm.txt"
    path.write_text(f"Farm visit\n\n{BODY}\n", encoding="utf-8")
    import_paths(library, [path])
    session = ArticleSession(library)
    session.open(library.summaries()[0].id)
    assert session.body == BODY
    return session


def span(text: str) -> tuple[int, int]:
    start = BODY.index(text)
    return start, start + len(text)


def test_the_annotation_under_the_cursor_and_none_on_the_blank_line(session: ArticleSession) -> None:
    first = session.mark(Kind.CLAIM, *span(FIRST))
    second = session.mark(Kind.CLAIM, *span(SECOND))
    assert session.annotation_at(0) == first
    assert session.annotation_at(len(FIRST) - 1) == first
    session.choose(first)
    assert session.annotation_at(len(FIRST)) is None  # just past it
    assert session.annotation_at(len(FIRST) + 1) is None  # the blank line: not the previous mark
    assert session.annotation_at(second.start) == second  # even with the first one current
    assert session.annotation_at(len(BODY) - 1) is None


def test_overlapping_marks_innermost_unless_current(session: ArticleSession) -> None:
    outer = session.mark(Kind.QUOTE, *span(BODY[BODY.index(SECOND) :]))
    inner = session.mark(Kind.CLAIM, *span(SECOND))
    session.current_uuid = None
    assert session.annotation_at(inner.start + 3) == inner
    session.choose(outer)
    assert session.annotation_at(inner.start + 3) == outer  # what n/N or the list chose stays
    assert session.follow_cursor(0) is True and session.current_uuid is None
    assert session.follow_cursor(inner.start) is True and session.current_uuid == inner.uuid
    assert session.follow_cursor(inner.start + 1) is False


def test_current_is_drawn_and_orphans_are_not(session: ArticleSession) -> None:
    first = session.mark(Kind.CLAIM, *span(FIRST))
    session.follow_cursor(first.start)
    [drawn] = session.highlights()
    assert drawn.key == first.uuid and drawn.current
    session.follow_cursor(len(FIRST) + 1)
    assert not any(h.current for h in session.highlights())


def test_duplicates_counts_and_n_order(session: ArticleSession) -> None:
    first = session.mark(Kind.CLAIM, *span(FIRST))
    quote = session.mark(Kind.QUOTE, *span(FIRST))
    assert session.duplicate_of(Kind.CLAIM, *span(FIRST)) == first
    assert session.duplicate_of(Kind.POLICY, *span(FIRST)) is None
    second = session.mark(Kind.POLICY, *span(SECOND))
    assert session.counts() == {Kind.CLAIM: 1, Kind.QUOTE: 1, Kind.POLICY: 1}
    summary = session.summary()
    assert summary is not None and summary.counts[Kind.POLICY] == 1
    assert session.step_from(first, 0, 1) == quote  # two marks on one sentence: each is visited
    assert session.step_from(quote, 0, 1) == second
    assert session.step_from(second, 0, 1) == first  # wraps around
    assert session.step_from(None, 5, 1) == second
    assert session.step_from(None, 5, -1) in (first, quote)


def test_deleting_drops_it_from_the_link_cache(session: ArticleSession) -> None:
    first = session.mark(Kind.CLAIM, *span(FIRST))
    second = session.mark(Kind.CLAIM, *span(SECOND))
    session.link_source = first
    session.link(first, second, LinkType.CORROBORATES)
    assert session.link_source is None
    session.links = session.read_links()
    assert set(session.links) == {first.uuid, second.uuid}
    session.delete(second)
    assert session.links == {}
    assert [a.uuid for a in session.annotations] == [first.uuid]
    assert session.current_uuid is None


def test_edits_are_stored_and_undone(session: ArticleSession, library: Library) -> None:
    first = session.mark(Kind.CLAIM, *span(FIRST))
    session.edit(first, "edit tags", tags=["farm"])
    assert library.annotations(first.article_id)[0].tags == ["farm"]
    change = session.undo()
    assert change is not None and change.label == "edit tags"
    session.reload_annotations()
    assert session.annotations[0].tags == []
